//! A pseudo-terminal made by util-linux `script`, for tests of what a user at a terminal sees:
//! prompts, hidden input, table widths.

use crate::util::TestEnv;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub(crate) struct PtyRun {
    pub(crate) code: i32,
    /// Everything the terminal showed: stdout and stderr interleaved, as a user sees them.
    pub(crate) screen: String,
}

/// Run `dcrctl ARGS` on a pseudo-terminal. When `prompt` is given, wait until the terminal
/// shows it, then type `input`.
pub(crate) fn on_terminal(
    env: &TestEnv,
    args: &[&str],
    prompt: Option<&str>,
    input: &str,
    extra_env: &[(&str, &str)],
) -> PtyRun {
    dialogue(env, args, &[(prompt.unwrap_or(""), input)], extra_env)
}

/// Run `dcrctl ARGS` on a pseudo-terminal and answer its prompts in order: for each step, wait
/// until the terminal shows the prompt (after the previous one), then type the answer.
pub(crate) fn dialogue(
    env: &TestEnv,
    args: &[&str],
    steps: &[(&str, &str)],
    extra_env: &[(&str, &str)],
) -> PtyRun {
    dialogue_sized(env, None, args, steps, extra_env)
}

/// [`dialogue`] on a terminal `columns` wide (24 rows), as a user's 80×24 window is;
/// `None` keeps the size `script` gives.
pub(crate) fn dialogue_sized(
    env: &TestEnv,
    columns: Option<u16>,
    args: &[&str],
    steps: &[(&str, &str)],
    extra_env: &[(&str, &str)],
) -> PtyRun {
    let binary = assert_cmd::cargo::cargo_bin("dcrctl");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let command_line = std::iter::once(quote(binary.to_str().unwrap()))
        .chain(args.iter().map(|a| quote(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let command_line = match columns {
        Some(columns) => format!("stty cols {columns} rows 24; exec {command_line}"),
        None => command_line,
    };
    let mut command = Command::new("script");
    command
        .args(["-qec", &command_line, "/dev/null"])
        .env("DCRCTL_DB", env.location())
        .env("HOME", env.dir())
        .env("USER", "tester")
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("util-linux script");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (chunks, received) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n @ 1..) = stdout.read(&mut buffer) {
            if chunks.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = 0;
    for (prompt, input) in steps {
        loop {
            let text = String::from_utf8_lossy(&screen[seen..]).into_owned();
            if let Some(at) = text.find(prompt) {
                seen += text[..at + prompt.len()].len();
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok(chunk) => screen.extend(chunk),
                Err(_) => panic!(
                    "no prompt {prompt:?} on the terminal:\n{}",
                    String::from_utf8_lossy(&screen)
                ),
            }
        }
        if !prompt.is_empty() {
            // The prompt is printed just before the terminal mode changes, and a mode change
            // may flush what was typed ahead; give it a moment, as a human would.
            std::thread::sleep(Duration::from_millis(300));
        }
        stdin.write_all(input.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    // stdin stays open until the program ends, or `script` would hang up the terminal early.
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dcrctl {args:?} did not finish on the terminal");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    reader.join().unwrap();
    screen.extend(received.try_iter().flatten());
    PtyRun {
        code: status.code().unwrap_or(-1),
        screen: String::from_utf8_lossy(&screen).into_owned(),
    }
}
