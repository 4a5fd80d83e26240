//! The charter (章程), built from the sections of the Ministry of Civil Affairs' model text
//! for community social organizations, with the party-building clause that seed 004
//! 第一条 requires. The app offers `Charter::template` and the user edits every section.

use serde::{Deserialize, Serialize};

/// The sections of the model charter, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// 名称与宗旨
    Purpose,
    /// 活动范围与内容
    Scope,
    /// 活动地域
    Area,
    /// 负责人产生办法
    Leaders,
    /// 组织机构
    Organs,
    /// 资金管理
    Finance,
    /// 终止程序
    Termination,
    /// 党的建设
    PartyBuilding,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Purpose,
        Section::Scope,
        Section::Area,
        Section::Leaders,
        Section::Organs,
        Section::Finance,
        Section::Termination,
        Section::PartyBuilding,
    ];

    pub fn title_zh(self) -> &'static str {
        match self {
            Section::Purpose => "名称与宗旨",
            Section::Scope => "活动范围与内容",
            Section::Area => "活动地域",
            Section::Leaders => "负责人产生办法",
            Section::Organs => "组织机构",
            Section::Finance => "资金管理",
            Section::Termination => "终止程序",
            Section::PartyBuilding => "党的建设",
        }
    }
}

/// One section as written by the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub section: Section,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charter {
    pub clauses: Vec<Clause>,
}

/// What the template is filled in with.
#[derive(Debug, Clone, Copy)]
pub struct TemplateFacts<'a> {
    pub org_name: &'a str,
    /// "凤山街道复兴社区"
    pub area_name: &'a str,
    pub activities: &'a str,
}

/// Why a charter cannot be submitted; shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CharterError {
    #[error("章程缺少“{}”一节", .0.title_zh())]
    Missing(Section),
    #[error("章程“{}”一节重复", .0.title_zh())]
    Repeated(Section),
    #[error("章程“党的建设”一节须写明接受党组织领导、开展党的活动")]
    NoPartyLeadership,
    #[error("章程“{}”一节超过 {max} 字", .0.title_zh(), max = Charter::MAX_SECTION_CHARS)]
    TooLong(Section),
}

impl Charter {
    pub const MAX_SECTION_CHARS: usize = 2_000;

    /// The model text for a new organization, every section filled in, to be edited.
    pub fn template(f: TemplateFacts<'_>) -> Charter {
        let TemplateFacts {
            org_name,
            area_name,
            activities,
        } = f;
        let text = |section| {
            match section {
            Section::Purpose => format!(
                "本组织名称为“{org_name}”。本组织是由{area_name}居民自愿组成、在社区范围内开展活动的非营利性社区社会组织。宗旨是：遵守宪法、法律、法规和国家政策，践行社会主义核心价值观，弘扬新风正气，服务社区居民，促进社区和谐。"
            ),
            Section::Scope => format!(
                "本组织的活动范围和内容：{activities}。本组织不从事营利性经营活动。"
            ),
            Section::Area => format!("本组织的活动地域为{area_name}。"),
            Section::Leaders => "本组织负责人由全体成员会议民主选举产生，每届任期三年，可连选连任。负责人应遵纪守法、热心公益、在居民中有较好声望。".to_owned(),
            Section::Organs => "全体成员会议是本组织的最高决策机构，负责制定和修改章程、选举负责人、决定重大事项。全体成员会议须有三分之二以上成员出席，其决议须经到会成员半数以上表决通过方能生效。".to_owned(),
            Section::Finance => "本组织经费来源于成员自愿捐赠、政府购买服务和其他合法收入。经费只用于本章程规定的活动，不在成员中分配。本组织定期向全体成员公开财务收支情况，接受居（村）民委员会监督。".to_owned(),
            Section::Termination => "本组织完成宗旨或无法继续开展活动时，经全体成员会议表决通过，向居（村）民委员会提出终止申请，报街道办事处（乡镇人民政府）批准并公示后终止。终止后的剩余财产用于与本组织宗旨相关的公益事业。".to_owned(),
            Section::PartyBuilding => "本组织坚持中国共产党的全面领导，在街道（乡镇）党（工）委统一领导和社区（村）党组织指导下开展活动；有三名以上正式党员的，按规定建立党的组织，开展党的活动；为党组织开展活动提供必要条件。".to_owned(),
        }
        };
        Charter {
            clauses: Section::ALL
                .into_iter()
                .map(|section| Clause {
                    section,
                    text: text(section),
                })
                .collect(),
        }
    }

    pub fn clause(&self, section: Section) -> Option<&str> {
        self.clauses
            .iter()
            .find(|c| c.section == section)
            .map(|c| c.text.as_str())
    }

    /// Every section present once and written, within bounds, with a party-building
    /// clause that speaks of the Party's leadership.
    pub fn check(&self) -> Result<(), CharterError> {
        for section in Section::ALL {
            let mut found = self.clauses.iter().filter(|c| c.section == section);
            let Some(clause) = found.next() else {
                return Err(CharterError::Missing(section));
            };
            if found.next().is_some() {
                return Err(CharterError::Repeated(section));
            }
            if clause.text.trim().is_empty() {
                return Err(CharterError::Missing(section));
            }
            if clause.text.chars().count() > Self::MAX_SECTION_CHARS {
                return Err(CharterError::TooLong(section));
            }
        }
        let party = self.clause(Section::PartyBuilding).unwrap_or_default();
        if !(party.contains("党") && party.contains("领导")) {
            return Err(CharterError::NoPartyLeadership);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Charter {
        Charter::template(TemplateFacts {
            org_name: "复兴社区夕阳红志愿服务队",
            area_name: "凤山街道复兴社区",
            activities: "为辖区空巢老人提供探访、代购和陪诊服务",
        })
    }

    #[test]
    fn the_template_has_every_section_and_passes() {
        let c = template();
        assert_eq!(c.clauses.len(), Section::ALL.len());
        assert_eq!(c.check(), Ok(()));
        assert!(c
            .clause(Section::Purpose)
            .unwrap()
            .contains("复兴社区夕阳红志愿服务队"));
        assert!(c
            .clause(Section::Area)
            .unwrap()
            .contains("凤山街道复兴社区"));
    }

    #[test]
    fn a_charter_without_the_party_building_clause_is_refused() {
        let mut c = template();
        c.clauses.retain(|cl| cl.section != Section::PartyBuilding);
        assert_eq!(c.check().unwrap_err().to_string(), "章程缺少“党的建设”一节");
    }

    #[test]
    fn a_party_building_clause_must_speak_of_party_leadership() {
        let mut c = template();
        c.clauses.last_mut().unwrap().text = "本组织重视学习。".into();
        assert_eq!(c.check(), Err(CharterError::NoPartyLeadership));
    }

    #[test]
    fn an_emptied_or_repeated_section_is_refused() {
        let mut c = template();
        c.clauses[1].text = "  ".into();
        assert_eq!(c.check(), Err(CharterError::Missing(Section::Scope)));
        let mut c = template();
        let again = c.clauses[2].clone();
        c.clauses.push(again);
        assert_eq!(c.check(), Err(CharterError::Repeated(Section::Area)));
    }
}
