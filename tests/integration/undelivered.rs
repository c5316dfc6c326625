//! A command that issues a secret or token prints it before its transaction commits: when the
//! output cannot be written (a full disk, a reader that went away), it exits 1 and the
//! database is unchanged, so no credential is ever stored that nobody saw. Read-only commands
//! keep treating a closed pipe as the quiet end of `| head`.

use crate::util::{all_cases, redact, Run, TestEnv};
use serde_json::json;
use std::fs::File;
use std::io::Write;
use std::process::Stdio;

const CB: &str = "https://app.example.com/callback";

/// Run `dcrctl ARGS` with `stdin` and the given stdout; stderr is captured.
fn run_into(env: &TestEnv, args: &[&str], stdin: &str, stdout: Stdio) -> Run {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dcrctl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("run dcrctl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A stdout whose every write fails with ENOSPC.
fn full_disk() -> Stdio {
    File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full")
        .into()
}

/// A stream whose reader is already gone: the first write fails with EPIPE, as into a pipe
/// whose reader exited (a socket pair, because `std::io::pipe` is newer than our MSRV).
fn pipe_without_reader() -> Stdio {
    let (reader, writer) = std::os::unix::net::UnixStream::pair().expect("socket pair");
    drop(reader);
    std::os::fd::OwnedFd::from(writer).into()
}

#[test]
fn credential_commands_write_nothing_when_their_output_fails() {
    let env = TestEnv::new();
    let web = env.register("web")["client_id"]
        .as_str()
        .expect("client_id")
        .to_owned();
    let public = env
        .run(&[
            "-o",
            "json",
            "register",
            "--client-name",
            "public",
            "--redirect-uri",
            CB,
            "--token-endpoint-auth-method",
            "none",
        ])
        .ok()
        .json()["client_id"]
        .as_str()
        .expect("client_id")
        .to_owned();
    let apply_file = json!([{"client_id": "provisioned", "redirect_uris": [CB]}]).to_string();
    let cases: &[(&str, (Vec<&str>, &str))] = &[
        (
            "register",
            (
                vec!["register", "--client-name", "new", "--redirect-uri", CB],
                "",
            ),
        ),
        (
            "register -o json",
            (vec!["-o", "json", "register", "--redirect-uri", CB], ""),
        ),
        (
            "register --upsert (creates)",
            (
                vec![
                    "register",
                    "--upsert",
                    "--client-id",
                    "up",
                    "--redirect-uri",
                    CB,
                ],
                "",
            ),
        ),
        ("rotate-secret", (vec!["rotate-secret", &web], "")),
        ("rotate-token", (vec!["rotate-token", &web], "")),
        (
            "update that issues a secret",
            (
                vec![
                    "update",
                    &public,
                    "--token-endpoint-auth-method",
                    "client_secret_basic",
                ],
                "",
            ),
        ),
        ("token create", (vec!["token", "create"], "")),
        ("apply -", (vec!["apply", "-"], &apply_file)),
    ];
    all_cases(cases, |(args, stdin)| {
        for (how, stdout) in [
            ("full disk", full_disk()),
            ("reader gone", pipe_without_reader()),
        ] {
            let run = env.unchanged(|| run_into(&env, args, stdin, stdout));
            let run = run.fails(1);
            assert!(
                run.stderr
                    .contains("could not write the output, so nothing was changed"),
                "{how}: {}",
                redact(&run.stderr)
            );
            assert!(
                !run.stderr.contains("dcrsec_") && !run.stderr.contains("dcrrat_"),
                "{how}: a credential reached stderr"
            );
        }
    });
    // The same commands with a working stdout still succeed and print their credentials.
    let applied = env
        .run_stdin(&["-o", "json", "apply", "-"], &apply_file)
        .ok()
        .json();
    assert_eq!(applied["counts"]["created"], 1);
    assert!(applied["clients"][0]["client_secret"]
        .as_str()
        .is_some_and(|secret| secret.starts_with("dcrsec_")));
}

#[test]
fn a_rotation_that_could_not_be_shown_keeps_the_old_secret() {
    let env = TestEnv::new();
    let created = env.register("web");
    let id = created["client_id"].as_str().expect("client_id");
    let secret = created["client_secret"].as_str().expect("client_secret");
    run_into(&env, &["rotate-secret", id], "", full_disk()).fails(1);
    env.run_stdin(&["verify-secret", id], secret).ok();
}

#[test]
fn reads_into_a_pipe_without_reader_still_exit_zero() {
    let env = TestEnv::new();
    env.register("web");
    for args in [
        vec!["list"],
        vec!["-o", "json", "list"],
        vec!["export"],
        vec!["events"],
    ] {
        let run = run_into(&env, &args, "", pipe_without_reader());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
    }
}
