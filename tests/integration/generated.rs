//! The checked-in completions and man pages must match what the current CLI generates.
//! On a mismatch the files are rewritten and the test fails: run `cargo test` locally and
//! commit the result.

use dcrctl::cli::generate::{completion_files, man_files};
use std::path::Path;

fn ensure_current(dir: &str, files: Vec<(String, Vec<u8>)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    std::fs::create_dir_all(&root).unwrap();
    let mut stale = Vec::new();
    for (name, contents) in &files {
        let path = root.join(name);
        if std::fs::read(&path).ok().as_deref() != Some(contents.as_slice()) {
            std::fs::write(&path, contents).unwrap();
            stale.push(name.clone());
        }
    }
    let expected: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !expected.contains(&name.as_str()) {
            std::fs::remove_file(root.join(&name)).unwrap();
            stale.push(format!("{name} (removed)"));
        }
    }
    assert!(
        stale.is_empty(),
        "{dir}/ was stale and has been regenerated: {stale:?}; commit the new files"
    );
}

#[test]
fn completions_are_current() {
    ensure_current("completions", completion_files());
}

#[test]
fn man_pages_are_current() {
    ensure_current("man", man_files().unwrap());
}

#[test]
fn cli_definition_is_consistent() {
    use clap::CommandFactory;
    dcrctl::cli::Cli::command().debug_assert();
}

#[test]
fn completions_and_man_never_open_the_database() {
    let env = crate::util::TestEnv::new();
    env.run(&["completions", "bash"]).ok();
    env.run(&["man"]).ok();
    let out = env.dir().join("pages");
    env.run(&["man", "--out-dir", out.to_str().unwrap()]).ok();
    assert!(out.join("dcrctl-register.1").exists());
    assert!(!env.db().exists());
}

/// SQL and rusqlite belong to the store module alone (STYLE §2), which keeps it the one seam
/// for another backend.
#[test]
fn sql_lives_only_in_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    visit(&src, &mut |path, text| {
        if path.starts_with(src.join("store")) {
            return;
        }
        for needle in [
            "rusqlite",
            "SELECT ",
            "INSERT INTO",
            "UPDATE clients",
            "DELETE FROM",
        ] {
            if text.contains(needle) {
                offenders.push(format!("{}: {needle}", path.display()));
            }
        }
    });
    assert!(offenders.is_empty(), "SQL outside src/store: {offenders:?}");
}

fn visit(dir: &Path, check: &mut dyn FnMut(&Path, &str)) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, check);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            check(&path, &std::fs::read_to_string(&path).unwrap());
        }
    }
}
