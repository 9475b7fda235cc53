//! Ownership and control: the OFAC 50 % rule and the EU ownership-or-control test, as of a
//! date, aggregated, and explained.
//!
//! A listed person's property is blocked, and so is every entity that listed persons own to
//! the threshold, directly or through entities that are themselves blocked. This crate takes
//! the ownership and control relations of a registry and the listed persons of a jurisdiction,
//! and says for any entity and day whether it is **blocked by listing**, **blocked by
//! ownership**, **controlled** (OFAC: review; EU: covered), **possibly owned — review**, or
//! **clear**, with the **proof**: the chains from listed persons, the percentages along them,
//! the aggregation, the test applied, and one sentence ("owned 55 % in aggregate by NAFTAN OAO
//! 30 % and GRODNO AZOT OAO 25 %").
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use interdict_ownership::{
//!     Assessment, GraphBuilder, Holding, Jurisdiction, ListedSet, Listing, Scope, Share, Status,
//! };
//!
//! let mut b = GraphBuilder::new();
//! b.party("ofac-12860", Some("NAFTAN OAO"));
//! b.party("ofac-12861", Some("GRODNO AZOT OAO"));
//! b.party("co-1", Some("Naftan Trading LLC"));
//! b.holding(Holding::new("ofac-12860", "co-1", Share::parse("30%")?))?;
//! b.holding(Holding::new("ofac-12861", "co-1", Share::parse("25")?))?;
//! let graph = b.build();
//!
//! let listings: ListedSet = ["ofac-12860", "ofac-12861"]
//!     .into_iter()
//!     .map(|id| Listing::new(id, Jurisdiction::Us, "BELARUS"))
//!     .collect();
//! let day = NaiveDate::from_ymd_opt(2021, 6, 10).unwrap();
//! let scope = Scope::new(Jurisdiction::Us, day);
//!
//! let assessment = Assessment::compute(&graph, &listings, &scope);
//! assert_eq!(assessment.status(&graph, &listings, "co-1"), Status::Owned);
//! let proof = assessment.proof(&graph, &listings, "co-1")?;
//! assert!(proof.sentence.contains("owned 55 % in aggregate by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rules
//!
//! * **US** ([`Rule::ofac_2014`]): owned 50 % or more, directly or indirectly, individually or
//!   in aggregate, by one or more blocked persons. Indirect ownership flows only through
//!   entities that are themselves blocked: the crate computes the monotone fixed point (start
//!   from the listed persons, add every entity whose blocked owners' direct shares sum to 50 %,
//!   repeat) and never multiplies percentages along a chain. Control alone does not block; it
//!   is flagged [`Status::Controlled`] with [`Effect::Review`]. Dates before 2014-08-13 use the
//!   2008 guidance (one blocked person, no aggregation).
//! * **EU** ([`Rule::eu_2018`], [`Rule::eu_2024`]): until 2024-07-02 "owned" means more than
//!   50 % held by one listed person (with the entities it owns or controls); from 2024-07-03,
//!   50 % or more, aggregated. Control (board majority, voting rights, dominant influence)
//!   counts too and passes coverage on. Every proof carries the [`Rule`] it applied.
//! * **Opt-outs**: a [`Listing`] or a whole [`Scope`] can say that the measure does not extend
//!   by ownership, as OFAC's Belarus Directive 1 does not (FAQ 943): the listed person is
//!   covered, a company 70 % owned by it is not. Scopes also select programmes.
//!
//! # Uncertain data, read conservatively
//!
//! Every share is an interval ([`Share`]): `30` is exact, `25-50` a range, `<10` and `>50`
//! bounds, a missing percentage is 0–100 %. Holdings whose partial dates leave them uncertain
//! on the day count the same way. The rules run twice: on the **lower** ends, among definitely
//! covered owners, to decide a **definite block**; on the **upper** ends, among possibly
//! covered owners, to decide whether the entity **may** be covered, which gives
//! [`Status::Review`], never a block. Two records of one owner's holding in one share class
//! may be the same fact from two sources: the larger counts below, their sum above. Proofs say
//! all this in their notes.
//!
//! # Control and relations in FtM data
//!
//! Holdings are FtM `Ownership` entities. Control is an `Ownership` whose `ownershipType` is
//! `control…` (e.g. `control: board majority`) or a `Directorship` whose `role` is; the full
//! convention is in [`relation`]. `Family`, `Associate` and `UnknownLink` are kept as
//! associations: proofs mention associations with listed persons, the rules never use them.
//!
//! # Incremental updates
//!
//! [`Assessment::update`] takes the [`Change`]s that graph and listing edits return and
//! recomputes only what they can affect, and reports the statuses that changed, for
//! re-screening. Under an aggregated test an addition (a listing, a holding) just continues the
//! fixed point from where it lands; a removal walks down from it in the order entities joined
//! and drops only those that lost their support, then lets them join again if they can. Under
//! the one-listed-person test the change's downstream closure among possibly covered entities
//! is cleared and re-derived (or, when that is most of what is covered, everything is computed
//! afresh). A test checks updates against a fresh computation on random graphs with cycles,
//! ranges, partial dates and control, under every rule.
//!
//! # Cost
//!
//! [`Assessment::compute`] walks the listed persons, what they own or control, and the direct
//! assets of those: on a synthetic registry of 1,000,000 companies and 3,000,000 holdings it
//! derives the status of everything in under a second of CPU, and a proof from an assessment
//! is a walk up the stored derivation (microseconds). See `docs/PERFORMANCE.md` and
//! `examples/bench_registry.rs`. The one-listed-person test (EU before 2024-07-03) runs the
//! fixed point once per listed person, and its proofs re-derive the entity's upstream.
//!
//! # How the store, CLI and API use it
//!
//! `interdict ownership <id> --as-of DATE --jurisdiction us|eu [--json]`:
//!
//! 1. build an [`OwnershipGraph`] from the store's relations ([`GraphBuilder::entity`] for
//!    FtM entities, [`GraphBuilder::holding`] for rows of [`holdings_csv`]);
//! 2. build a [`ListedSet`] from the list versions (one [`Listing`] per entity, jurisdiction
//!    and programme, with the first and last day it was listed);
//! 3. `Scope::new(jurisdiction.parse()?, as_of)`, then either [`explain`] for one entity, or
//!    [`Assessment::compute`] once and [`Assessment::proof`] per entity;
//! 4. print [`Proof::sentence`], or `serde_json::to_string(&proof)` for `--json` and the API.
//!    A decision that cites a proof can store it whole and replay it with
//!    [`Scope::with_rule`].
//!
//! `interdict import holdings-csv <file>`: [`holdings_csv::parse`], show every
//! [`holdings_csv::CsvError`] and stop if there are any, else
//! [`holdings_csv::ParsedHoldings::resolve`] with a [`holdings_csv::Resolver`] that looks ids
//! and names up in the store and creates a `Company` for an unknown name. [`registry`] is that
//! resolver (ids, exact names of exactly one non-person party, refusals for ambiguous, person
//! and near-miss names) and writes the rows as FtM entities for the store.
//!
//! # What it does not do
//!
//! No I/O besides reading a CSV from a reader, no store, no HTTP, no list parsing: listings
//! and relations come from the caller. It does not guess ownership that is not recorded, does
//! not multiply shares through unblocked intermediaries (the OFAC rule does not), and does not
//! model UK (OFSI) or UN tests yet. It does not decide licences: a licence that covers an
//! entity and its 50 %-owned subsidiaries reads this crate's status and applies itself.

pub mod assess;
mod engine;
pub mod graph;
pub mod holdings_csv;
pub mod listing;
pub mod period;
pub mod proof;
pub mod registry;
pub mod relation;
pub mod rule;
pub mod share;
pub mod synthetic;

#[cfg(test)]
mod incremental_tests;

pub use assess::{Assessment, Effect, Status, StatusChange, UpdateReport};
pub use graph::{GraphBuilder, OwnershipGraph};
pub use listing::{Change, ListedSet, Listing, Scope};
pub use period::{Activity, Period};
pub use proof::{
    ControlEvidence, Counted, Hop, ListedOwner, Meets, OwnerShare, Party, Path, Proof, RecordRef,
    RelatedListed, Step, explain,
};
pub use relation::{
    Association, AssociationKind, Control, ControlKind, Holding, ReadIssue, Relation,
    RelationError, relation_from_entity,
};
pub use rule::{Aggregation, Comparison, ControlEffect, Jurisdiction, Rule, UnknownJurisdiction};
pub use share::{Percent, Share, ShareError};

/// Why an ownership question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnershipError {
    /// The entity id is empty or otherwise unusable.
    #[error("unknown entity {0:?}")]
    UnknownEntity(String),
}
