//! House rules, checked by `cargo test -p xtask`: every Rust file says what it is for in a
//! `//!` line, and no test is skipped or left unfinished.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && name != "node_modules" && name != "target" {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn all_rust_files() -> Vec<PathBuf> {
        let root = crate::project_root();
        let mut files = Vec::new();
        for dir in ["src", "tests", "crates", "xtask"] {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 10, "found only {} Rust files", files.len());
        files
    }

    #[test]
    fn every_rust_file_opens_with_a_module_doc() {
        let missing: Vec<_> = all_rust_files()
            .into_iter()
            .filter(|f| {
                let text = std::fs::read_to_string(f).unwrap_or_default();
                !text.trim_start().starts_with("//!")
            })
            .collect();
        assert!(missing.is_empty(), "files without a //! line: {missing:?}");
    }

    #[test]
    fn no_test_is_ignored_or_unfinished() {
        // Spelled in pieces so that this file does not find itself.
        let banned = [
            concat!("#[", "ignore"),
            concat!("todo", "!("),
            concat!("unimplemented", "!("),
        ];
        let mut found = Vec::new();
        for f in all_rust_files() {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for b in banned {
                if text.contains(b) {
                    found.push(format!("{}: {b}", f.display()));
                }
            }
        }
        assert!(found.is_empty(), "{found:?}");
    }
}
