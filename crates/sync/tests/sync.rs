//! `sync` against a local HTTP server that serves the fixture files, with ETags.

#![allow(clippy::unwrap_used, clippy::type_complexity)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use interdict_sync::{Source, Sources, SyncOutcome, Syncer};

/// A tiny HTTP/1.1 server: path → (body, etag); answers 304 to a matching If-None-Match and
/// counts full responses so the test can tell whether a body was sent.
struct Publisher {
    base: String,
    files: Arc<Mutex<HashMap<String, (Vec<u8>, String, u16)>>>,
    bodies_sent: Arc<Mutex<usize>>,
}

impl Publisher {
    fn start() -> Publisher {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let files: Arc<Mutex<HashMap<String, (Vec<u8>, String, u16)>>> = Arc::default();
        let bodies_sent = Arc::new(Mutex::new(0));
        let (f, b) = (files.clone(), bodies_sent.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .to_string();
                let mut if_none_match = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':')
                        && k.eq_ignore_ascii_case("if-none-match")
                    {
                        if_none_match = Some(v.trim().to_string());
                    }
                }
                let entry = f.lock().unwrap().get(&path).cloned();
                let response = match entry {
                    None => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                    Some((_, etag, _)) if if_none_match.as_deref() == Some(etag.as_str()) => {
                        format!(
                            "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                        )
                        .into_bytes()
                    }
                    Some((body, etag, status)) => {
                        *b.lock().unwrap() += 1;
                        let mut r = format!(
                            "HTTP/1.1 {status} OK\r\nETag: {etag}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend_from_slice(&body);
                        r
                    }
                };
                let _ = stream.write_all(&response);
            }
        });
        Publisher {
            base,
            files,
            bodies_sent,
        }
    }

    fn serve(&self, path: &str, body: Vec<u8>, etag: &str, status: u16) {
        self.files
            .lock()
            .unwrap()
            .insert(path.to_string(), (body, etag.to_string(), status));
    }

    fn bodies_sent(&self) -> usize {
        *self.bodies_sent.lock().unwrap()
    }
}

fn fixture(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/lists")
        .join(rel);
    std::fs::read(p).unwrap()
}

fn un_source(base: &str) -> Source {
    let text = format!(
        "[[source]]\ndataset = \"un_sc_sanctions\"\nformat = \"un-xml\"\nfiles = [{{ url = \"{base}/un.xml\", file = \"consolidated.xml\" }}]\n"
    );
    Sources::parse(&text, "test").unwrap().sources.remove(0)
}

#[tokio::test]
async fn sync_imports_then_is_conditional_then_keeps_last_good_version() {
    let test = interdict_store::testing::test_store().await;
    let store = test.store();
    let publisher = Publisher::start();
    let un = fixture("un/consolidated_2026-02-27.xml");
    publisher.serve("/un.xml", un.clone(), "\"v1\"", 200);
    let source = un_source(&publisher.base);
    let syncer = Syncer::default();

    // First sync downloads and imports.
    let SyncOutcome::Imported { version, created } =
        syncer.sync_source(store, &source).await.unwrap()
    else {
        panic!("expected an import")
    };
    assert!(created);
    assert_eq!(version.dataset, "un_sc_sanctions");
    assert!(version.entity_count > 1000, "{}", version.entity_count);
    assert_eq!(publisher.bodies_sent(), 1);

    // Second sync: the ETag matches, nothing is downloaded.
    assert!(matches!(
        syncer.sync_source(store, &source).await.unwrap(),
        SyncOutcome::NotModified
    ));
    assert_eq!(publisher.bodies_sent(), 1);

    // The publisher now serves a truncated file: the import fails and the old version stays.
    publisher.serve("/un.xml", un[..un.len() / 2].to_vec(), "\"v2\"", 200);
    let err = syncer.sync_source(store, &source).await.unwrap_err();
    assert!(err.to_string().contains("consolidated.xml"), "{err}");
    let versions = store.versions().await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(
        store
            .latest_version("un_sc_sanctions")
            .await
            .unwrap()
            .unwrap()
            .id,
        version.id
    );

    // The bad file's ETag was not stored: the next sync downloads again (and fails again)…
    let sent = publisher.bodies_sent();
    assert!(syncer.sync_source(store, &source).await.is_err());
    assert_eq!(publisher.bodies_sent(), sent + 1);

    // …and a server error also leaves the store as it was.
    publisher.serve("/un.xml", Vec::new(), "\"v3\"", 500);
    let err = syncer.sync_source(store, &source).await.unwrap_err();
    assert!(err.to_string().contains("HTTP status 500"), "{err}");
    assert_eq!(store.versions().await.unwrap().len(), 1);
}

#[test]
fn official_sources_parse_and_bad_sources_are_named() {
    let official = Sources::official();
    assert!(
        official
            .sources
            .iter()
            .any(|s| s.dataset == "us_ofac_sdn" && s.files.len() == 4)
    );
    let err = Sources::parse(
        "[[source]]\ndataset = \"x\"\nformat = \"nope\"\nfiles = []\n",
        "my.toml",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("my.toml") && err.to_string().contains("nope"),
        "{err}"
    );
    let err = Sources::parse("[[source]]\ndatset = \"x\"\n", "my.toml").unwrap_err();
    assert!(err.to_string().contains("datset"), "{err}");
}
