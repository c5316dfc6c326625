//! The server's log lines (issue 11): structured fields an operator filters by, as text or as
//! JSON for log shippers, and never a credential in either.

use crate::http::{mint_token, Server};
use crate::util::TestEnv;
use serde_json::{json, Value};

const ISSUER: &str = "http://127.0.0.1";

/// Register with an initial access token, read the client with its registration access
/// token, then stop: the log of those requests, and the credentials it must not contain.
fn requests_logged(format: &str) -> (String, Vec<String>) {
    let env = TestEnv::new();
    let iat = mint_token(&env, None);
    let server = Server::start_logging(&env, ISSUER, "info", &["--log-format", format]);
    let created: Value = server
        .client
        .post(server.url("/register"))
        .bearer_auth(&iat)
        .json(&json!({ "client_name": "logged", "redirect_uris": ["https://app.example.com/cb"] }))
        .send()
        .expect("register")
        .json()
        .expect("JSON");
    let text = |key: &str| created[key].as_str().expect(key).to_owned();
    let (client_id, rat) = (text("client_id"), text("registration_access_token"));
    let read = server
        .client
        .get(server.url(&format!("/register/{client_id}")))
        .bearer_auth(&rat)
        .send()
        .expect("read");
    assert_eq!(read.status().as_u16(), 200);
    let (code, log) = server.terminate();
    assert_eq!(code, Some(0), "{log}");
    (log, vec![iat, rat, text("client_secret")])
}

fn assert_no_credential(log: &str, credentials: &[String]) {
    for (index, credential) in credentials.iter().enumerate() {
        assert!(
            !log.contains(credential.as_str()),
            "credential #{index} is in the log"
        );
    }
}

#[test]
fn json_logs_are_one_object_per_line_with_route_status_and_client() {
    let (log, credentials) = requests_logged("json");
    assert_no_credential(&log, &credentials);
    let lines: Vec<Value> = log
        .lines()
        .filter(|line| !line.starts_with("listening on "))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let request_span = |line: &Value| -> Option<Value> {
        line["spans"]
            .as_array()?
            .iter()
            .find(|span| span["name"] == "request")
            .cloned()
    };
    let finished: Vec<(Value, Value)> = lines
        .iter()
        .filter(|line| line["status"].is_number())
        .filter_map(|line| Some((request_span(line)?, line["status"].clone())))
        .collect();
    assert!(
        finished
            .iter()
            .any(|(span, status)| span["method"] == "POST"
                && span["route"] == "/register"
                && *status == 201),
        "{log}"
    );
    assert!(
        finished.iter().any(|(span, status)| span["method"] == "GET"
            && span["route"] == "/register/{client_id}"
            && *status == 200),
        "{log}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line["message"] == "client registered" && line["client_id"].is_string()),
        "{log}"
    );
}

#[test]
fn text_logs_name_the_route_pattern() {
    let (log, credentials) = requests_logged("text");
    assert_no_credential(&log, &credentials);
    assert!(log.contains(r#"route="/register/{client_id}""#), "{log}");
    assert!(log.contains("status=200"), "{log}");
}
