//! `interdict sync`: fetch the official list files and import them, atomically.
//!
//! Each configured source (one dataset, one or more files) is fetched with conditional GET
//! (`If-None-Match` / `If-Modified-Since` from the validators the last good sync stored). When
//! nothing changed, nothing is downloaded. When something did, every file of the source is
//! downloaded to a temporary directory, hashed, parsed by `interdict-lists` and imported by
//! `interdict-store` in one transaction. A failed download or a bad file leaves the store and
//! the stored validators exactly as they were: the last good version keeps serving, and the next
//! sync tries again.
//!
//! The sources are data (`sources.toml`, embedded as the default; see [`Sources::load`]).
//!
//! What this crate does not do: parse list formats (that is `interdict-lists`), decide which
//! version is current (the store does), or schedule itself (the server or cron calls it).

use std::path::{Path, PathBuf};
use std::time::Duration;

use interdict_lists::Format;
use interdict_store::{NewVersion, Store, SyncValidators};
use serde::Deserialize;
use sha2::{Digest, Sha256};

const DEFAULT_SOURCES: &str = include_str!("../sources.toml");

/// The largest list file accepted (the full OFAC advanced XML is about 130 MB).
const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Why a sync of a source failed. The store is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The sources file is not valid.
    #[error("sources file {path}: {reason}")]
    Sources {
        /// The file read.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A download failed (network, HTTP status, size).
    #[error("fetching {url}: {reason}")]
    Fetch {
        /// The URL fetched.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The downloaded file is not a valid list of its format.
    #[error(transparent)]
    Import(#[from] interdict_lists::ImportError),
    /// The store refused or failed the import.
    #[error(transparent)]
    Store(#[from] interdict_store::StoreError),
    /// Local I/O (the temporary directory).
    #[error("local file: {0}")]
    Io(#[from] std::io::Error),
}

/// One file of a source.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RemoteFile {
    /// Where the publisher serves it.
    pub url: String,
    /// The name the importer recognises its role by (`sdn.csv`, `alt.csv` …).
    pub file: String,
}

/// One dataset to keep in sync.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The dataset name (`us_ofac_sdn`).
    pub dataset: String,
    /// The import format name (`ofac-csv`).
    pub format: String,
    /// Disabled sources are listed but not fetched (e.g. the EU file needs a token).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// The files, all imported together as one version.
    pub files: Vec<RemoteFile>,
}

fn default_true() -> bool {
    true
}

/// The configured sources.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// Every source, in file order.
    #[serde(rename = "source")]
    pub sources: Vec<Source>,
}

impl Sources {
    /// The official sources interdict ships with.
    pub fn official() -> Sources {
        Sources::parse(DEFAULT_SOURCES, "sources.toml (built in)").unwrap_or(Sources {
            sources: Vec::new(),
        })
    }

    /// Read a sources file; every source must name a known format and at least one file.
    pub fn load(path: &Path) -> Result<Sources, SyncError> {
        let text = std::fs::read_to_string(path).map_err(|e| SyncError::Sources {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Sources::parse(&text, &path.display().to_string())
    }

    /// Parse sources from TOML text; `name` is used in errors.
    pub fn parse(text: &str, name: &str) -> Result<Sources, SyncError> {
        let err = |reason: String| SyncError::Sources {
            path: name.to_string(),
            reason,
        };
        let sources: Sources = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        for s in &sources.sources {
            if Format::from_name(&s.format).is_none() {
                return Err(err(format!(
                    "source {}: unknown format {:?}",
                    s.dataset, s.format
                )));
            }
            if s.files.is_empty() {
                return Err(err(format!("source {}: no files", s.dataset)));
            }
        }
        Ok(sources)
    }
}

/// What a sync did for one source.
#[derive(Debug)]
pub enum SyncOutcome {
    /// The source is disabled in the configuration.
    Disabled,
    /// The publisher said nothing changed (every file answered 304 Not Modified).
    NotModified,
    /// The files were downloaded and imported (`created: false` when their content equals the
    /// latest version's).
    Imported {
        /// The version now current for the dataset.
        version: interdict_model::ListVersion,
        /// Whether a new version was written.
        created: bool,
    },
    /// Download or import failed; the previous version keeps serving.
    Failed(SyncError),
}

/// The result of syncing one source.
#[derive(Debug)]
pub struct SourceReport {
    /// The dataset.
    pub dataset: String,
    /// What happened.
    pub outcome: SyncOutcome,
}

/// Fetches and imports list sources.
pub struct Syncer {
    agent: ureq::Agent,
}

impl Default for Syncer {
    fn default() -> Self {
        Syncer::new(Duration::from_secs(300))
    }
}

enum Fetched {
    NotModified,
    Body {
        bytes: Vec<u8>,
        validators: SyncValidators,
    },
}

impl Syncer {
    /// A syncer whose downloads give up after `timeout`.
    pub fn new(timeout: Duration) -> Syncer {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!("interdict/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Syncer { agent }
    }

    /// Sync every enabled source, one after the other; a failure of one does not stop the rest.
    pub async fn sync_all(&self, store: &Store, sources: &Sources) -> Vec<SourceReport> {
        let mut reports = Vec::new();
        for source in &sources.sources {
            let outcome = if source.enabled {
                match self.sync_source(store, source).await {
                    Ok(o) => o,
                    Err(e) => {
                        tracing::warn!(dataset = %source.dataset, error = %e, "sync failed; last good version keeps serving");
                        SyncOutcome::Failed(e)
                    }
                }
            } else {
                SyncOutcome::Disabled
            };
            reports.push(SourceReport {
                dataset: source.dataset.clone(),
                outcome,
            });
        }
        reports
    }

    /// Sync one source: conditional GET of every file, then download, parse and import in one
    /// transaction if anything changed.
    pub async fn sync_source(
        &self,
        store: &Store,
        source: &Source,
    ) -> Result<SyncOutcome, SyncError> {
        let format = Format::from_name(&source.format).ok_or_else(|| SyncError::Sources {
            path: "sources".into(),
            reason: format!("unknown format {:?}", source.format),
        })?;
        // First round: conditional requests, to learn whether anything changed.
        let mut bodies: Vec<Option<(Vec<u8>, SyncValidators)>> = Vec::new();
        let mut any_changed = false;
        for f in &source.files {
            let known = store.sync_validators(&f.url).await?;
            match self.fetch(&f.url, known.as_ref()).await? {
                Fetched::NotModified => bodies.push(None),
                Fetched::Body { bytes, validators } => {
                    any_changed = true;
                    bodies.push(Some((bytes, validators)));
                }
            }
        }
        if !any_changed {
            tracing::info!(dataset = %source.dataset, "not modified");
            return Ok(SyncOutcome::NotModified);
        }
        // Files of a set are imported together: fetch unconditionally those that said 304.
        let dir = tempfile::tempdir()?;
        let mut paths = Vec::new();
        let mut validators = Vec::new();
        for (f, body) in source.files.iter().zip(bodies) {
            let (bytes, v) = match body {
                Some(b) => b,
                None => match self.fetch(&f.url, None).await? {
                    Fetched::Body { bytes, validators } => (bytes, validators),
                    Fetched::NotModified => {
                        return Err(SyncError::Fetch {
                            url: f.url.clone(),
                            reason: "304 Not Modified to an unconditional request".into(),
                        });
                    }
                },
            };
            let name = Path::new(&f.file)
                .file_name()
                .ok_or_else(|| SyncError::Sources {
                    path: "sources".into(),
                    reason: format!("file name {:?} is not a plain name", f.file),
                })?;
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes)?;
            tracing::info!(url = %f.url, bytes = bytes.len(), sha256 = %v.sha256, "downloaded");
            paths.push(path);
            validators.push((f.url.clone(), v));
        }
        let version = import_files(store, format, &paths, Some(&source.dataset)).await?;
        for (url, v) in validators {
            store.save_sync_validators(&url, &v).await?;
        }
        Ok(SyncOutcome::Imported {
            created: version.created,
            version: version.version,
        })
    }

    async fn fetch(&self, url: &str, known: Option<&SyncValidators>) -> Result<Fetched, SyncError> {
        let agent = self.agent.clone();
        let url = url.to_string();
        let known = known.cloned();
        let ferr = |url: &str, reason: String| SyncError::Fetch {
            url: url.to_string(),
            reason,
        };
        tokio::task::spawn_blocking(move || {
            let mut req = agent.get(&url);
            if let Some(k) = &known {
                if let Some(etag) = &k.etag {
                    req = req.header("If-None-Match", etag);
                }
                if let Some(lm) = &k.last_modified {
                    req = req.header("If-Modified-Since", lm);
                }
            }
            let mut resp = req.call().map_err(|e| ferr(&url, e.to_string()))?;
            let status = resp.status().as_u16();
            if status == 304 && known.is_some() {
                return Ok(Fetched::NotModified);
            }
            if status != 200 {
                return Err(ferr(&url, format!("HTTP status {status}")));
            }
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let etag = header("etag");
            let last_modified = header("last-modified");
            let expected_len = header("content-length").and_then(|l| l.parse::<u64>().ok());
            let bytes = resp
                .body_mut()
                .with_config()
                .limit(MAX_FILE_BYTES)
                .read_to_vec()
                .map_err(|e| ferr(&url, e.to_string()))?;
            if let Some(n) = expected_len
                && n != bytes.len() as u64
            {
                return Err(ferr(
                    &url,
                    format!("truncated: {} of {n} bytes", bytes.len()),
                ));
            }
            let sha256 = hex::encode(Sha256::digest(&bytes));
            Ok(Fetched::Body {
                bytes,
                validators: SyncValidators {
                    etag,
                    last_modified,
                    sha256,
                },
            })
        })
        .await
        .map_err(|e| SyncError::Fetch {
            url: String::new(),
            reason: e.to_string(),
        })?
    }
}

/// Parse local files and import them as one version, in one transaction. Shared by `sync`
/// and `interdict import`, so both apply the same rules.
pub async fn import_files(
    store: &Store,
    format: Format,
    paths: &[PathBuf],
    dataset: Option<&str>,
) -> Result<interdict_store::ImportOutcome, SyncError> {
    import_files_with(store, format, paths, dataset, None).await
}

/// [`import_files`] with a publication date that overrides (or supplies) the file's own.
pub async fn import_files_with(
    store: &Store,
    format: Format,
    paths: &[PathBuf],
    dataset: Option<&str>,
    published: Option<chrono::NaiveDate>,
) -> Result<interdict_store::ImportOutcome, SyncError> {
    let import = match (format, dataset) {
        (Format::Ftm, Some(d)) => interdict_lists::ftm::open_with_dataset(paths, d)?,
        _ => interdict_lists::open(format, paths)?,
    };
    let meta = import.meta().clone();
    if let Some(d) = dataset
        && d != meta.dataset
    {
        return Err(SyncError::Sources {
            path: paths
                .first()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            reason: format!(
                "the files hold dataset {} but {d} was expected",
                meta.dataset
            ),
        });
    }
    let draft = NewVersion {
        dataset: meta.dataset.clone(),
        format: meta.format.name().to_string(),
        mode: meta.mode,
        published: published.or(meta.published),
        sha256: meta.sha256.clone(),
        files: meta
            .files
            .iter()
            .map(|p| interdict_lists::file_name(p))
            .collect(),
    };
    Ok(store.import(draft, import).await?)
}
