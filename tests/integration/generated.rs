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
        for found in sql_in(text) {
            offenders.push(format!("{}: {found}", path.display()));
        }
    });
    assert!(offenders.is_empty(), "SQL outside src/store: {offenders:?}");
}

/// The SQL (or SQLite machinery) in `text`: a statement's opening words, a PRAGMA, or the
/// rusqlite crate.
fn sql_in(text: &str) -> Vec<String> {
    const PHRASES: &[&str] = &[
        "rusqlite",
        "INSERT INTO",
        "DELETE FROM",
        "CREATE TABLE",
        "CREATE INDEX",
        "ALTER TABLE",
        "DROP TABLE",
        "BEGIN IMMEDIATE",
        "SAVEPOINT",
        "sqlite_master",
        "user_version",
    ];
    let mut found: Vec<String> = PHRASES
        .iter()
        .filter(|phrase| text.contains(*phrase))
        .map(|phrase| (*phrase).to_owned())
        .collect();
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '*'))
        .filter(|word| !word.is_empty())
        .collect();
    for (at, word) in words.iter().enumerate() {
        let next = |n: usize| words.get(at + n).copied().unwrap_or("");
        let statement = match *word {
            // `UPDATE <table> SET`, `SELECT <columns…> FROM`.
            "UPDATE" if next(2) == "SET" => Some(format!("UPDATE {} SET", next(1))),
            "SELECT" if (1..=8).any(|n| next(n) == "FROM") => Some("SELECT … FROM".to_owned()),
            // A pragma statement, not the HTTP `Pragma` header (`header::PRAGMA`).
            "PRAGMA" if next(1).chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                Some(format!("PRAGMA {}", next(1)))
            }
            _ => None,
        };
        found.extend(statement);
    }
    found
}

#[test]
fn the_sql_guard_sees_statements_and_pragmas_but_not_prose_or_headers() {
    assert_eq!(
        sql_in("tx.execute(\"UPDATE admins SET hash = ?1\")"),
        ["UPDATE admins SET"]
    );
    assert_eq!(
        sql_in("\"PRAGMA synchronous = NORMAL\""),
        ["PRAGMA synchronous"]
    );
    assert_eq!(
        sql_in("\"SELECT count(*) FROM clients\""),
        ["SELECT … FROM"]
    );
    assert_eq!(
        sql_in("conn.execute_batch(\"SAVEPOINT job\")"),
        ["SAVEPOINT"]
    );
    assert!(sql_in("(header::PRAGMA, HeaderValue::from_static(\"no-cache\"))").is_empty());
    assert!(sql_in("// select the clients to update, then set their names").is_empty());
}

/// The layering of docs/architecture.md: each module uses only the modules below it, so
/// the library has one core and the faces stay thin.
#[test]
fn modules_import_only_what_the_architecture_allows() {
    let rules: &[(&str, &[&str])] = &[
        (
            "registration",
            &["crate::", "rusqlite", "axum::", "tokio::", "clap::"],
        ),
        ("credentials.rs", &["crate::"]),
        (
            "store",
            &[
                "crate::ops",
                "crate::cli",
                "crate::server",
                "crate::output",
                "axum::",
                "clap::",
                "anyhow",
            ],
        ),
        (
            "ops",
            &[
                "crate::cli",
                "crate::server",
                "crate::output",
                "clap::",
                "axum::",
                "tokio::",
                "dialoguer::",
                "comfy_table::",
                "anyhow",
                "hyper::",
            ],
        ),
        (
            "output",
            &[
                "crate::store",
                "crate::cli",
                "crate::server",
                "axum::",
                "tokio::",
                "clap::",
            ],
        ),
        (
            "server",
            &[
                "crate::cli",
                "crate::store",
                "crate::output",
                "clap::",
                "dialoguer::",
                "comfy_table::",
            ],
        ),
        ("cli", &["crate::store", "axum::", "hyper::"]),
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for (module, forbidden) in rules {
        let root = src.join(module);
        let mut check = |path: &Path, text: &str| {
            for needle in *forbidden {
                if text.contains(needle) {
                    offenders.push(format!("{}: {needle}", path.display()));
                }
            }
            // Only `serve` starts the server; no other command knows it exists.
            if *module == "cli" && !path.ends_with("serve.rs") && text.contains("crate::server") {
                offenders.push(format!("{}: crate::server", path.display()));
            }
        };
        if root.is_dir() {
            visit(&root, &mut check);
        } else {
            check(&root, &std::fs::read_to_string(&root).unwrap());
        }
    }
    assert!(
        offenders.is_empty(),
        "imports against docs/architecture.md: {offenders:?}"
    );
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
