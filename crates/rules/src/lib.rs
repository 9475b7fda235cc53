//! Measures, licences and decisions (capability C5): programmes as versioned data files, and
//! the engine that applies them to a dealing on its date.
//!
//! Screening says "this name looks like that listed name". A sanctions decision says more:
//! *this payment must be blocked, under this order, because of these parties and this
//! ownership path, and no licence covers it at this instant*. This crate takes a
//! [`Dealing`](interdict_dealings::Dealing) (a payment read from pacs.008, MT103 or JSON, a
//! trade declaration, a securities order, a travel application), a perspective (US person, EU
//! operator, UK person), the lists as they stood on the dealing's date, the ownership data and
//! the licences on record, and returns a [`Decision`]:
//!
//! - [`Outcome::Allow`] — no measure applies;
//! - [`Outcome::AllowUnderLicence`] — a measure applies and a licence authorises the dealing;
//!   the licence's reporting duty, with its deadline, comes with it;
//! - [`Outcome::Block`] — a blocked person has an interest: freeze, and file the blocking report
//!   (10 US business days under 31 CFR 501.603);
//! - [`Outcome::Reject`] — prohibited, nothing to block (new sovereign debt, a banned import, a
//!   travel ban);
//! - [`Outcome::Review`] — a match, an ownership or a fact too uncertain to decide.
//!
//! Every decision carries every reason: the measure and its legal citation, each matched party
//! with its score and explanation (and the input field it came from), the ownership proof, each
//! licence considered and why it applies or not, the reports owed, what an analyst must review,
//! the "(verify)" caveats of unconfirmed facts it relied on — and the list versions, programme
//! file hashes, specific licences and ownership data it used ([`Basis`]).
//!
//! # Programmes are data
//!
//! `programmes/*.toml` (documented in `programmes/README.md`) hold the programmes, their legal
//! instruments, the list tags that map to them, the parties their measures name, their measures
//! (blocking, travel bans, import and export bans by goods code, origin and producer with
//! contract grandfathering, debt prohibitions by issuer, instrument kind, maturity and issue
//! date, insurance and assistance bans) with effective dates and time zone, and their general
//! licences (scope, wind-down, administrative limits, humanitarian purposes, validity to a local
//! time such as 12:01 a.m. EDT, revocation and replacement, exclusions, reporting duties). They
//! are bundled in the binary ([`Programmes::bundled`]) and can be replaced by a directory
//! ([`Programmes::load_dir`]); loading validates them and names file, line, key path and reason
//! of every problem. The screening bands are data too (`programmes/screening.toml`).
//!
//! # Example
//!
//! ```
//! use interdict_matching::{EntityMeta, IndexBuilder};
//! use interdict_model::{Entity, Schema};
//! use interdict_rules::{DecisionInput, Engine, Jurisdiction, ListBasis, ListView, Outcome, Programmes, Selection};
//!
//! let mut naftan = Entity::new("ofac-12860", Schema::named("Organization"));
//! naftan.set("name", "NAFTAN OAO", None);
//! naftan.set("program", "BELARUS", None);
//! let mut builder = IndexBuilder::new();
//! builder.add(naftan, EntityMeta::dataset("us_ofac_sdn"));
//! let index = builder.build().unwrap();
//! let versions = [ListBasis {
//!     dataset: "us_ofac_sdn".into(), version_id: 1, published: "2021-07-07".parse().ok(),
//!     effective: "2021-07-07".parse().unwrap(), sha256: "0".repeat(64), entities: 1,
//!     selection: Selection::InForce,
//! }];
//!
//! let engine = Engine::new(Programmes::bundled().unwrap()).unwrap();
//! let payment = interdict_dealings::read(br#"{
//!   "kind": "payment", "reference": "GCL-2021-0610-01",
//!   "as_of": "2021-06-10T09:00:00[America/New_York]",
//!   "amount": {"value": "15000.00", "currency": "USD"},
//!   "parties": [{"role": "creditor", "names": ["NAFTAN OAO"], "schema": "organisation"}]
//! }"#, None, None).unwrap();
//! let decision = engine.decide(DecisionInput {
//!     dealing: &payment,
//!     perspective: Jurisdiction::Us,
//!     input_notes: &[],
//!     lists: ListView { index: &index, versions: &versions },
//!     ownership: None,
//!     licences: &[],
//! });
//! assert_eq!(decision.outcome, Outcome::Block);
//! assert!(decision.licences.iter().any(|l| l.number == "GL 2H" && l.why.starts_with("expired")));
//! assert_eq!(decision.obligations[0].due.unwrap().to_string(), "2021-06-25");
//! println!("{decision}"); // the decision memo
//! ```
//!
//! # The decision procedure
//!
//! 1. **Lists**: the versions in force on the dealing's date ([`select_versions`]; the caller
//!    builds the index from exactly those). Where the store has none that old, the earliest is
//!    used and the decision says so; a version much older than the dealing is flagged.
//! 2. **Screening**: every party (names with birth date, countries, identifiers, address), its
//!    BIC (against listed `swiftBic`) and account, and every free text (windows of words),
//!    against the lists of the perspective. A match at or above the decision line (or an exact
//!    BIC or identifier) is taken to be the listed party; one in the review band makes the
//!    decision REVIEW unless something else already blocks; a text hit is always REVIEW.
//! 3. **Ownership**: parties not themselves listed are looked up in the ownership data and
//!    assessed under the perspective's test as of the date (OFAC 50 % rule, EU test).
//! 4. **Measures** of the perspective's programmes in force at the instant (in the programme's
//!    zone): blocking for every listed or owned party with an interest, travel bans for a
//!    traveller, goods bans for declared goods (with grandfathering by contract date), debt
//!    prohibitions for an issuer named by the measure (issue date, maturity, FAQ 942's terms
//!    rule; never extended by ownership where the measure says so, FAQ 943), insurance bans.
//! 5. **Licences** for every measure that applies: the general licences relieving it and the
//!    specific licences on record, each checked for validity at the instant (start, expiry at a
//!    local time, revocation), scope (named parties, their 50 %-owned entities, indirect-only
//!    parties), kind of dealing (all, wind-down of pre-existing contracts, administrative fees
//!    up to an amount, humanitarian purposes) and amount cap.
//! 6. **Outcome**: BLOCK if a blocked person's interest is unlicensed; else REJECT if a
//!    prohibition is unlicensed; else REVIEW if anything is uncertain; else
//!    ALLOW_UNDER_LICENCE if a licence was needed; else ALLOW.
//! 7. **Obligations**: the blocking or reject report with its deadline in business days, or the
//!    licence's report (e.g. above USD 50,000 within 30 days).
//!
//! # Invariants
//!
//! - **Programmes and licences are data, not code.** No programme, tag, date, threshold or
//!   licence is written in this crate; a change of law is a reviewed change of a data file.
//! - **Every decision can be replayed from the versions it records.** A decision holds the
//!   dealing as decided, the list versions (ids and hashes), the programme files (hashes), the
//!   specific licences and the ownership data's hash; given the same, the engine returns the
//!   same decision, byte for byte (a decision carries no clock time).
//! - **Nothing is silently ignored**: every party and text screened appears in the decision with
//!   what it matched; an uncertain fact becomes a review point, an unconfirmed legal fact a
//!   "(verify)" caveat.
//! - The crate depends on the model, dealings, matching and ownership crates only: no store, no
//!   SQL, no HTTP. Callers read the lists and licences and hand them over.
//!
//! # What it does not do
//!
//! It does not read lists, the store or files other than programme files; it does not keep
//! licence usage across dealings (an annual cap is checked against one dealing); it does not
//! convert currencies (a threshold in another currency is reported, not guessed); it does not
//! model the UK ownership test; it does not decide measures identified by description rather
//! than by code (monitoring equipment, dual-use goods): the programme files list them as notes.

pub mod calendar;
pub mod decision;
mod engine;
pub mod licence;
pub mod load;
pub mod moment;
pub mod programme;
pub mod screen;
pub mod view;

pub use decision::{
    Basis, Decision, FeatureNote, Grade, Hit, LicenceFinding, ListedUnder, MeasureFinding,
    Obligation, Outcome, OwnershipFinding, PartyFinding, Via,
};
pub use engine::{DecisionInput, Engine, EngineError};
pub use licence::{LicenceError, SpecificLicence};
pub use load::{FileVersion, LoadedProgramme, ProgrammeError, ProgrammeErrors, Programmes};
pub use moment::{Day, Moment};
pub use programme::{Jurisdiction, MeasureKind, ScreeningSettings};
pub use view::{ListBasis, ListView, OwnershipBasis, OwnershipData, Selection, select_versions};
