//! C3 over HTTP: `interdict serve` started for real on a free port against the test database
//! (SQLite, or PostgreSQL with `INTERDICT_TEST_DATABASE`), with real lists: yente-shaped
//! requests from yente's documentation, clients we did not write (nomenklatura's yente
//! enricher, schemathesis against `/openapi.json`), auth, bad input, readiness, hot swap.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Cli, list_file, repo};

/// A running `interdict serve`, killed when dropped.
pub struct Served {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
}

/// One HTTP answer.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn reply(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>, what: &str) -> Reply {
    let mut r = r.unwrap_or_else(|e| panic!("{what}: {e}"));
    let headers = r
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let status = r.status().as_u16();
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Reply {
        status,
        body,
        headers,
    }
}

impl Served {
    /// Start `interdict [--database DB] serve --listen 127.0.0.1:0 ARGS` and wait until it
    /// listens (not until it is ready).
    pub fn start(database: Option<&str>, args: &[&str], envs: &[(&str, &str)]) -> Served {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_interdict"));
        if let Some(db) = database {
            cmd.arg("--database").arg(db);
        }
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("INTERDICT_DATABASE")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start interdict serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("interdict serving http://").nth(1) {
                    let addr = rest
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    let _ = tx.send(addr);
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the server did not start:\n{}",
                    log.lock().unwrap().join("\n")
                );
            }
        };
        Served {
            child,
            base: format!("http://{addr}"),
            log,
        }
    }

    /// Everything the server wrote on stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Wait until `/readyz` answers 200.
    pub fn wait_ready(&self, limit: Duration) {
        let started = Instant::now();
        loop {
            if self.get("/readyz", None).status == 200 {
                return;
            }
            assert!(
                started.elapsed() < limit,
                "not ready after {limit:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn auth(
        req: ureq::RequestBuilder<ureq::typestate::WithoutBody>,
        key: Option<&str>,
    ) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
        match key {
            Some(k) => req.header("Authorization", &format!("ApiKey {k}")),
            None => req,
        }
    }

    /// `GET path` with the key as `Authorization: ApiKey`.
    pub fn get(&self, path: &str, key: Option<&str>) -> Reply {
        let req = Self::auth(agent().get(&format!("{}{path}", self.base)), key);
        reply(req.call(), &format!("GET {path}"))
    }

    /// `GET path` with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = agent().get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        reply(req.call(), &format!("GET {path}"))
    }

    /// `POST path` with a raw body and headers.
    pub fn post_raw(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut req = agent().post(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        reply(req.send(body), &format!("POST {path}"))
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, key: Option<&str>, body: &Value) -> Reply {
        let auth = key.map(|k| format!("ApiKey {k}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        self.post_raw(path, &headers, body.to_string().as_bytes())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Create a key of a role with the CLI and return it.
pub fn create_key(cli: &Cli, role: &str) -> String {
    let r = cli.ok(&["--json", "keys", "create", "--role", role, "--name", role]);
    r.json()["key"].as_str().expect("key").to_string()
}

/// A query for `/match` in yente's shape.
fn person(name: &str, birth_date: Option<&str>) -> Value {
    let mut props = json!({ "name": [name] });
    if let Some(d) = birth_date {
        props["birthDate"] = json!([d]);
    }
    json!({ "queries": { "q": { "schema": "Person", "properties": props } } })
}

fn ids(response: &Value, key: &str) -> Vec<String> {
    response["responses"][key]["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results for {key}: {response}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A client the test suite runs but did not write is missing: a skip on a developer's machine,
/// a failure where `INTERDICT_REQUIRE_API_CLIENTS` is set (`.ci/run` sets it after installing
/// them), so that CI cannot pass without running them.
fn missing_client(what: &str) {
    let message = format!("{what} is not installed (pip install nomenklatura schemathesis)");
    assert!(
        std::env::var_os("INTERDICT_REQUIRE_API_CLIENTS").is_none(),
        "{message}"
    );
    eprintln!("SKIPPED: {message}");
}

/// Whether a Python module can be imported here.
fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn yente_compatible_server_on_the_bundled_lists() {
    let cli = Cli::new().await;
    let screening = create_key(&cli, "screening");
    let analyst = create_key(&cli, "analyst");
    let admin = create_key(&cli, "admin");
    let server = Served::start(
        Some(&cli.db.url()),
        &[
            "--bundled",
            "--key-reload-interval",
            "1",
            "--body-limit-kib",
            "256",
        ],
        &[],
    );
    server.wait_ready(Duration::from_secs(600));
    let key = Some(screening.as_str());

    // --- The request of yente's documentation (EntityMatchQuery), unchanged. ---
    let doc_query = json!({
        "queries": {
            "q1": {"schema": "Person", "properties": {
                "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                "birthDate": ["1951"], "nationality": ["ru"]}},
            "q2": {"schema": "Company", "properties": {
                "name": "Stroygazmontazh", "jurisdiction": ["Russia"],
                "registrationNumber": ["..."]}}
        }
    });
    let r = server.post("/match/default", key, &doc_query);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("x-batch-size"), Some("2"));
    assert!(
        r.header("x-interdict-snapshot")
            .is_some_and(|s| s.contains("us_ofac_sdn@"))
    );
    let v = r.json();
    assert_eq!(v["limit"], 5);
    assert_eq!(v["responses"]["q1"]["status"], 200);
    assert_eq!(
        ids(&v, "q1").first().map(String::as_str),
        Some("ofac-16669"),
        "{v}"
    );
    assert_eq!(
        ids(&v, "q2").first().map(String::as_str),
        Some("ofac-16828"),
        "{v}"
    );
    assert_eq!(
        v["responses"]["q2"]["query"]["properties"]["name"],
        json!(["Stroygazmontazh"])
    );
    let top = &v["responses"]["q1"]["results"][0];
    for field in [
        "id",
        "caption",
        "schema",
        "properties",
        "datasets",
        "referents",
        "target",
        "first_seen",
        "last_seen",
        "last_change",
        "score",
        "match",
        "explanations",
    ] {
        assert!(top.get(field).is_some(), "result lacks {field}: {top}");
    }
    assert_eq!(top["datasets"], json!(["us_ofac_sdn"]));
    assert_eq!(top["target"], true);
    assert_eq!(top["first_seen"], "2023-12-28T00:00:00");
    let matches = v["responses"]["q1"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["match"] == true)
        .count();
    assert_eq!(v["responses"]["q1"]["total"]["value"], matches);
    assert_eq!(v["responses"]["q1"]["total"]["relation"], "eq");

    // --- Lukashenka, with the explanation; the DOB lifts, a wrong DOB drops. ---
    let v = server
        .post(
            "/match/default",
            key,
            &person("Alexander Lukashenko", Some("1954-08-30")),
        )
        .json();
    let top = &v["responses"]["q"]["results"][0];
    assert_eq!(top["id"], "ofac-9760", "{v}");
    assert_eq!(top["match"], true);
    let name = top["explanations"]["name_match"]["detail"]
        .as_str()
        .unwrap_or_default();
    assert!(!name.is_empty(), "{top}");
    assert!(
        top["explanations"]["dob_match"]["score"].as_f64() > Some(0.0),
        "{top}"
    );
    let v = server
        .post(
            "/match/default",
            key,
            &person("Alexander Lukashenko", Some("1975")),
        )
        .json();
    assert!(
        v["responses"]["q"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != "ofac-9760" || r["match"] == false),
        "{v}"
    );

    // --- Parameters: threshold, deprecated cutoff, fuzzy and algorithm names, filters. ---
    let q = person("Alexander Lukashenko", None);
    let low = server
        .post("/match/default?threshold=0.5&cutoff=0.2&limit=20", key, &q)
        .json();
    let all = low["responses"]["q"]["results"].as_array().unwrap();
    assert!(
        all.iter().any(|r| r["match"] == false),
        "a lower cutoff shows non-matches: {low}"
    );
    assert_eq!(low["limit"], 20);
    for params in [
        "algorithm=best&fuzzy=False&cutoff=0.5",
        "algorithm=logic-v2",
        "algorithm=logic-v1&fuzzy=true",
        "algorithm=name-based",
        "algorithm=interdict-v1&topics=sanction&changed_since=2020-01-01",
    ] {
        let r = server.post(&format!("/match/sanctions?{params}"), key, &q);
        assert_eq!(r.status, 200, "{params}: {}", r.body);
        assert_eq!(
            ids(&r.json(), "q").first().map(String::as_str),
            Some("ofac-9760"),
            "{params}"
        );
    }
    let un_only = server
        .post("/match/default?include_dataset=un_sc_sanctions", key, &q)
        .json();
    assert!(
        ids(&un_only, "q").iter().all(|i| !i.starts_with("ofac-")),
        "{un_only}"
    );
    let excluded = server
        .post("/match/default?exclude_entity_ids=ofac-9760", key, &q)
        .json();
    assert!(!ids(&excluded, "q").contains(&"ofac-9760".to_string()));
    let future = server
        .post("/match/default?changed_since=2030-01-01T12", key, &q)
        .json();
    assert!(ids(&future, "q").is_empty());
    let sdn = server.post("/match/us_ofac_sdn", key, &q).json();
    assert_eq!(
        ids(&sdn, "q").first().map(String::as_str),
        Some("ofac-9760")
    );
    let uk = server.post("/match/gb_hmt_sanctions", key, &q).json();
    assert!(ids(&uk, "q").iter().all(|i| !i.starts_with("ofac-")));

    // --- Client mistakes: 4xx with a message that names what is wrong. ---
    let json_headers = [
        ("Content-Type", "application/json"),
        ("X-API-Key", screening.as_str()),
    ];
    let bad = |r: Reply, status: u16, needle: &str| {
        assert_eq!(r.status, status, "{}", r.body);
        let detail = r.json()["detail"].as_str().unwrap_or_default().to_string();
        assert!(detail.contains(needle), "{needle:?} not in {detail:?}");
    };
    bad(
        server.post_raw("/match/default", &json_headers, b"{\"queries\": {"),
        400,
        "line 1 column",
    );
    bad(
        server.post_raw("/match/default", &json_headers, b"{\"queries\": []}"),
        422,
        "queries",
    );
    bad(
        server.post_raw(
            "/match/default",
            &json_headers,
            b"{\"queries\": {}, \"extra\": 1}",
        ),
        422,
        "extra",
    );
    bad(
        server.post_raw(
            "/match/default",
            &json_headers,
            b"{\"queries\": {}, \"weights\": {\"nonsense\": 1}}",
        ),
        422,
        "nonsense",
    );
    bad(
        server.post_raw(
            "/match/default",
            &[("X-API-Key", screening.as_str())],
            b"{\"queries\": {}}",
        ),
        415,
        "Content-Type",
    );
    bad(
        server.post("/match/default?colour=red", key, &q),
        400,
        "`colour`",
    );
    bad(
        server.post("/match/default?limit=many", key, &q),
        400,
        "`limit`",
    );
    bad(
        server.post("/match/default?limit=501", key, &q),
        400,
        "`limit`",
    );
    bad(
        server.post("/match/default?threshold=2", key, &q),
        400,
        "`threshold`",
    );
    bad(
        server.post("/match/default?algorithm=magic", key, &q),
        400,
        "magic",
    );
    bad(
        server.post("/match/default?changed_since=yesterday", key, &q),
        400,
        "changed_since",
    );
    bad(
        server.post("/match/default?include_dataset=nope", key, &q),
        400,
        "nope",
    );
    bad(server.post("/match/nope", key, &q), 404, "nope");
    bad(
        server.post(
            "/match/default",
            key,
            &json!({"queries": {"x": {"schema": "Sanction", "properties": {"name": "a"}}}}),
        ),
        400,
        "queries.x",
    );
    bad(
        server.post(
            "/match/default",
            key,
            &json!({"queries": {"x": {"schema": "Person", "properties": {"name": {"a": 1}}}}}),
        ),
        422,
        "queries.x.properties.name",
    );
    bad(
        server.post(
            "/match/default",
            key,
            &json!({"queries": {}, "config": {"nm_number_mismatch": 0.4}}),
        ),
        400,
        "nm_number_mismatch",
    );
    let many: serde_json::Map<String, Value> = (0..101)
        .map(|i| {
            (
                format!("q{i}"),
                json!({"schema": "Person", "properties": {"name": "x"}}),
            )
        })
        .collect();
    bad(
        server.post("/match/default", key, &json!({ "queries": many })),
        400,
        "101",
    );
    let huge = format!(
        "{{\"queries\": {{}}, \"config\": {{\"x\": \"{}\"}}}}",
        "a".repeat(300 * 1024)
    );
    assert_eq!(
        server
            .post_raw("/match/default", &json_headers, huge.as_bytes())
            .status,
        413
    );

    // --- Search, entities, catalogue, algorithms, health. ---
    let s = server
        .get(
            "/search/default?q=Naftan&limit=3&facets=countries&facets=schema",
            key,
        )
        .json();
    assert_eq!(s["results"][0]["id"], "ofac-12860", "{s}");
    assert!(
        s["facets"]["countries"]["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["name"] == "by")
    );
    assert_eq!(s["limit"], 3);
    let listing = server
        .get("/search/us_ofac_sdn?limit=2&offset=2&sort=caption:asc", key)
        .json();
    assert_eq!(
        listing["results"].as_array().map(Vec::len),
        Some(2),
        "{listing}"
    );
    bad(
        server.get("/search/default?q=x&facets=colour", key),
        400,
        "colour",
    );
    bad(
        server.get("/search/default?q=x&sort=caption:sideways", key),
        400,
        "sort",
    );

    let e = server.get("/entities/ofac-9760", key).json();
    assert_eq!(e["id"], "ofac-9760");
    assert_eq!(e["datasets"], json!(["us_ofac_sdn"]));
    let sanctions = e["properties"]["sanctions"]
        .as_array()
        .expect("nested sanctions");
    assert_eq!(sanctions[0]["schema"], "Sanction");
    assert_eq!(sanctions[0]["properties"]["program"], json!(["BELARUS"]));
    assert!(
        e["properties"]["addressEntity"][0]["schema"] == "Address",
        "{e}"
    );
    let flat = server.get("/entities/ofac-9760?nested=false", key).json();
    assert!(flat["properties"]["addressEntity"][0].is_string());
    assert!(flat["properties"].get("sanctions").is_none());
    bad(server.get("/entities/ofac-0", key), 404, "ofac-0");

    let catalog = server.get("/catalog", key);
    assert_eq!(catalog.status, 200);
    let etag = catalog.header("etag").expect("etag").to_string();
    let c = catalog.json();
    let names: Vec<&str> = c["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    for n in [
        "default",
        "sanctions",
        "us_ofac_sdn",
        "us_ofac_cons",
        "un_sc_sanctions",
        "eu_fsf",
        "gb_hmt_sanctions",
    ] {
        assert!(names.contains(&n), "{n} not in the catalog: {names:?}");
    }
    assert_eq!(c["index_stale"], false);
    let auth = format!("ApiKey {screening}");
    let again = server.get_with(
        "/catalog",
        &[
            ("Authorization", auth.as_str()),
            ("If-None-Match", etag.as_str()),
        ],
    );
    assert_eq!(again.status, 304);
    let algos = server.get("/algorithms", key).json();
    assert_eq!(algos["default"], "best");
    assert_eq!(algos["best"], "interdict-v1");
    assert!(
        algos["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "logic-v2")
    );
    assert_eq!(server.get("/healthz", None).json()["status"], "ok");
    assert_eq!(server.get("/readyz", None).status, 200);

    // --- Native API: full explanation, versions, history, snapshot. ---
    let n = server
        .post(
            "/v1/match",
            key,
            &json!({"schema": "Person", "names": ["Аляксандр Лукашэнка"]}),
        )
        .json();
    assert_eq!(n["results"][0]["id"], "ofac-9760", "{n}");
    assert!(
        !n["results"][0]["name"]["words"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        n["results"][0]["name"]["summary"]
            .as_str()
            .unwrap()
            .contains("Аляксандр Лукашэнка")
    );
    let versions = server.get("/v1/versions", Some(&analyst)).json();
    assert_eq!(versions.as_array().map(Vec::len), Some(5), "{versions}");
    let history = server
        .get("/v1/entities/ofac-9760/history", Some(&analyst))
        .json();
    assert_eq!(history[0]["change"]["change"], "added");
    let stored = server.get("/v1/entities/ofac-9760", Some(&analyst)).json();
    assert_eq!(stored[0]["properties"]["name"][0]["origin"], "sdn.csv:name");
    let snap = server.get("/v1/snapshot", key).json();
    assert_eq!(snap["generation"], 1);
    assert_eq!(snap["versions"].as_array().map(Vec::len), Some(5));

    // --- Auth: 401 without or with a bad key, 403 for a role without the right. ---
    let unauth = server.post("/match/default", None, &q);
    assert_eq!(unauth.status, 401);
    assert!(unauth.header("www-authenticate").is_some());
    assert_eq!(
        server.post("/match/default", Some("idk_0000"), &q).status,
        401
    );
    let bearer = format!("Bearer {screening}");
    let forms: [(&str, &str); 3] = [
        ("Authorization", bearer.as_str()),
        ("X-API-Key", screening.as_str()),
        ("Authorization", auth.as_str()),
    ];
    for (h, v) in forms {
        assert_eq!(server.get_with("/catalog", &[(h, v)]).status, 200, "{h}");
    }
    assert_eq!(
        server
            .get_with("/catalog", &[("Authorization", "Basic Zm9vOmJhcg==")])
            .status,
        401
    );
    bad(server.get("/v1/versions", key), 403, "analyst");
    bad(
        server.post("/v1/admin/reindex", Some(&analyst), &json!({})),
        403,
        "admin",
    );
    // An admin passes the role check (and the import is refused for its parameters).
    bad(
        server.post(
            "/v1/admin/import?format=nope&file=x",
            Some(&admin),
            &json!({}),
        ),
        400,
        "format",
    );
    for public in ["/healthz", "/readyz", "/metrics", "/openapi.json"] {
        assert_eq!(server.get(public, None).status, 200, "{public}");
    }

    // --- OpenAPI 3.1 and the offline API explorer. ---
    let doc = server.get("/openapi.json", None).json();
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/match/{dataset}",
        "/search/{dataset}",
        "/entities/{entity_id}",
        "/catalog",
        "/algorithms",
        "/healthz",
        "/readyz",
        "/v1/versions",
        "/v1/versions/{old}/diff/{new}",
        "/v1/entities/{entity_id}/history",
        "/v1/match",
        "/v1/admin/import",
        "/metrics",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} not in /openapi.json"
        );
    }
    assert!(
        doc["components"]["securitySchemes"]
            .get("api_key")
            .is_some()
    );
    let explorer = server.get("/docs/", None);
    assert_eq!(explorer.status, 200);
    assert!(
        explorer.body.to_lowercase().contains("swagger"),
        "{}",
        explorer.body
    );
    assert!(
        !explorer.body.contains("cdn") && !explorer.body.contains("unpkg"),
        "{}",
        explorer.body
    );
    assert_eq!(server.get("/docs/swagger-ui-bundle.js", None).status, 200);

    // --- Metrics. ---
    let metrics = server.get("/metrics", None).body;
    for needle in [
        "interdict_http_requests_total{method=\"POST\",route=\"/match/{dataset}\",status=\"200\"}",
        "interdict_http_request_duration_seconds_bucket{method=\"POST\",route=\"/match/{dataset}\"",
        "interdict_snapshot_generation 1",
        "interdict_list_age_seconds{dataset=\"us_ofac_sdn\"}",
        "interdict_list_version{dataset=\"un_sc_sanctions\"}",
        "interdict_ready 1",
    ] {
        assert!(
            metrics.contains(needle),
            "{needle} not in /metrics:\n{metrics}"
        );
    }

    // --- A yente client we did not write: nomenklatura's enricher. ---
    let script = repo().join("crates/cli/tests/it/yente_enricher.py");
    if python_has("nomenklatura") {
        let out = Command::new("python3")
            .arg(&script)
            .args([server.base.as_str(), screening.as_str()])
            .output()
            .expect("run python3");
        assert!(
            out.status.success(),
            "the nomenklatura enricher failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).expect("enricher output");
        assert_eq!(got["matches"]["lukashenka"][0]["id"], "ofac-9760", "{got}");
        assert_eq!(
            got["matches"]["lukashenka_cyrillic"][0]["id"], "ofac-9760",
            "{got}"
        );
        assert_eq!(got["matches"]["naftan"][0]["id"], "ofac-12860", "{got}");
        assert_eq!(got["matches"]["nobody"], json!([]), "{got}");
        let expanded = got["expanded"]["lukashenka"].as_array().unwrap();
        assert!(expanded.iter().any(|e| e["schema"] == "Sanction"), "{got}");
        assert!(expanded.iter().any(|e| e["schema"] == "Address"), "{got}");
    } else {
        missing_client("nomenklatura's yente enricher");
    }

    // --- schemathesis against /openapi.json: no server error, responses as documented. ---
    if Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let scratch = tempfile::tempdir().unwrap();
        let out = Command::new("schemathesis")
            .current_dir(scratch.path())
            .args(["run", &format!("{}/openapi.json", server.base)])
            .args(["-H", &format!("Authorization: ApiKey {analyst}")])
            // Every check but "schema-valid data is accepted": a well-formed but unknown
            // dataset name or two versions of different lists are rightly refused.
            .args([
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
            ])
            // Operations change state or reach the network: tested above, not fuzzed.
            .args(["--exclude-path-regex", "^/v1/admin/"])
            .args(["--max-examples", "25", "--seed", "42", "--no-color"])
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
            .expect("run schemathesis");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "schemathesis found failures:\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("Server error"), "{text}");
    } else {
        missing_client("schemathesis");
    }

    // --- Revocation takes effect at the next key reload (1 s here). ---
    let id = cli
        .ok(&["--json", "keys", "list"])
        .json()
        .as_array()
        .unwrap()[0]["id"]
        .as_i64()
        .unwrap();
    cli.ok(&["keys", "revoke", &id.to_string()]);
    let started = Instant::now();
    while server.get("/catalog", key).status != 401 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the revoked key still works"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let keys = cli.ok(&["--json", "keys", "list"]).json();
    assert!(keys[0]["revoked_at"].is_string(), "{keys}");
    assert!(keys[1]["revoked_at"].is_null(), "{keys}");
    assert!(
        keys[0].get("key_sha256").is_none(),
        "hashes are not printed: {keys}"
    );
}

#[tokio::test]
async fn snapshot_swaps_under_load_without_dropping_a_request() {
    let cli = Cli::new().await;
    cli.ok(&[
        "import",
        "ofac-csv",
        &list_file("ofac/sdn_csv_2021-07"),
        "--published",
        "2021-07-07",
    ]);
    let server = Served::start(
        Some(&cli.db.url()),
        &["--open", "--poll-interval", "1"],
        &[],
    );
    server.wait_ready(Duration::from_secs(300));
    assert!(
        server.log().contains("OPEN MODE"),
        "open mode is announced:\n{}",
        server.log()
    );
    let batch = json!({"queries": {
        "belaruskali": {"schema": "Organization", "properties": {"name": ["Belaruskali OAO"]}},
        "luka": {"schema": "Person", "properties": {"name": ["Alexander Lukashenko"]}}
    }});
    let found = |v: &Value| ids(v, "belaruskali").contains(&"ofac-32746".to_string());
    assert!(
        !found(&server.post("/match/default", None, &batch).json()),
        "not listed before 2021-08-09"
    );

    // Clients screen continuously while a new SDN version is imported and swapped in.
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let served = Arc::new(AtomicUsize::new(0));
    let generations = Arc::new(Mutex::new(std::collections::BTreeSet::<String>::new()));
    let base = server.base.clone();
    let clients: Vec<_> = (0..3)
        .map(|_| {
            let (stop, failures, served, generations, base, batch) = (
                stop.clone(),
                failures.clone(),
                served.clone(),
                generations.clone(),
                base.clone(),
                batch.clone(),
            );
            std::thread::spawn(move || {
                let agent = agent();
                while !stop.load(Ordering::Relaxed) {
                    let r = agent
                        .post(&format!("{base}/match/default"))
                        .header("Content-Type", "application/json")
                        .send(batch.to_string().as_bytes());
                    match r {
                        Ok(resp) if resp.status().as_u16() == 200 => {
                            served.fetch_add(1, Ordering::Relaxed);
                            if let Some(g) = resp
                                .headers()
                                .get("x-interdict-snapshot")
                                .and_then(|v| v.to_str().ok())
                            {
                                let generation =
                                    g.split(';').next().unwrap_or_default().to_string();
                                generations.lock().unwrap().insert(generation);
                            }
                        }
                        Ok(resp) => failures
                            .lock()
                            .unwrap()
                            .push(format!("status {}", resp.status())),
                        Err(e) => failures.lock().unwrap().push(e.to_string()),
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    cli.ok(&[
        "import",
        "ofac-csv",
        &list_file("ofac/sdn_csv_snapshots/sdn_2021-08-18.csv"),
        "--published",
        "2021-08-18",
    ]);
    let started = Instant::now();
    while server.get("/v1/snapshot", None).json()["generation"] != 2 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no swap:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1000));
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "requests failed during the swap: {failures:?}"
    );
    let generations = generations.lock().unwrap().clone();
    assert!(
        generations.contains("1") && generations.contains("2"),
        "answered by {generations:?}"
    );
    assert!(
        served.load(Ordering::Relaxed) >= 6,
        "only {} requests",
        served.load(Ordering::Relaxed)
    );
    assert!(
        found(&server.post("/match/default", None, &batch).json()),
        "Belaruskali after the swap"
    );
    assert!(server.log().contains("snapshot swapped in"));

    // An import through the API swaps before it answers.
    let un = std::fs::read(list_file("un/consolidated_2026-02-27.xml")).unwrap();
    let r = server.post_raw(
        "/v1/admin/import?format=un-xml&file=consolidated.xml",
        &[("Content-Type", "application/xml")],
        &un,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["created"], true);
    assert_eq!(v["version"]["dataset"], "un_sc_sanctions");
    assert_eq!(v["snapshot"]["generation"], 3, "{v}");
    assert!(
        v["snapshot"]["label"]
            .as_str()
            .unwrap()
            .contains("un_sc_sanctions@")
    );
    let bad_file = server.post_raw(
        "/v1/admin/import?format=un-xml&file=x.xml",
        &[],
        b"<not-a-list",
    );
    assert_eq!(bad_file.status, 400, "{}", bad_file.body);
    assert_eq!(
        server
            .get("/v1/versions", None)
            .json()
            .as_array()
            .map(Vec::len),
        Some(3)
    );
}

#[tokio::test]
async fn first_run_imports_the_bundle_and_is_ready_only_with_an_index() {
    // `interdict serve` with no --database: the embedded default database (here in a fresh
    // INTERDICT_HOME), empty, so the bundled lists are imported first. Always SQLite.
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_string_lossy().into_owned();
    let server = Served::start(
        None,
        &["--log-format", "json"],
        &[("INTERDICT_HOME", &home_path)],
    );
    assert_eq!(server.get("/healthz", None).status, 200, "alive at once");
    let ready = server.get("/readyz", None);
    assert_eq!(
        ready.status, 503,
        "not ready before the index: {}",
        ready.body
    );
    assert_eq!(ready.json()["status"], "building");
    let started = Instant::now();
    let key = loop {
        let log = server.log();
        if let Some(k) = log.split_whitespace().find(|w| w.starts_with("idk_")) {
            break k.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no first key:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    server.wait_ready(Duration::from_secs(300));
    let v = server
        .post(
            "/match/default",
            Some(&key),
            &person("Лукашенко Александр Григорьевич", None),
        )
        .json();
    assert_eq!(
        ids(&v, "q").first().map(String::as_str),
        Some("ofac-9760"),
        "{v}"
    );
    let catalog = server.get("/catalog", Some(&key)).json();
    let loaded: Vec<&str> = catalog["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["load"] == true && d["type"] == "source")
        .filter_map(|d| d["name"].as_str())
        .collect();
    assert_eq!(
        loaded,
        [
            "eu_fsf",
            "gb_hmt_sanctions",
            "un_sc_sanctions",
            "us_ofac_cons",
            "us_ofac_sdn"
        ]
    );
    // Structured logs: one JSON object per line.
    let log = server.log();
    assert!(
        log.lines()
            .any(|l| l.starts_with('{') && l.contains("\"message\":\"snapshot swapped in\"")),
        "{log}"
    );

    // Graceful shutdown on SIGTERM.
    let mut server = server;
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
}
