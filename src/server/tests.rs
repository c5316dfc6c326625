//! In-process tests of the router: requests go through `oneshot`, with no socket.

use super::*;
use crate::registration::Policy;
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

fn app(dir: &tempfile::TempDir, open: bool) -> Router {
    let db = dir.path().join("clients.db");
    Store::open(&db).unwrap();
    let state = AppState::new(
        Location::Sqlite(db),
        "https://as.example.com",
        "/dcr",
        open,
        Policy::default(),
    );
    router(state.unwrap())
}

async fn call(app: Router, request: axum::http::Request<Body>) -> (StatusCode, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

fn post(path: &str, content_type: &str, body: impl Into<Body>) -> axum::http::Request<Body> {
    axum::http::Request::builder()
        .header(header::HOST, "as.example.com")
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn open_registration_under_the_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"redirect_uris":["https://app.example.com/cb"]}"#;
    let (status, created) = call(
        app(&dir, true),
        post("/dcr/register", "application/json", body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["client_id"].as_str().unwrap();
    assert_eq!(
        created["registration_client_uri"],
        format!("https://as.example.com/dcr/register/{id}")
    );
    let (status, _) = call(app(&dir, true), post("/register", "application/json", body)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_oversized_body_is_413_json_whatever_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![b' '; MAX_BODY_BYTES + 1];
    let (status, body) = call(
        app(&dir, true),
        post("/dcr/register", "application/json", big),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"], "invalid_request");
    let (status, body) = call(
        app(&dir, true),
        post("/dcr/register", "application/json", "{}"),
    )
    .await;
    // A body within the limit reaches validation.
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn a_broken_database_is_a_500_that_tells_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the database file should be.
    let db = dir.path().join("secret-folder-name");
    std::fs::create_dir(&db).unwrap();
    let state = AppState::new(
        Location::Sqlite(db),
        "https://as.example.com",
        "",
        true,
        Policy::default(),
    )
    .unwrap();
    let request = axum::http::Request::builder()
        .header(header::HOST, "as.example.com")
        .uri("/healthz")
        .body(Body::empty())
        .unwrap();
    let (status, body) = call(router(state), request).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"], "server_error");
    assert!(!body.to_string().contains("secret-folder-name"), "{body}");
}

#[tokio::test]
async fn admin_basic_rotates_any_client_without_a_body() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clients.db");
    let mut store = Store::open(&db).unwrap();
    let password = crate::credentials::Secret::new("pw-of-twelve".into());
    ops::add_admin(&mut store, &ops::Actor::cli("t"), "root", &password).unwrap();
    let body = r#"{"redirect_uris":["https://app.example.com/cb"]}"#;
    let (_, created) = call(
        app(&dir, true),
        post("/dcr/register", "application/json", body),
    )
    .await;
    let id = created["client_id"].as_str().unwrap();
    let rotate = |authorization: &str| {
        axum::http::Request::builder()
            .header(header::HOST, "as.example.com")
            .method(Method::POST)
            .uri(format!("/dcr/register/{id}/secret"))
            .header(header::AUTHORIZATION, authorization)
            .body(Body::empty())
            .unwrap()
    };
    // "root:pw-of-twelve" and "root:no".
    let (status, rotated) = call(app(&dir, true), rotate("Basic cm9vdDpwdy1vZi10d2VsdmU=")).await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    assert_ne!(rotated["client_secret"], created["client_secret"]);
    assert!(rotated.get("registration_access_token").is_none());
    let (status, body) = call(app(&dir, true), rotate("Basic cm9vdDpubw==")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_token");
}

/// A body that never arrives (a slowloris) is cut off at the deadline with a JSON error.
#[tokio::test(start_paused = true)]
async fn a_request_whose_body_never_arrives_gets_408_with_a_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let never = futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
    let request = post(
        "/dcr/register",
        "application/json",
        Body::from_stream(never),
    );
    let (status, error) = call(app(&dir, true), request).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(error["error"], "temporarily_unavailable", "{error}");
}
