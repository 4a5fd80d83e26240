//! `cargo xtask dist`: the release build of the PWA, ready for the district server.
//!
//! trunk builds the app twice with content-hashed file names — the volunteers' app into
//! `dist/` and the workbench (feature `work`) into `dist/work/` — then this step writes each
//! service worker's precache list (versioned by the content of its build) and a brotli and
//! a gzip copy of every compressible file, which the server sends as they are.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::tools;

const PLACEHOLDER: &str = "__PRECACHE_MANIFEST__";
const COMPRESSIBLE: &[&str] = &["html", "js", "css", "wasm", "webmanifest", "json", "svg"];

/// One of the two builds of the app: the volunteers' app at `/`, the workbench (filing,
/// review, station work) at `/work/`. A phone downloads only its own.
struct Build {
    /// The page trunk builds from, relative to the workspace.
    html: &'static str,
    /// Where it is served, and its folder inside `dist` ("" for the root).
    scope: &'static str,
    folder: &'static str,
    name: &'static str,
}

const BUILDS: [Build; 2] = [
    Build {
        html: "index.html",
        scope: "/",
        folder: "",
        name: "volunteers' app (/)",
    },
    Build {
        html: "static/work/index.html",
        scope: "/work/",
        folder: "work",
        name: "workbench (/work/)",
    },
];

/// Builds both apps into `dist` and returns its path.
pub fn run(root: &Path, dist: &Path) -> Result<PathBuf> {
    tools::ensure_build_tools(root)?;
    // wasm-bindgen never removes the snippet of an `inline_js` the code no longer has, and
    // trunk would ship and precache it: start each build without the old ones.
    let snippets = crate::target_dir(root).join("wasm-bindgen/release/snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets)
            .with_context(|| format!("removing {}", snippets.display()))?;
    }
    // The root build first: trunk empties its --dist folder, which holds the other.
    for build in &BUILDS {
        tools::run(
            Command::new("trunk")
                .args(["build", "--release", "--offline", "--skip-version-check"])
                .arg(build.html)
                .arg("--public-url")
                .arg(build.scope)
                .arg("--dist")
                .arg(dist.join(build.folder))
                .current_dir(root),
        )?;
    }
    let dist = dist.to_path_buf();
    for build in &BUILDS {
        let elsewhere: Vec<&str> = BUILDS
            .iter()
            .filter(|b| b.scope != build.scope && b.scope.starts_with(build.scope))
            .map(|b| b.scope)
            .collect();
        let assets = post_process(&dist, build.scope, &elsewhere)?;
        println!("\n{}", build.name);
        report(&dist, &assets)?;
    }
    Ok(dist)
}

/// Writes the precache list into the `sw.js` of the build served at `scope` (the other
/// builds' folders, `elsewhere`, are left to their own workers) and the precompressed
/// copies of its files; returns the assets.
pub fn post_process(dist: &Path, scope: &str, elsewhere: &[&str]) -> Result<Vec<String>> {
    let mut files = Vec::new();
    list_files(dist, &dist.join(&scope[1..]), &mut files)?;
    files.retain(|f| {
        !f.ends_with(".br") && !f.ends_with(".gz") && !elsewhere.iter().any(|e| f.starts_with(e))
    });
    files.sort();

    // Everything but the worker itself is precached; the scope is served from index.html.
    let worker = format!("{scope}sw.js");
    let assets: Vec<String> = files.iter().filter(|f| **f != worker).cloned().collect();
    let mut hash = Sha256::new();
    for a in &assets {
        hash.update(a.as_bytes());
        hash.update(std::fs::read(dist.join(&a[1..]))?);
    }
    let version: String = hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let manifest = serde_json::json!({
        "version": version,
        "scope": scope,
        "shell": format!("{scope}index.html"),
        "elsewhere": elsewhere,
        "assets": assets,
    });

    let sw_path = dist.join(&worker[1..]);
    let sw = std::fs::read_to_string(&sw_path)
        .with_context(|| format!("{} is missing", sw_path.display()))?;
    if !sw.contains(PLACEHOLDER) {
        bail!("{} has no {PLACEHOLDER} to fill in", sw_path.display());
    }
    std::fs::write(&sw_path, sw.replace(PLACEHOLDER, &manifest.to_string()))?;

    for f in &files {
        let ext = f.rsplit('.').next().unwrap_or_default();
        if COMPRESSIBLE.contains(&ext) {
            precompress(&dist.join(&f[1..]))?;
        }
    }
    Ok(assets)
}

fn list_files(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(format!("/{}", rel.to_string_lossy().replace('\\', "/")));
        }
    }
    Ok(())
}

fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data)?;
    }
    Ok(out)
}

fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(data)?;
    Ok(w.finish()?)
}

/// Writes `f.br` and `f.gz` beside `f`, each only where it is smaller than `f`.
fn precompress(f: &Path) -> Result<()> {
    let data = std::fs::read(f)?;
    for (ext, packed) in [("br", brotli(&data)?), ("gz", gzip(&data)?)] {
        let mut name = f.as_os_str().to_owned();
        name.push(format!(".{ext}"));
        if packed.len() < data.len() {
            std::fs::write(PathBuf::from(name), packed)?;
        }
    }
    Ok(())
}

/// Prints what a phone downloads on its first visit: each asset raw, gzip and brotli.
fn report(dist: &Path, assets: &[String]) -> Result<()> {
    let (mut raw_total, mut gz_total, mut br_total) = (0, 0, 0);
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        "asset", "raw", "gzip", "brotli"
    );
    for a in assets {
        let data = std::fs::read(dist.join(&a[1..]))?;
        let ext = a.rsplit('.').next().unwrap_or_default();
        let (gz, br) = if COMPRESSIBLE.contains(&ext) {
            (gzip(&data)?.len(), brotli(&data)?.len())
        } else {
            (data.len(), data.len())
        };
        println!("{a:<48} {:>10} {gz:>10} {br:>10}", data.len());
        raw_total += data.len();
        gz_total += gz;
        br_total += br;
    }
    println!(
        "{:<48} {raw_total:>10} {gz_total:>10} {br_total:>10}",
        "total (bytes)"
    );
    Ok(())
}
