//! Prometheus metrics in the text exposition format, written by hand: request counts and
//! latency histograms per route and status, screening queries, snapshot generation, size and
//! build time, and the version and age of every list the snapshot holds.
//!
//! Routes are labelled by their template (`/match/{dataset}`), never by the raw path, so the
//! number of series stays bounded whatever clients send; unmatched paths share one label.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::Utc;
use interdict_snapshot::SnapshotHandle;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// One (method, route, status) series.
#[derive(Debug, Default)]
struct Series {
    count: AtomicU64,
    sum_micros: AtomicU64,
    buckets: [AtomicU64; BUCKETS.len()],
}

/// The server's counters; cheap to update from every request (a read lock and atomics).
#[derive(Debug, Default)]
pub struct Metrics {
    requests: RwLock<HashMap<(String, String, u16), Arc<Series>>>,
    queries: AtomicU64,
    refresh_failures: AtomicU64,
}

impl Metrics {
    /// A registry with nothing counted.
    pub fn new() -> Metrics {
        Metrics::default()
    }

    /// Count one answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let key = (method.to_string(), route.to_string(), status);
        let series = {
            let read = self.requests.read().unwrap_or_else(|p| p.into_inner());
            read.get(&key).cloned()
        };
        let series = match series {
            Some(s) => s,
            None => {
                let mut write = self.requests.write().unwrap_or_else(|p| p.into_inner());
                Arc::clone(write.entry(key).or_default())
            }
        };
        let secs = elapsed.as_secs_f64();
        series.count.fetch_add(1, Ordering::Relaxed);
        series
            .sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            series.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Count screening queries (a `/match` batch counts each of its queries).
    pub fn count_queries(&self, n: usize) {
        self.queries.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Count a failed snapshot refresh.
    pub fn count_refresh_failure(&self) {
        self.refresh_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self, snapshots: &SnapshotHandle) -> String {
        let mut out = String::with_capacity(8 * 1024);
        out.push_str(
            "# HELP interdict_http_requests_total HTTP requests answered, by method, route template and status.\n\
             # TYPE interdict_http_requests_total counter\n",
        );
        let series: Vec<((String, String, u16), Arc<Series>)> = {
            let read = self.requests.read().unwrap_or_else(|p| p.into_inner());
            let mut v: Vec<_> = read
                .iter()
                .map(|(k, s)| (k.clone(), Arc::clone(s)))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        for ((method, route, status), s) in &series {
            let _ = writeln!(
                out,
                "interdict_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count.load(Ordering::Relaxed)
            );
        }
        out.push_str(
            "# HELP interdict_http_request_duration_seconds Time from request to response, by method, route template and status.\n\
             # TYPE interdict_http_request_duration_seconds histogram\n",
        );
        for ((method, route, status), s) in &series {
            let labels = format!(
                "method=\"{method}\",route=\"{}\",status=\"{status}\"",
                escape(route)
            );
            let mut cumulative = 0u64;
            for (i, bound) in BUCKETS.iter().enumerate() {
                cumulative += s.buckets[i].load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "interdict_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let count = s.count.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "interdict_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                out,
                "interdict_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
            );
            let _ = writeln!(
                out,
                "interdict_http_request_duration_seconds_count{{{labels}}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP interdict_screening_queries_total Screening queries answered (each query of a batch counts).\n\
             # TYPE interdict_screening_queries_total counter\n\
             interdict_screening_queries_total {}",
            self.queries.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP interdict_snapshot_refresh_failures_total Snapshot builds that failed (the previous snapshot kept serving).\n\
             # TYPE interdict_snapshot_refresh_failures_total counter\n\
             interdict_snapshot_refresh_failures_total {}",
            self.refresh_failures.load(Ordering::Relaxed)
        );
        let snapshot = snapshots.load();
        let _ = writeln!(
            out,
            "# HELP interdict_ready Whether a screening snapshot is installed (1) or still being built (0).\n\
             # TYPE interdict_ready gauge\n\
             interdict_ready {}",
            u8::from(snapshot.is_some())
        );
        if let Some(s) = snapshot {
            let _ = writeln!(
                out,
                "# HELP interdict_snapshot_generation Generation of the snapshot in force (the index version; increases with every swap).\n\
                 # TYPE interdict_snapshot_generation gauge\n\
                 interdict_snapshot_generation {}\n\
                 # HELP interdict_snapshot_entities Entities in the screening index.\n\
                 # TYPE interdict_snapshot_entities gauge\n\
                 interdict_snapshot_entities {}\n\
                 # HELP interdict_snapshot_build_seconds Time the snapshot in force took to build.\n\
                 # TYPE interdict_snapshot_build_seconds gauge\n\
                 interdict_snapshot_build_seconds {}\n\
                 # HELP interdict_snapshot_built_timestamp_seconds When the snapshot in force was built (Unix time).\n\
                 # TYPE interdict_snapshot_built_timestamp_seconds gauge\n\
                 interdict_snapshot_built_timestamp_seconds {}",
                s.generation(),
                s.index().len(),
                s.build_time().as_secs_f64(),
                s.built_at().timestamp()
            );
            out.push_str(
                "# HELP interdict_list_version Store id of the list version in force, by dataset.\n\
                 # TYPE interdict_list_version gauge\n",
            );
            for d in s.datasets() {
                let _ = writeln!(
                    out,
                    "interdict_list_version{{dataset=\"{}\"}} {}",
                    escape(&d.name),
                    d.version.id
                );
            }
            out.push_str(
                "# HELP interdict_list_entities Entities of each dataset in the screening index.\n\
                 # TYPE interdict_list_entities gauge\n",
            );
            for d in s.datasets() {
                let _ = writeln!(
                    out,
                    "interdict_list_entities{{dataset=\"{}\"}} {}",
                    escape(&d.name),
                    d.indexed
                );
            }
            out.push_str(
                "# HELP interdict_list_age_seconds Time since the effective (publication) date of the list version in force, by dataset.\n\
                 # TYPE interdict_list_age_seconds gauge\n",
            );
            let now = Utc::now();
            for d in s.datasets() {
                let age = d
                    .version
                    .effective_date()
                    .and_hms_opt(0, 0, 0)
                    .map(|t| (now.naive_utc() - t).num_seconds().max(0))
                    .unwrap_or(0);
                let _ = writeln!(
                    out,
                    "interdict_list_age_seconds{{dataset=\"{}\"}} {age}",
                    escape(&d.name)
                );
            }
            out.push_str(
                "# HELP interdict_list_imported_timestamp_seconds When the list version in force was imported (Unix time), by dataset.\n\
                 # TYPE interdict_list_imported_timestamp_seconds gauge\n",
            );
            for d in s.datasets() {
                let _ = writeln!(
                    out,
                    "interdict_list_imported_timestamp_seconds{{dataset=\"{}\"}} {}",
                    escape(&d.name),
                    d.version.imported_at.timestamp()
                );
            }
        }
        out
    }
}

/// Escape a label value.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_snapshot::View;

    #[test]
    fn renders_counts_and_buckets() {
        let m = Metrics::new();
        m.observe("POST", "/match/{dataset}", 200, Duration::from_micros(700));
        m.observe("POST", "/match/{dataset}", 200, Duration::from_millis(30));
        m.count_queries(3);
        let text = m.render(&SnapshotHandle::new(View::Current));
        assert!(text.contains(
            "interdict_http_requests_total{method=\"POST\",route=\"/match/{dataset}\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.001\"} 1\n"), "{text}");
        assert!(text.contains("le=\"0.05\"} 2\n"), "{text}");
        assert!(text.contains("interdict_screening_queries_total 3"));
        assert!(text.contains("interdict_ready 0"));
    }
}
