//! The member roster (成员花名册) as the leader types or pastes it: one line per member,
//! `姓名,性别,出生年份,手机,政治面貌,职务`, separated by commas (also Chinese ones) or
//! tabs, as a spreadsheet copies them. Bad lines are named by their number; good ones
//! become core's `Member`.

use wenming_core::filing::people::{Gender, Member, PoliticalStatus};
use wenming_core::{PersonName, Phone};

/// A line that could not be read, and why, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    pub fn text(&self) -> String {
        format!("第 {} 行：{}", self.line, self.message)
    }
}

pub fn gender(s: &str) -> Option<Gender> {
    match s.trim() {
        "男" | "male" | "M" | "m" => Some(Gender::Male),
        "女" | "female" | "F" | "f" => Some(Gender::Female),
        _ => None,
    }
}

/// 政治面貌 as people write it; an empty cell is 群众.
pub fn political(s: &str) -> Option<PoliticalStatus> {
    use PoliticalStatus::*;
    Some(match s.trim() {
        "中共党员" | "党员" | "共产党员" | "party_member" => PartyMember,
        "中共预备党员" | "预备党员" | "probationary_party_member" => {
            ProbationaryPartyMember
        }
        "共青团员" | "团员" | "league_member" => LeagueMember,
        "民主党派" | "democratic_party" => DemocraticParty,
        "群众" | "masses" | "" => Masses,
        other => {
            // "中国国民党革命委员会党员" and the like: the eight democratic parties.
            if other.contains("民主") || other.contains("民革") || other.contains("九三") {
                DemocraticParty
            } else {
                return None;
            }
        }
    })
}

/// One member from its cells (name, gender, birth year, mobile, political status, role);
/// missing trailing cells are empty. `this_year` bounds the birth year as core does (a
/// stored member is read without it).
pub fn member(cells: &[&str], this_year: Option<u16>) -> Result<Member, String> {
    let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
    let name = PersonName::parse(cell(0)).map_err(|e| e.to_string())?;
    let gender = gender(cell(1)).ok_or("性别应为“男”或“女”")?;
    // "1958", "1958年", "1958-03-01", "1958.3": the year is the first four digits.
    let year = cell(2);
    let birth_year = year
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse::<u16>().ok())
        .ok_or("请填写四位数的出生年份")?;
    if let Some(this_year) = this_year {
        let min = this_year.saturating_sub(110);
        if !(min..=this_year).contains(&birth_year) {
            return Err(format!("出生年份 {birth_year} 不在 {min}–{this_year} 之间"));
        }
    }
    let phone = match cell(3) {
        "" => None,
        p => Some(Phone::parse(p).map_err(|e| e.to_string())?),
    };
    let political_status = political(cell(4))
        .ok_or("政治面貌应为 中共党员、中共预备党员、共青团员、民主党派 或 群众")?;
    let role = match cell(5) {
        "" => "成员".to_owned(),
        r if r.chars().count() > 20 => return Err("职务不能超过 20 个字".to_owned()),
        r => r.to_owned(),
    };
    Ok(Member {
        name,
        gender,
        birth_year,
        phone,
        political_status,
        role,
    })
}

/// Reads pasted lines: the members of the good ones, and what is wrong with the others.
/// Blank lines and a heading line (starting with 姓名) are skipped.
pub fn parse_lines(text: &str, this_year: u16) -> (Vec<Member>, Vec<LineError>) {
    let mut members = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line.split([',', '，', '\t', '、']).collect();
        let first = cells.first().map_or("", |c| c.trim());
        if line.trim().is_empty() || first == "姓名" {
            continue;
        }
        match member(&cells, Some(this_year)) {
            Ok(m) => members.push(m),
            Err(message) => errors.push(LineError {
                line: i + 1,
                message,
            }),
        }
    }
    (members, errors)
}

/// A member as one line of the import format, to edit.
pub fn line_of(m: &Member) -> [String; 6] {
    [
        m.name.as_str().to_owned(),
        m.gender.name_zh().to_owned(),
        m.birth_year.to_string(),
        m.phone
            .as_ref()
            .map_or(String::new(), |p| p.as_str().to_owned()),
        m.political_status.name_zh().to_owned(),
        m.role.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    #[wasm_bindgen_test]
    fn good_lines_become_members_and_bad_ones_are_named_by_number() {
        let text = "姓名,性别,出生年份,手机,政治面貌,职务\n\
                    张秀英,女,1958,13812345678,中共党员,负责人\n\
                    \n\
                    李建国\t男\t1949年\t\t群众\t成员\n\
                    王五,男,2031,,群众,成员\n\
                    赵六，女，1960，1381234，群众，成员\n\
                    钱七,不详,1960\n\
                    孙八,女,1962-05-01";
        let (members, errors) = parse_lines(text, 2026);
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["张秀英", "李建国", "孙八"]);
        assert_eq!(members[0].political_status, PoliticalStatus::PartyMember);
        assert_eq!(members[0].role, "负责人");
        assert_eq!(members[1].phone, None);
        assert_eq!(members[1].birth_year, 1949);
        assert_eq!(members[2].role, "成员");
        assert_eq!(members[2].political_status, PoliticalStatus::Masses);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 6, 7]);
        assert_eq!(
            errors[0].text(),
            "第 5 行：出生年份 2031 不在 1916–2026 之间"
        );
        assert_eq!(errors[1].text(), "第 6 行：手机号码应为 11 位数字");
        assert_eq!(errors[2].text(), "第 7 行：性别应为“男”或“女”");
    }

    #[wasm_bindgen_test]
    fn a_member_reads_back_from_its_own_line() {
        let (members, errors) = parse_lines("周九,男,1970,139 0000 0001,共青团员,副负责人", 2026);
        assert!(errors.is_empty());
        let line = line_of(&members[0]);
        let cells: Vec<&str> = line.iter().map(String::as_str).collect();
        assert_eq!(member(&cells, Some(2026)), Ok(members[0].clone()));
        assert_eq!(member(&cells, None), Ok(members[0].clone()));
    }
}
