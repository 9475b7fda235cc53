//! The subcommands, one module per capability.

mod decide;
mod licences;
mod lists;
mod matching;
mod ownership;
mod screen;
mod serve;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use interdict_store::Store;

/// What every command needs from the global flags.
pub struct Context {
    /// `--database`, if given.
    pub database: Option<String>,
    /// `--json`.
    pub json: bool,
}

impl Context {
    /// Open the store named by `--database`, or the embedded default.
    pub async fn store(&self) -> anyhow::Result<Store> {
        let url = match &self.database {
            Some(url) => url.clone(),
            None => default_database()?,
        };
        Store::open(&url)
            .await
            .with_context(|| format!("opening the database {}", redact(&url)))
    }
}

/// The embedded default database: `$INTERDICT_HOME/interdict.db`, else
/// `$XDG_DATA_HOME/interdict/interdict.db`, else `~/.local/share/interdict/interdict.db`.
pub fn default_database() -> anyhow::Result<String> {
    let dir = if let Some(home) = std::env::var_os("INTERDICT_HOME") {
        PathBuf::from(home)
    } else if let Some(xdg) = std::env::var_os("XDG_DATA_HOME") {
        PathBuf::from(xdg).join("interdict")
    } else if let Some(home) = std::env::var_os("HOME") {
        PathBuf::from(home).join(".local/share/interdict")
    } else {
        anyhow::bail!("no HOME, XDG_DATA_HOME or INTERDICT_HOME: pass --database");
    };
    Ok(format!("sqlite://{}", dir.join("interdict.db").display()))
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import list files as a new version of their dataset (one transaction), or a registry's
    /// holdings CSV (`import holdings-csv <file>`).
    Import(ownership::ImportCommand),
    /// Every list version: id, dataset, publication date, entity count.
    Lists(lists::ListsArgs),
    /// Entities added, removed and changed between two versions of a dataset.
    Diff(lists::DiffArgs),
    /// One entity with the provenance of its values.
    Show(lists::ShowArgs),
    /// What each version of its dataset did to one entity.
    History(lists::HistoryArgs),
    /// Export entities as FollowTheMoney JSON lines or CSV.
    Export(lists::ExportArgs),
    /// Fetch the official lists and import what changed.
    Sync(sync::SyncArgs),
    /// Serve the HTTP API (yente-compatible screening, list versions, OpenAPI, metrics).
    Serve(serve::ServeArgs),
    /// Create, list and revoke the API keys of `serve`.
    Keys(serve::KeysArgs),
    /// Screen one name (and birth date, country, identifiers) and explain every result.
    Match(matching::MatchArgs),
    /// Screen a CSV or JSON-lines file of customers or counterparties, on every core.
    Screen(screen::ScreenArgs),
    /// Whether an entity is blocked or controlled by ownership, with the proof (C4).
    Ownership(ownership::OwnershipArgs),
    /// Decide dealings as of their dates: ALLOW, ALLOW_UNDER_LICENCE, BLOCK, REJECT or REVIEW,
    /// with every reason (C5).
    Decide(decide::DecideArgs),
    /// Create, list and revoke the specific licences decisions apply (C5).
    Licences(licences::LicencesArgs),
}

impl Command {
    /// Run the command; the exit code says whether everything asked for succeeded.
    pub async fn run(self, ctx: &Context) -> anyhow::Result<ExitCode> {
        match self {
            Command::Import(a) => a.run(ctx).await,
            Command::Lists(a) => lists::lists(ctx, a).await,
            Command::Diff(a) => lists::diff(ctx, a).await,
            Command::Show(a) => lists::show(ctx, a).await,
            Command::History(a) => lists::history(ctx, a).await,
            Command::Export(a) => lists::export(ctx, a).await,
            Command::Sync(a) => sync::sync(ctx, a).await,
            Command::Serve(a) => serve::serve(ctx, a).await,
            Command::Keys(a) => serve::keys(ctx, a).await,
            Command::Match(a) => matching::run(ctx, a).await,
            Command::Screen(a) => screen::run(ctx, a).await,
            Command::Ownership(a) => ownership::ownership(ctx, a).await,
            Command::Decide(a) => decide::decide(ctx, a).await,
            Command::Licences(a) => licences::licences(ctx, a).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }
}
