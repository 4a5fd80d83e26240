//! `cargo xtask`: all the automation of wenming, in Rust, with no loose scripts.
//!
//! - `cargo xtask serve`: install what is missing, build the app and the district server,
//!   and run them on 127.0.0.1:8080 with an SQLite file under `./data/`.
//! - `cargo xtask test`: every check and test layer, as CI runs it.
//! - `cargo xtask dist`: the release build of the PWA into `dist/`, with its service worker
//!   precache list and precompressed files, and its size.

mod dist;
mod serve;
mod test;
mod tidy;
mod tools;

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo xtask <serve [--addr HOST:PORT] | test | dist>";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("serve") => serve::run(&root, &args[1..]),
        Some("test") => test::run(&root),
        Some("dist") => dist::run(&root, &root.join("dist")).map(|_| ()),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}

/// The workspace root: the nearest folder, from where cargo was run upwards, that holds
/// `xtask/`; else the folder this binary was built from. Not the build-time path first:
/// clones in other folders that share a target directory share this binary too.
fn project_root() -> PathBuf {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            cwd.ancestors()
                .find(|dir| {
                    dir.join("xtask/Cargo.toml").is_file() && dir.join("Cargo.toml").is_file()
                })
                .map(Path::to_path_buf)
        })
        .unwrap_or(built_from)
}

/// Where cargo puts its builds: `CARGO_TARGET_DIR` if set (CI points it at a cache outside
/// the clone), else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// A cache for downloaded data that outlives clones: `~/.cache/wenming`.
fn cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("wenming")
}
