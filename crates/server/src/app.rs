//! The application: shared state, the router with its layers, and the server's life cycle
//! (listen first, prepare, build the first snapshot, refresh, shut down gracefully).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use interdict_snapshot::{Snapshot, SnapshotHandle, View};
use interdict_store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::{AuthMode, KeyRing, Principal, required_role};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::{decisions, native, ownership, yente};

/// How the server runs. [`ServerConfig::default`] gives the documented defaults.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Keys required, or the open demo mode.
    pub auth: AuthMode,
    /// How often the store is asked whether a list version landed (default 30 s).
    pub poll_interval: Duration,
    /// How often API keys are reloaded, which bounds how long a revoked key keeps working
    /// (default 5 s).
    pub key_reload_interval: Duration,
    /// The longest a request may take before it is answered `503` (default 30 s; the admin
    /// endpoints have 15 minutes).
    pub request_timeout: Duration,
    /// The largest request body accepted (default 4 MiB; a 100-query `/match` batch is far
    /// smaller).
    pub body_limit: usize,
    /// The largest list file `POST /v1/admin/import` accepts (default 256 MiB).
    pub import_limit: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            auth: AuthMode::Keys,
            poll_interval: Duration::from_secs(30),
            key_reload_interval: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            body_limit: 4 * 1024 * 1024,
            import_limit: 256 * 1024 * 1024,
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    /// The database.
    pub store: Store,
    /// The snapshot in force.
    pub snapshots: SnapshotHandle,
    /// The valid API keys.
    pub keys: KeyRing,
    /// The counters.
    pub metrics: Metrics,
    /// The configuration.
    pub config: ServerConfig,
}

/// The state handlers receive: a cheap clone of the shared parts.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<Shared>);

impl AppState {
    /// State over a store, with no snapshot yet.
    pub fn new(store: Store, config: ServerConfig) -> AppState {
        AppState(Arc::new(Shared {
            store,
            snapshots: SnapshotHandle::new(View::Current),
            keys: KeyRing::new(config.auth),
            metrics: Metrics::new(),
            config,
        }))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The snapshot handle.
    pub fn snapshots(&self) -> &SnapshotHandle {
        &self.0.snapshots
    }

    /// The key ring.
    pub fn keys(&self) -> &KeyRing {
        &self.0.keys
    }

    /// The snapshot in force, or `503` while none is built.
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, ApiError> {
        self.0.snapshots.load().ok_or_else(ApiError::not_ready)
    }

    /// Check for new list versions and swap in a new snapshot if there are; failures are
    /// logged and counted, and the snapshot in force keeps serving.
    pub async fn refresh(&self) {
        match self.0.snapshots.refresh(&self.0.store).await {
            Ok(interdict_snapshot::Refresh::Swapped { generation }) => {
                if let Some(s) = self.0.snapshots.load() {
                    tracing::info!(
                        generation,
                        versions = %s.label(),
                        entities = s.index().len(),
                        build_ms = s.build_time().as_millis() as u64,
                        "snapshot swapped in"
                    );
                }
            }
            Ok(interdict_snapshot::Refresh::UpToDate) => {}
            Err(e) => {
                self.0.metrics.count_refresh_failure();
                tracing::error!(error = %e, "snapshot refresh failed; the snapshot in force keeps serving");
            }
        }
    }
}

/// The OpenAPI document's frame: title, description, security schemes and tags. The paths
/// and schemas are collected from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "interdict",
        description = "Sanctions screening: a yente-compatible API (`/match`, `/search`, \
            `/entities`, `/catalog`, `/algorithms`) and interdict's own (`/v1/…`: list versions, \
            diffs, entity history, full explanations, operations).\n\n\
            Authentication: send an API key as `Authorization: ApiKey <key>`, `Authorization: \
            Bearer <key>` or `X-API-Key: <key>`. Roles: `screening` (screening and lookups), \
            `analyst` (+ versions, diffs, history, provenance), `approver` (+ approvals), `admin` \
            (+ reindex, sync, import). `/healthz`, `/readyz`, `/metrics`, `/openapi.json` and \
            `/docs` are public. Errors are `{status, detail}` JSON whose detail names what is \
            wrong.",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    components(schemas(crate::wire::NestedValue, crate::wire::EntityResponse)),
    tags(
        (name = "yente", description = "Endpoints compatible with OpenSanctions yente 5.5."),
        (name = "lists", description = "List versions, diffs and entity history."),
        (name = "screening", description = "interdict's native screening with full explanations."),
        (name = "operations", description = "Health, readiness, metrics and administration.")
    )
)]
struct ApiDoc;

/// Adds the three ways of presenting a key to the document.
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`ApiKey <key>`, the form OpenSanctions' clients send.",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "x_api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// The router of every endpoint, with its layers, and the OpenAPI document generated from
/// the same handlers (so the document describes exactly what is served).
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    let config = state.0.config.clone();
    let api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(yente::match_entities))
        .routes(routes!(yente::search))
        .routes(routes!(yente::entity))
        .routes(routes!(yente::catalog))
        .routes(routes!(yente::algorithms))
        .routes(routes!(yente::healthz))
        .routes(routes!(yente::readyz))
        .routes(routes!(native::versions))
        .routes(routes!(native::version))
        .routes(routes!(native::diff))
        .routes(routes!(native::entity_history))
        .routes(routes!(native::stored_entity))
        .routes(routes!(native::explain_match))
        .routes(routes!(native::snapshot_info))
        .routes(routes!(ownership::ownership))
        .routes(routes!(decisions::decide))
        .routes(routes!(decisions::list_licences, decisions::create))
        .routes(routes!(decisions::revoke))
        .routes(routes!(native::metrics))
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ));
    let admin = OpenApiRouter::new()
        .routes(routes!(native::reindex))
        .routes(routes!(native::sync))
        .routes(routes!(native::import))
        .layer(DefaultBodyLimit::max(config.import_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(15 * 60),
        ));
    let (router, openapi) = api.merge(admin).split_for_parts();
    let swagger = SwaggerUi::new("/docs")
        .url("/openapi.json", openapi.clone())
        .config(
            utoipa_swagger_ui::Config::from("/openapi.json")
                .validator_url("none")
                .persist_authorization(true),
        );
    let request_id = HeaderName::from_static("x-request-id");
    let router = router
        .merge(swagger)
        .route(
            "/",
            axum::routing::get(|| async { Redirect::permanent("/docs/") }),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), authorize))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state);
    (router, openapi)
}

/// `404` for a path no route serves.
async fn not_found(request: Request) -> ApiError {
    ApiError::not_found(format!(
        "no endpoint {} {}; see /openapi.json",
        request.method(),
        request.uri().path()
    ))
}

/// A panic in a handler is a bug; the client gets a `500` JSON body and the connection lives.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("handling the request", "a handler panicked").into_response()
}

/// The caller's key prefix, passed from [`authorize`] to [`observe`] for the access log.
#[derive(Debug, Clone)]
struct Caller(String);

/// Check the caller's key and role against the route's requirement.
async fn authorize(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let Some(route) = route else {
        return next.run(request).await;
    };
    let Some(needed) = required_role(request.method(), &route) else {
        return next.run(request).await;
    };
    let principal: Principal = match state.0.keys.authenticate(request.headers()) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    if principal.role < needed {
        return ApiError::forbidden(format!(
            "the key {} has the role {}; {} {route} needs {needed}",
            principal.prefix,
            principal.role,
            request.method()
        ))
        .into_response();
    }
    let caller = Caller(principal.prefix.clone());
    request.extensions_mut().insert(principal);
    let mut response = next.run(request).await;
    response.extensions_mut().insert(caller);
    response
}

/// Count and log every request: method, route template, status, latency, caller.
async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status();
    let route_label = route.as_deref().unwrap_or("unmatched");
    state
        .0
        .metrics
        .observe(method.as_str(), route_label, status.as_u16(), elapsed);
    let caller = response
        .extensions()
        .get::<Caller>()
        .map(|c| c.0.as_str())
        .unwrap_or("-");
    if status.is_server_error() {
        tracing::warn!(target: "interdict_server::access", method = %method, path = %path, route = route_label, status = status.as_u16(), micros = elapsed.as_micros() as u64, caller, "request");
    } else {
        tracing::info!(target: "interdict_server::access", method = %method, path = %path, route = route_label, status = status.as_u16(), micros = elapsed.as_micros() as u64, caller, "request");
    }
    response
}

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound or the connection loop failed.
    #[error("listening on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The preparation (importing the bundled lists) failed.
    #[error("preparing the data: {0}")]
    Prepare(String),
    /// The store could not be read at start.
    #[error(transparent)]
    Store(#[from] interdict_store::StoreError),
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: AppState,
    router: Router,
}

impl Server {
    /// Bind the listening socket (so the port answers at once) and load the API keys.
    pub async fn bind(config: ServerConfig, store: Store) -> Result<Server, ServerError> {
        let addr = config.listen;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Listen { addr, source })?;
        let state = AppState::new(store, config);
        state.0.keys.reload(&state.0.store).await?;
        let (router, _) = router(state.clone());
        Ok(Server {
            listener,
            state,
            router,
        })
    }

    /// The address actually bound (when port 0 was asked for).
    pub fn local_addr(&self) -> Result<SocketAddr, ServerError> {
        self.listener
            .local_addr()
            .map_err(|source| ServerError::Listen {
                addr: self.state.0.config.listen,
                source,
            })
    }

    /// The shared state (to inspect it in tests).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until `shutdown` completes. Requests are answered from the start (`/healthz`
    /// 200, `/readyz` 503); meanwhile `prepare` runs (e.g. importing the bundled lists), then
    /// the first snapshot is built and readiness turns true; afterwards the store is polled
    /// for new list versions and API keys are reloaded. On shutdown, requests in flight are
    /// finished before this returns. A failing `prepare` stops the server with its error.
    pub async fn run<P, S>(self, prepare: P, shutdown: S) -> Result<(), ServerError>
    where
        P: Future<Output = Result<(), String>> + Send + 'static,
        S: Future<Output = ()> + Send + 'static,
    {
        let addr = self.local_addr()?;
        let state = self.state.clone();
        if state.0.config.auth == AuthMode::Open {
            tracing::warn!(
                "OPEN MODE: every request is accepted as admin, without an API key. \
                 For a local demonstration only; never expose this server."
            );
        } else if state.0.keys.is_empty() {
            tracing::warn!(
                "no API key exists: every request except /healthz, /readyz, /metrics and the \
                 docs answers 401. Create one with `interdict keys create --role screening`."
            );
        }
        let (fatal_tx, fatal_rx) = tokio::sync::oneshot::channel::<String>();
        let background = {
            let state = state.clone();
            tokio::spawn(async move {
                if let Err(e) = prepare.await {
                    let _ = fatal_tx.send(e);
                    return;
                }
                state.refresh().await;
                let config = state.0.config.clone();
                let mut poll = tokio::time::interval(config.poll_interval);
                let mut keys = tokio::time::interval(config.key_reload_interval);
                poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                keys.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tokio::select! {
                        _ = poll.tick() => state.refresh().await,
                        _ = keys.tick() => {
                            if let Err(e) = state.0.keys.reload(&state.0.store).await {
                                tracing::warn!(error = %e, "reloading API keys failed; the keys loaded before stay in force");
                            }
                        }
                    }
                }
            })
        };
        tracing::info!(%addr, "listening");
        let failure = Arc::new(std::sync::Mutex::new(None::<String>));
        let failure_slot = Arc::clone(&failure);
        let stop = async move {
            tokio::select! {
                _ = shutdown => tracing::info!("shutting down: finishing requests in flight"),
                reason = fatal_rx => {
                    if let Ok(reason) = reason {
                        tracing::error!(error = %reason, "preparation failed; stopping");
                        if let Ok(mut slot) = failure_slot.lock() {
                            *slot = Some(reason);
                        }
                    } else {
                        // The preparation finished and dropped the sender: wait for shutdown.
                        std::future::pending::<()>().await;
                    }
                }
            }
        };
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(stop)
            .await;
        background.abort();
        served.map_err(|source| ServerError::Listen { addr, source })?;
        let failed = failure.lock().ok().and_then(|mut f| f.take());
        match failed {
            Some(reason) => Err(ServerError::Prepare(reason)),
            None => Ok(()),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM: the signals a terminal or a process manager sends.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
