//! The router in-process, without a socket: readiness before the first snapshot, auth and
//! roles, error shapes, and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use interdict_server::auth::create_key;
use interdict_server::{AppState, AuthMode, Role, ServerConfig, router};
use interdict_store::testing::test_store;
use tower::ServiceExt;

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = app.clone().oneshot(req).await.expect("response");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .expect("body");
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, json)
}

fn get(path: &str, key: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(k) = key {
        b = b.header("X-API-Key", k);
    }
    b.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn readiness_auth_and_roles_before_and_after_the_first_snapshot() {
    let store = test_store().await;
    let (_, screening) = create_key(&store, "client", Role::Screening)
        .await
        .expect("key");
    let (_, admin) = create_key(&store, "ops", Role::Admin).await.expect("key");
    let state = AppState::new(store.store().clone(), ServerConfig::default());
    assert_eq!(state.keys().reload(&store).await.expect("keys"), 2);
    let (app, openapi) = router(state.clone());

    // Alive at once, not ready, screening answers 503 until the snapshot exists.
    assert_eq!(call(&app, get("/healthz", None)).await.0, StatusCode::OK);
    let (status, body) = call(&app, get("/readyz", None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "building");
    let (status, body) = call(&app, get("/catalog", Some(&screening))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("readyz")
    );

    // Keys and roles.
    assert_eq!(
        call(&app, get("/catalog", None)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(&app, get("/catalog", Some("idk_nope"))).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = call(&app, get("/v1/versions", Some(&screening))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("analyst")
    );
    assert_eq!(
        call(&app, get("/v1/versions", Some(&admin))).await.0,
        StatusCode::OK
    );
    let (status, body) = call(&app, get("/no/such/thing", Some(&admin))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["status"], 404);

    // The first snapshot (of an empty store) makes the server ready.
    state.refresh().await;
    assert_eq!(call(&app, get("/readyz", None)).await.0, StatusCode::OK);
    let (status, body) = call(&app, get("/catalog", Some(&screening))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["index_stale"], false);

    // Open mode: everything is admin, without a key.
    let open = AppState::new(
        store.store().clone(),
        ServerConfig {
            auth: AuthMode::Open,
            ..ServerConfig::default()
        },
    );
    let (open_app, _) = router(open);
    assert_eq!(
        call(&open_app, get("/v1/versions", None)).await.0,
        StatusCode::OK
    );

    // The document names every route the router serves.
    let doc = serde_json::to_value(&openapi).expect("openapi");
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1")
    );
    assert!(
        doc["paths"]["/match/{dataset}"]["post"]["parameters"]
            .as_array()
            .is_some_and(|p| p
                .iter()
                .any(|p| p["name"] == "cutoff" && p["deprecated"] == true))
    );
}
