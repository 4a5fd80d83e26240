//! `cargo xtask serve`: the product on this machine, from a fresh clone.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::{dist, tools};

/// The district whose real streets/towns and villages the demo loads: 武隆区, Chongqing.
const DEMO_DISTRICT: &str = "500156";
/// The demo device's station: 复兴社区 of 凤山街道 (a real village code of 武隆区).
const DEMO_STATION: &str = "500156001001";

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => addr = it.next().context("--addr needs HOST:PORT")?.clone(),
            other => {
                anyhow::bail!("unknown option {other}; usage: cargo xtask serve [--addr HOST:PORT]")
            }
        }
    }
    let dist = dist::run(root, &root.join("dist"))?;
    tools::run(
        Command::new("cargo")
            .args(["build", "--profile", "server", "-p", "wenming-district"])
            .current_dir(root),
    )?;
    let bin = crate::target_dir(root).join("server/district");
    let db = root.join("data/district.db");
    let divisions = tools::division_data()?;

    tools::run(
        Command::new(&bin)
            .env("DISTRICT_DB", &db)
            .args(["import-divisions", "--district", DEMO_DISTRICT, "--source"])
            .arg(&divisions),
    )?;
    println!("\n一台演示设备的注册链接（在手机或浏览器中打开）:");
    tools::run(
        Command::new(&bin)
            .env("DISTRICT_DB", &db)
            .args(["enroll", "--role", "volunteer", "--scope", DEMO_STATION])
            .args(["--name", "演示志愿者", "--base-url"])
            .arg(format!("http://{addr}")),
    )?;
    println!(
        "\nMore devices: DISTRICT_DB={} {} enroll --role ROLE --scope CODE --name NAME",
        db.display(),
        bin.display()
    );
    tools::run(
        Command::new(&bin)
            .env("DISTRICT_DB", &db)
            .args(["serve", "--addr", &addr, "--static-dir"])
            .arg(&dist),
    )
}
