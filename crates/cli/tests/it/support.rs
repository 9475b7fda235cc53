//! Running the `interdict` binary against a fresh test database.

use std::path::PathBuf;
use std::process::{Command, Output};

use interdict_store::testing::{TestStore, test_store};

/// A fresh database and a way to run the CLI on it.
pub struct Cli {
    pub db: TestStore,
}

/// What one CLI run printed.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

impl Cli {
    pub async fn new() -> Cli {
        Cli {
            db: test_store().await,
        }
    }

    /// Run `interdict --database <test db> <args>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .arg("--database")
            .arg(self.db.url())
            .args(args)
            .env_remove("INTERDICT_DATABASE")
            .output()
            .expect("run interdict");
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Run and require success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert!(
            r.ok,
            "interdict {args:?} failed:\n{}\n{}",
            r.stdout, r.stderr
        );
        r
    }
}

/// A path under the repository's `data/lists`.
pub fn list_file(rel: &str) -> String {
    repo()
        .join("data/lists")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}
