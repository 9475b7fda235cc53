//! The decision procedure. See the crate documentation for the order of the checks; this
//! module is that order in code.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use chrono_tz::Tz;
use interdict_dealings::{
    Amount, AsOf, Dealing, DealingKind, GoodsCode, GoodsLine, InstrumentKind, Party, PartyRole,
    TradeDirection,
};
use interdict_matching::{BuildError, EntityMeta, Index, IndexBuilder, Options, Query};
use interdict_model::{Entity, Schema};
use interdict_ownership as own;
use serde::Serialize;

use crate::calendar::add_us_business_days;
use crate::decision::{
    Basis, Decision, Grade, Hit, LicenceFinding, MeasureFinding, Obligation, Outcome,
    OwnershipFinding, PartyFinding, kind_name,
};
use crate::licence::SpecificLicence;
use crate::load::{LoadedProgramme, Programmes};
use crate::moment::human_instant;
use crate::programme::{
    Authorises, GeneralLicence, Jurisdiction, Measure, MeasureKind, ReportRule,
};
use crate::screen::{Screener, is_direct, party_subject, role_name};
use crate::view::{ListView, OwnershipData, Selection};

/// Everything a decision needs besides the programmes.
#[derive(Debug, Clone, Copy)]
pub struct DecisionInput<'a> {
    /// The dealing, with the as-of time to apply.
    pub dealing: &'a Dealing,
    /// Whose law to apply.
    pub perspective: Jurisdiction,
    /// Where the perspective or the as-of time came from, when not from the dealing
    /// (printed in the decision).
    pub input_notes: &'a [String],
    /// The lists as of the dealing's date.
    pub lists: ListView<'a>,
    /// Ownership data, if any.
    pub ownership: Option<&'a OwnershipData>,
    /// The specific licences on record.
    pub licences: &'a [SpecificLicence],
}

/// Why an engine could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The targets named by the programmes could not be indexed.
    #[error("indexing the programmes' named targets: {0}")]
    Index(#[from] BuildError),
}

/// The decision engine: programmes and licences as data, applied to a dealing on its date.
#[derive(Debug)]
pub struct Engine {
    programmes: Programmes,
    targets: Index,
}

/// What a concern does to the dealing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
enum Effect {
    Block,
    Reject,
}

/// A measure that applies to one subject of the dealing, and the licences that relieve it.
#[derive(Debug, Clone)]
struct Concern {
    subject: String,
    party: Option<usize>,
    role: Option<PartyRole>,
    programme: String,
    measure: String,
    measure_title: String,
    citation: String,
    kind: MeasureKind,
    effect: Effect,
    /// The listed (or named) entity, for a listing; the entity itself for an owned one.
    listed: Option<String>,
    listed_caption: Option<String>,
    /// The node in the ownership data, if the subject is there.
    node: Option<String>,
    /// Listed owners, for blocking by ownership.
    owners: Vec<String>,
    cause: String,
    report: Option<ReportRule>,
    zone: Tz,
    covered_by: Vec<String>,
    reporting: Vec<Obligation>,
    not_covered: Vec<String>,
}

/// The state of one decision while it is being taken.
struct Run<'a> {
    engine: &'a Engine,
    input: DecisionInput<'a>,
    j: Jurisdiction,
    zone: Tz,
    parties: Vec<PartyFinding>,
    texts: Vec<PartyFinding>,
    concerns: Vec<Concern>,
    measures: Vec<MeasureFinding>,
    licences: Vec<LicenceFinding>,
    ownership: Vec<OwnershipFinding>,
    review: Vec<String>,
    caveats: Vec<String>,
    notes: Vec<String>,
    /// Per party: the ownership node and status.
    nodes: Vec<Option<String>>,
    assessment: Option<(own::ListedSet, own::Assessment)>,
}

impl Engine {
    /// An engine over loaded programmes.
    pub fn new(programmes: Programmes) -> Result<Engine, EngineError> {
        let mut b = IndexBuilder::new();
        for p in programmes.all() {
            for t in &p.file.targets {
                let mut e = Entity::new(
                    format!("{}/{}", p.id(), t.id),
                    Schema::named("Organization"),
                );
                let mut names = t.names.iter();
                if let Some(first) = names.next() {
                    e.set("name", first, None);
                }
                for n in names {
                    e.set("alias", n, None);
                }
                if let Some(c) = &t.country {
                    e.set("country", c, None);
                }
                b.add(e, EntityMeta::dataset(p.id()));
            }
        }
        Ok(Engine {
            targets: b.build()?,
            programmes,
        })
    }

    /// The programmes the engine applies.
    pub fn programmes(&self) -> &Programmes {
        &self.programmes
    }

    /// Decide a dealing.
    ///
    /// The order of the checks: (1) the lists: versions in force, substitutes and staleness;
    /// (2) screening of every party (names, birth date, countries, identifiers, address, BIC,
    /// account) and every free text; (3) ownership of the parties not themselves listed;
    /// (4) every measure of the perspective's programmes in force at the as-of instant, on
    /// the parties, goods, instrument and purpose; (5) for each measure that applies, every
    /// general licence of the programmes and every specific licence on record, in force at
    /// the instant, with its scope, kind of dealing and exclusions; (6) the outcome: BLOCK if
    /// a blocked person's interest is not licensed, else REJECT if a prohibition is not
    /// licensed, else REVIEW if anything is too uncertain, else ALLOW_UNDER_LICENCE if a
    /// licence was needed, else ALLOW; (7) the reports owed and their deadlines.
    pub fn decide(&self, input: DecisionInput<'_>) -> Decision {
        let j = input.perspective;
        let zone = self
            .programmes
            .of(j)
            .find(|p| !p.file.programme.generic)
            .or_else(|| self.programmes.of(j).next())
            .map(|p| p.zone)
            .unwrap_or(chrono_tz::UTC);
        let mut run = Run {
            engine: self,
            input,
            j,
            zone,
            parties: Vec::new(),
            texts: Vec::new(),
            concerns: Vec::new(),
            measures: Vec::new(),
            licences: Vec::new(),
            ownership: Vec::new(),
            review: Vec::new(),
            caveats: Vec::new(),
            notes: Vec::new(),
            nodes: Vec::new(),
            assessment: None,
        };
        run.lists();
        run.screen();
        run.ownership();
        run.measures();
        run.licences();
        run.finish()
    }
}

fn fmt_money(a: &Amount, currency: &str) -> String {
    format!("{currency} {}", group_thousands(&a.to_string()))
}

fn group_thousands(s: &str) -> String {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let neg = int.starts_with('-');
    let digits: Vec<char> = int.trim_start_matches('-').chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    let mut r = if neg { format!("-{out}") } else { out };
    if let Some(f) = frac {
        r.push('.');
        r.push_str(f);
    }
    r
}

impl Run<'_> {
    fn at(&self) -> &AsOf {
        &self.input.dealing.as_of
    }

    fn day_in(&self, zone: Tz) -> NaiveDate {
        self.at().in_zone(zone).date_naive()
    }

    fn settings(&self) -> &crate::programme::ScreeningSettings {
        self.engine.programmes.settings()
    }

    /// (1) The list versions: substitutes, staleness, missing lists.
    fn lists(&mut self) {
        let j = self.j;
        let day = self.day_in(self.zone);
        let stale = self.settings().stale_after_days;
        let relevant: Vec<&crate::view::ListBasis> = self
            .input
            .lists
            .versions
            .iter()
            .filter(|v| self.engine.programmes.covers_dataset(j, &v.dataset))
            .collect();
        for v in &relevant {
            match v.selection {
                Selection::EarliestAvailable => self.caveats.push(format!(
                    "No version of {} from on or before {day} is in the store; the earliest one, {}, \
                     was used. It may show as listed a party designated after the dealing date and \
                     miss a party delisted before it.",
                    v.dataset,
                    v.describe()
                )),
                Selection::InForce => {
                    let age = (day - v.effective).num_days();
                    if age > stale {
                        self.caveats.push(format!(
                            "The version of {} in force on {day} is {}, {age} days older than the \
                             dealing: designations made in between are unknown to this decision.",
                            v.dataset,
                            v.describe()
                        ));
                    }
                }
            }
        }
        let wanted = self.engine.programmes.datasets_of(j);
        let loaded: BTreeSet<&str> = relevant.iter().map(|v| v.dataset.as_str()).collect();
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|d| !loaded.contains(d.as_str()))
            .collect();
        if loaded.is_empty() {
            self.review.push(format!(
                "No list of the {j} perspective ({}) is loaded: the parties could not be screened.",
                wanted.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        } else if !missing.is_empty() {
            self.caveats.push(format!(
                "Lists of the {j} perspective not loaded, so not screened: {}.",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }

    /// (2) Screening of every party and text.
    fn screen(&mut self) {
        let screener = Screener {
            index: self.input.lists.index,
            programmes: &self.engine.programmes,
            settings: self.engine.programmes.settings(),
            jurisdiction: self.j,
        };
        let dealing = self.input.dealing;
        self.parties = dealing.parties.iter().map(|p| screener.party(p)).collect();
        self.texts = dealing.texts.iter().map(|t| screener.text(t)).collect();
        let j = self.j;
        let covered = |ds: &str| self.engine.programmes.covers_dataset(j, ds);
        let mut review = Vec::new();
        for pf in self.parties.iter_mut() {
            for h in &pf.hits {
                let in_perspective = h.datasets.iter().any(|d| covered(d));
                if !in_perspective && h.grade != Grade::Below {
                    pf.notes.push(format!(
                        "also matches {} {} in {} (score {:.2}), a list outside the {j} perspective",
                        h.entity_id,
                        h.caption,
                        h.datasets.join(", "),
                        h.score
                    ));
                } else if h.grade == Grade::Review && in_perspective {
                    review.push(format!(
                        "{} possibly matches {} {} (score {:.2}, between the review line {:.2} and \
                         the decision line {:.2}): {}. Confirm or discount the match.",
                        pf.subject,
                        h.entity_id,
                        h.caption,
                        h.score,
                        self.engine.programmes.settings().review_line,
                        self.engine.programmes.settings().decision_line,
                        h.explanation
                    ));
                }
            }
        }
        for tf in &self.texts {
            for h in &tf.hits {
                if h.listed_under.is_empty() {
                    continue;
                }
                review.push(format!(
                    "The {} names {} {}, listed under {} ({}): the text does not say what interest \
                     the listed party has in the dealing; establish it before processing.",
                    tf.subject.split(" \"").next().unwrap_or("text"),
                    h.entity_id,
                    h.caption,
                    h.listed_under
                        .iter()
                        .map(|l| l.tag.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    h.explanation
                ));
            }
        }
        self.review.extend(review);
        self.nodes = vec![None; dealing.parties.len()];
    }

    /// The confirmed hits of a party that are listed under a programme of the perspective.
    fn confirmed(&self, i: usize) -> impl Iterator<Item = &Hit> {
        self.parties[i]
            .hits
            .iter()
            .filter(|h| h.grade == Grade::Confirmed && !h.listed_under.is_empty())
    }

    fn ownership_jurisdiction(&self) -> Option<own::Jurisdiction> {
        match self.j {
            Jurisdiction::Us => Some(own::Jurisdiction::Us),
            Jurisdiction::Eu => Some(own::Jurisdiction::Eu),
            Jurisdiction::Uk => None,
        }
    }

    /// Find a dealing's party in the ownership data: by the id of the listed entity it
    /// matched, else by name at or above the decision line.
    fn resolve_node(&self, od: &OwnershipData, i: usize, p: &Party) -> Option<String> {
        for h in &self.parties[i].hits {
            if h.grade == Grade::Confirmed && od.graph.contains(&h.entity_id) {
                return Some(h.entity_id.clone());
            }
        }
        self.resolve_names(od, &p.names)
    }

    fn resolve_names(&self, od: &OwnershipData, names: &[String]) -> Option<String> {
        if names.is_empty() {
            return None;
        }
        let mut q = Query::new(Schema::named("LegalEntity"), String::new());
        q.names = names.to_vec();
        od.names
            .search(
                &q,
                &Options::with_cutoff(1, self.settings().decision_line - 0.001),
            )
            .into_iter()
            .next()
            .map(|m| m.entity_id)
    }

    /// The listings of the view, for the entities of the ownership graph.
    fn listed_set(&self, od: &OwnershipData, oj: own::Jurisdiction) -> own::ListedSet {
        let index = self.input.lists.index;
        let mut set = own::ListedSet::new();
        for id in od.graph.ids() {
            if !index.contains(id) {
                continue;
            }
            let Some(entity) = index.entity(id) else {
                continue;
            };
            let datasets = index.entity_datasets(id);
            let mut tags: Vec<&str> = entity.values("program").collect();
            if tags.is_empty() {
                tags.push("");
            }
            for ds in &datasets {
                for tag in &tags {
                    if self
                        .engine
                        .programmes
                        .programme_of_tag(self.j, ds, tag)
                        .is_some()
                    {
                        set.add(own::Listing::new(id, oj, *tag));
                    }
                }
            }
        }
        set
    }

    /// (3) Ownership of the parties that are not themselves listed.
    fn ownership(&mut self) {
        let Some(oj) = self.ownership_jurisdiction() else {
            self.caveats.push(
                "The UK ownership-or-control test is not modelled: entities owned or controlled \
                 by designated persons are not detected for a UK decision."
                    .into(),
            );
            return;
        };
        let Some(od) = self.input.ownership else {
            self.caveats.push(
                "No ownership data was given: entities owned by listed persons (the 50 % rule, \
                 the EU ownership-or-control test) are not detected."
                    .into(),
            );
            return;
        };
        let day = self.day_in(self.zone);
        let listed = self.listed_set(od, oj);
        let assessment = own::Assessment::compute(&od.graph, &listed, &own::Scope::new(oj, day));
        let dealing = self.input.dealing;
        for (i, p) in dealing.parties.iter().enumerate() {
            let node = self.resolve_node(od, i, p);
            self.nodes[i] = node.clone();
            let Some(node) = node else { continue };
            if self.confirmed(i).next().is_some() {
                continue;
            }
            let status = assessment.status(&od.graph, &listed, &node);
            if status == own::Status::Clear {
                continue;
            }
            let Ok(proof) = assessment.proof(&od.graph, &listed, &node) else {
                continue;
            };
            let subject = party_subject(p);
            let described = status.describe(assessment.rule()).to_string();
            match status.effect(assessment.rule()) {
                own::Effect::Blocked => {}
                own::Effect::Review => self.review.push(format!(
                    "{subject}: {described} under the {} — {}",
                    assessment.rule().name,
                    proof.sentence
                )),
                own::Effect::Clear => {}
            }
            self.ownership.push(OwnershipFinding {
                subject,
                entity: node,
                status: described,
                sentence: proof.sentence.clone(),
                proof,
            });
        }
        self.assessment = Some((listed, assessment));
    }

    /// (4) The measures of the perspective's programmes.
    fn measures(&mut self) {
        let programmes: Vec<&LoadedProgramme> = self.engine.programmes.of(self.j).collect();
        for prog in programmes {
            for m in &prog.file.measures {
                match m.kind {
                    MeasureKind::Blocking | MeasureKind::Review => self.blocking(prog, m),
                    MeasureKind::TravelBan => self.travel_ban(prog, m),
                    MeasureKind::ImportBan | MeasureKind::ExportBan => self.goods_ban(prog, m),
                    MeasureKind::AssistanceBan => self.assistance_ban(prog, m),
                    MeasureKind::DebtProhibition => self.debt(prog, m),
                    MeasureKind::InsuranceBan => self.insurance(prog, m),
                }
            }
        }
    }

    fn in_force(&self, prog: &LoadedProgramme, m: &Measure) -> Result<(), String> {
        let at = self.at();
        if !m.from.started_by(at, prog.zone) {
            return Err(format!(
                "not yet in force: it applies from {}",
                m.from.human()
            ));
        }
        if let Some(u) = &m.until
            && !u.not_passed_at(at, prog.zone)
        {
            return Err(format!("no longer in force: it ended {}", u.human()));
        }
        Ok(())
    }

    fn verify_of(m: &Measure) -> Option<String> {
        m.verify.then(|| {
            m.verify_note
                .clone()
                .unwrap_or_else(|| "unconfirmed".into())
        })
    }

    /// Whether a listed hit falls within a measure's targets.
    fn targeted(m: &Measure, h: &Hit, prog: &LoadedProgramme) -> Vec<(String, String)> {
        if !m.targets.listed {
            return Vec::new();
        }
        h.listed_under
            .iter()
            .filter(|l| l.programme == prog.id())
            .filter(|l| m.targets.tags.is_empty() || m.targets.tags.contains(&l.tag))
            .filter(|l| m.targets.datasets.is_empty() || m.targets.datasets.contains(&l.dataset))
            .map(|l| (l.tag.clone(), l.instrument.clone()))
            .collect()
    }

    fn blocking(&mut self, prog: &LoadedProgramme, m: &Measure) {
        let dealing = self.input.dealing;
        let travel = dealing.kind == DealingKind::TravelApplication;
        for (i, p) in dealing.parties.iter().enumerate() {
            if !m.roles.is_empty() && !m.roles.contains(&p.role) {
                continue;
            }
            let hits: Vec<(Hit, Vec<(String, String)>)> = self
                .confirmed(i)
                .map(|h| (h.clone(), Self::targeted(m, h, prog)))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            for (h, tags) in hits {
                let subject = party_subject(p);
                let under = tags
                    .iter()
                    .map(|(t, inst)| format!("{t} ({inst})"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let exact = p.names.iter().any(|n| n.eq_ignore_ascii_case(&h.caption));
                let cause = if exact {
                    format!(
                        "{subject} is listed as {} ({}) under {under}",
                        h.caption, h.entity_id
                    )
                } else {
                    format!(
                        "{subject} matches the listed {} ({}, score {:.2} by {}) under {under}",
                        h.caption,
                        h.entity_id,
                        h.score,
                        match h.via {
                            crate::decision::Via::Bic => "BIC",
                            crate::decision::Via::Identifier => "identifier",
                            _ => "name",
                        }
                    )
                };
                if !self.in_force_or_note(prog, m, &subject, &cause) {
                    continue;
                }
                if m.kind == MeasureKind::Review {
                    self.review
                        .push(format!("{cause}: {} — {}", m.title, m.prohibits));
                    self.measures
                        .push(self.finding(prog, m, true, &subject, cause.clone()));
                    continue;
                }
                if travel {
                    self.measures.push(self.finding(
                        prog,
                        m,
                        false,
                        &subject,
                        format!("{cause}; a travel application is not a dealing in the person's property (the travel ban decides it)"),
                    ));
                    continue;
                }
                let role = role_name(p.role);
                self.measures.push(self.finding(
                    prog,
                    m,
                    true,
                    &subject,
                    format!(
                        "{cause}; as {role} it has an interest in the {}",
                        kind_name(dealing.kind)
                    ),
                ));
                self.concerns.push(Concern {
                    subject,
                    party: Some(i),
                    role: Some(p.role),
                    programme: prog.id().to_string(),
                    measure: m.id.clone(),
                    measure_title: m.title.clone(),
                    citation: m.citation.clone(),
                    kind: m.kind,
                    effect: Effect::Block,
                    listed: Some(h.entity_id.clone()),
                    listed_caption: Some(h.caption.clone()),
                    node: self.nodes.get(i).cloned().flatten(),
                    owners: Vec::new(),
                    cause,
                    report: m.report.clone(),
                    zone: prog.zone,
                    covered_by: Vec::new(),
                    reporting: Vec::new(),
                    not_covered: Vec::new(),
                });
            }
        }
        // Blocking by ownership.
        if m.kind != MeasureKind::Blocking || travel {
            return;
        }
        let findings = self.ownership.clone();
        for f in findings {
            let covered = f.proof.status == own::Status::Owned
                || (f.proof.status == own::Status::Controlled
                    && f.proof.effect == own::Effect::Blocked);
            if !covered {
                continue;
            }
            let index = self.input.lists.index;
            let owners: Vec<&own::ListedOwner> = f
                .proof
                .listed_owners
                .iter()
                .filter(|o| {
                    o.listings.iter().any(|l| {
                        index.entity_datasets(&o.party.id).iter().any(|ds| {
                            self.engine
                                .programmes
                                .programme_of_tag(self.j, ds, &l.programme)
                                .is_some_and(|(p, _)| p.id() == prog.id())
                        })
                    })
                })
                .collect();
            if owners.is_empty() {
                continue;
            }
            let i = self
                .input
                .dealing
                .parties
                .iter()
                .position(|p| party_subject(p) == f.subject);
            if !m.extends_by_ownership {
                self.measures.push(self.finding(
                    prog,
                    m,
                    false,
                    &f.subject,
                    format!(
                        "{}; {}",
                        f.sentence,
                        m.ownership_note.clone().unwrap_or_else(|| {
                            "the measure does not extend by ownership".into()
                        })
                    ),
                ));
                continue;
            }
            let cause = match i {
                Some(i) => format!(
                    "as {}, {}",
                    role_name(self.input.dealing.parties[i].role),
                    f.sentence.trim_end_matches('.')
                ),
                None => f.sentence.trim_end_matches('.').to_string(),
            };
            if !self.in_force_or_note(prog, m, &f.subject, &cause) {
                continue;
            }
            self.measures
                .push(self.finding(prog, m, true, &f.subject, cause.clone()));
            self.concerns.push(Concern {
                subject: f.subject.clone(),
                party: i,
                role: i.map(|i| self.input.dealing.parties[i].role),
                programme: prog.id().to_string(),
                measure: m.id.clone(),
                measure_title: m.title.clone(),
                citation: m.citation.clone(),
                kind: m.kind,
                effect: Effect::Block,
                listed: None,
                listed_caption: None,
                node: Some(f.entity.clone()),
                owners: owners.iter().map(|o| o.party.id.clone()).collect(),
                cause,
                report: m.report.clone(),
                zone: prog.zone,
                covered_by: Vec::new(),
                reporting: Vec::new(),
                not_covered: Vec::new(),
            });
        }
    }

    /// Whether measure `m` is in force at the dealing's instant. If it is not, the finding
    /// that says so ("{cause}, but the measure is no longer in force …") is recorded, so that a
    /// measure that would have applied on another day is never silently skipped.
    fn in_force_or_note(
        &mut self,
        prog: &LoadedProgramme,
        m: &Measure,
        subject: &str,
        cause: &str,
    ) -> bool {
        match self.in_force(prog, m) {
            Ok(()) => true,
            Err(why) => {
                let finding = self.finding(
                    prog,
                    m,
                    false,
                    subject,
                    format!("{cause}, but the measure is {why}"),
                );
                self.measures.push(finding);
                false
            }
        }
    }

    fn finding(
        &self,
        prog: &LoadedProgramme,
        m: &Measure,
        applies: bool,
        subject: &str,
        why: String,
    ) -> MeasureFinding {
        MeasureFinding {
            prohibits: applies.then(|| m.prohibits.clone()),
            programme: prog.id().to_string(),
            measure: m.id.clone(),
            title: m.title.clone(),
            kind: m.kind,
            citation: m.citation.clone(),
            applies,
            subject: subject.to_string(),
            why,
            verify: Self::verify_of(m),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn prohibition(
        &mut self,
        prog: &LoadedProgramme,
        m: &Measure,
        subject: String,
        party: Option<usize>,
        listed: Option<(String, String)>,
        cause: String,
    ) {
        let role = party.map(|i| self.input.dealing.parties[i].role);
        self.concerns.push(Concern {
            subject,
            party,
            role,
            programme: prog.id().to_string(),
            measure: m.id.clone(),
            measure_title: m.title.clone(),
            citation: m.citation.clone(),
            kind: m.kind,
            effect: Effect::Reject,
            listed: listed.as_ref().map(|l| l.0.clone()),
            listed_caption: listed.map(|l| l.1),
            node: party.and_then(|i| self.nodes.get(i).cloned().flatten()),
            owners: Vec::new(),
            cause,
            report: m.report.clone(),
            zone: prog.zone,
            covered_by: Vec::new(),
            reporting: Vec::new(),
            not_covered: Vec::new(),
        });
    }

    fn travel_ban(&mut self, prog: &LoadedProgramme, m: &Measure) {
        let dealing = self.input.dealing;
        if dealing.kind != DealingKind::TravelApplication {
            return;
        }
        for (i, p) in dealing.parties.iter().enumerate() {
            if p.role != PartyRole::Traveller {
                continue;
            }
            let hits: Vec<(Hit, Vec<(String, String)>)> = self
                .confirmed(i)
                .map(|h| (h.clone(), Self::targeted(m, h, prog)))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            for (h, tags) in hits {
                let subject = party_subject(p);
                if m.targets.persons_only
                    && self
                        .input
                        .lists
                        .index
                        .entity(&h.entity_id)
                        .is_some_and(|e| !e.schema.is_a(Schema::named("Person")))
                {
                    continue;
                }
                let under = tags
                    .iter()
                    .map(|(t, inst)| format!("{t} ({inst})"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let cause = format!(
                    "the traveller ({}) is {} ({}), listed under {under} (match score {:.2}: {})",
                    p.names.join(" / "),
                    h.caption,
                    h.entity_id,
                    h.score,
                    h.explanation
                );
                if !self.in_force_or_note(prog, m, &subject, &cause) {
                    continue;
                }
                self.measures
                    .push(self.finding(prog, m, true, &subject, cause.clone()));
                self.prohibition(
                    prog,
                    m,
                    subject,
                    Some(i),
                    Some((h.entity_id.clone(), h.caption.clone())),
                    cause,
                );
            }
        }
    }

    /// Whether a goods line falls under a goods rule; the matching code rule.
    fn goods_match<'m>(
        rule: &'m crate::programme::Goods,
        line: &GoodsLine,
        direction_country: Option<&str>,
        export: bool,
    ) -> Option<(&'m crate::programme::GoodsCodeRule, Option<String>)> {
        let code = line.code.as_ref()?;
        let hit = rule.codes.iter().find(|c| {
            c.code
                .parse::<GoodsCode>()
                .is_ok_and(|broad| code.within(&broad))
        })?;
        let countries = if export {
            &rule.destination
        } else {
            &rule.origin
        };
        if countries.is_empty() {
            return Some((hit, None));
        }
        match direction_country {
            Some(c) if countries.iter().any(|x| x.eq_ignore_ascii_case(c)) => Some((hit, None)),
            Some(_) => None,
            None => Some((
                hit,
                Some(format!(
                    "the {} is not stated",
                    if export { "destination" } else { "origin" }
                )),
            )),
        }
    }

    fn goods_ban(&mut self, prog: &LoadedProgramme, m: &Measure) {
        let dealing = self.input.dealing;
        let (Some(trade), Some(rule)) = (&dealing.trade, &m.goods) else {
            return;
        };
        if dealing.kind != DealingKind::TradeDeclaration {
            return;
        }
        let export = m.kind == MeasureKind::ExportBan;
        let direction_ok = match trade.direction {
            TradeDirection::Import => !export,
            TradeDirection::Export => export,
            TradeDirection::Transit => true,
        };
        if !direction_ok {
            return;
        }
        // Goods of a listed producer.
        if rule.listed_producers {
            for (i, p) in dealing.parties.iter().enumerate() {
                if p.role != PartyRole::Producer {
                    continue;
                }
                let hits: Vec<Hit> = self
                    .confirmed(i)
                    .filter(|h| h.listed_under.iter().any(|l| l.programme == prog.id()))
                    .cloned()
                    .collect();
                for h in hits {
                    let subject = party_subject(p);
                    let cause = format!(
                        "the goods are produced by {} ({}), a listed producer",
                        h.caption, h.entity_id
                    );
                    self.goods_decision(prog, m, subject, Some(i), cause, None);
                }
            }
        }
        for (n, line) in trade.goods.iter().enumerate() {
            let country = if export {
                trade
                    .destination_country
                    .as_ref()
                    .map(|c| c.as_str().to_string())
            } else {
                line.origin.as_ref().map(|c| c.as_str().to_string())
            };
            let Some((code_rule, unknown)) =
                Self::goods_match(rule, line, country.as_deref(), export)
            else {
                continue;
            };
            let subject = goods_subject(n, line);
            let verify = if code_rule.verify {
                " (verify: the Annex's codes are unconfirmed)"
            } else {
                ""
            };
            let cause = format!(
                "{subject} falls within {} \"{}\"{verify}{}",
                code_rule.code,
                code_rule.description,
                match &country {
                    Some(c) if export => format!(", destination {}", c.to_uppercase()),
                    Some(c) => format!(", origin {}", c.to_uppercase()),
                    None => String::new(),
                }
            );
            self.goods_decision(prog, m, subject, None, cause, unknown);
        }
    }

    /// A goods line or producer under an import, export or assistance ban: in force?
    /// grandfathered? else prohibited.
    fn goods_decision(
        &mut self,
        prog: &LoadedProgramme,
        m: &Measure,
        subject: String,
        party: Option<usize>,
        cause: String,
        unknown: Option<String>,
    ) {
        if !self.in_force_or_note(prog, m, &subject, &cause) {
            return;
        }
        if let Some(u) = unknown {
            self.review.push(format!(
                "{cause}, but {u}: the {} ({}) may apply.",
                m.title, m.citation
            ));
            self.measures
                .push(self.finding(prog, m, false, &subject, format!("{cause}, but {u}")));
            return;
        }
        let dealing = self.input.dealing;
        if let Some(g) = &m.grandfathering {
            let verify = if g.verify {
                format!(
                    " (verify: {})",
                    g.verify_note
                        .clone()
                        .unwrap_or_else(|| "unconfirmed".into())
                )
            } else {
                String::new()
            };
            match dealing.contract_date {
                Some(d) if d < g.contracts_before.date() => {
                    self.measures.push(self.finding(
                        prog,
                        m,
                        false,
                        &subject,
                        format!(
                            "{cause}; grandfathered: the contract was concluded on {d}, before {} ({}){verify}",
                            g.contracts_before, g.citation
                        ),
                    ));
                    return;
                }
                Some(d) => {
                    let cause = format!(
                        "{cause}; the contract was concluded on {d}, not before {} ({}), so it is not grandfathered{verify}",
                        g.contracts_before, g.citation
                    );
                    self.measures
                        .push(self.finding(prog, m, true, &subject, cause.clone()));
                    self.prohibition(prog, m, subject, party, None, cause);
                    return;
                }
                None => {
                    self.review.push(format!(
                        "{cause}; contracts concluded before {} are grandfathered{verify}, but the dealing gives no contract date.",
                        g.contracts_before
                    ));
                    self.measures.push(self.finding(
                        prog,
                        m,
                        false,
                        &subject,
                        format!("{cause}; the contract date is not stated"),
                    ));
                    return;
                }
            }
        }
        self.measures
            .push(self.finding(prog, m, true, &subject, cause.clone()));
        self.prohibition(prog, m, subject, party, None, cause);
    }

    fn assistance_ban(&mut self, prog: &LoadedProgramme, m: &Measure) {
        let dealing = self.input.dealing;
        if dealing.kind == DealingKind::TradeDeclaration {
            return; // the import or export ban itself decides a declaration
        }
        let (Some(trade), Some(rule)) = (&dealing.trade, &m.goods) else {
            return;
        };
        for (n, line) in trade.goods.iter().enumerate() {
            let country = line.origin.as_ref().map(|c| c.as_str().to_string());
            let Some((code_rule, unknown)) =
                Self::goods_match(rule, line, country.as_deref(), false)
            else {
                continue;
            };
            let subject = format!("{} paid for", goods_subject(n, line));
            let cause = format!(
                "the {} pays for {subject}, within {} \"{}\"{}",
                kind_name(dealing.kind),
                code_rule.code,
                code_rule.description,
                if code_rule.verify {
                    " (verify: the Annex's codes are unconfirmed)"
                } else {
                    ""
                }
            );
            self.goods_decision(prog, m, subject, None, cause, unknown);
        }
    }

    /// The named targets of a measure a party matches, confirmed or for review.
    fn target_hits(
        &self,
        prog: &LoadedProgramme,
        m: &Measure,
        p: &Party,
    ) -> Vec<(String, String, f64, Grade, String)> {
        if m.targets.named.is_empty() || p.names.is_empty() {
            return Vec::new();
        }
        let mut q = Query::new(Schema::named("Organization"), String::new());
        q.names = p.names.clone();
        let s = self.settings();
        let ids: Vec<String> = m
            .targets
            .named
            .iter()
            .map(|t| format!("{}/{}", prog.id(), t))
            .collect();
        self.engine
            .targets
            .search(&q, &Options::with_cutoff(5, s.review_line - 0.001))
            .into_iter()
            .filter(|hit| ids.contains(&hit.entity_id))
            .map(|hit| {
                let grade = if hit.score >= s.decision_line {
                    Grade::Confirmed
                } else {
                    Grade::Review
                };
                let why = hit.name.as_ref().map(|n| n.summary()).unwrap_or_default();
                (hit.entity_id, hit.caption, hit.score, grade, why)
            })
            .collect()
    }

    fn debt(&mut self, prog: &LoadedProgramme, m: &Measure) {
        let dealing = self.input.dealing;
        let (Some(order), Some(rule)) = (&dealing.securities, &m.debt) else {
            return;
        };
        for (i, p) in dealing.parties.iter().enumerate() {
            if p.role != PartyRole::Issuer {
                continue;
            }
            let subject = party_subject(p);
            let mut targets = self.target_hits(prog, m, p);
            // A listed issuer under a targeted tag counts too.
            if m.targets.listed {
                for h in self.confirmed(i) {
                    if !Self::targeted(m, h, prog).is_empty() {
                        targets.push((
                            h.entity_id.clone(),
                            h.caption.clone(),
                            h.score,
                            Grade::Confirmed,
                            h.explanation.clone(),
                        ));
                    }
                }
            }
            let confirmed = targets.iter().find(|t| t.3 == Grade::Confirmed).cloned();
            let Some((target_id, target_name, score, _, why_match)) = confirmed else {
                for t in targets.iter().filter(|t| t.3 == Grade::Review) {
                    self.review.push(format!(
                        "{subject} possibly is {} (score {:.2}), an issuer named by {}: {}",
                        t.1, t.2, m.title, t.4
                    ));
                }
                let names: Vec<String> = m
                    .targets
                    .named
                    .iter()
                    .filter_map(|t| prog.file.targets.iter().find(|x| &x.id == t))
                    .filter_map(|t| t.names.first().cloned())
                    .collect();
                let mut why = format!(
                    "{subject} is not an issuer the measure names ({})",
                    names.join("; ")
                );
                if !m.extends_by_ownership
                    && let Some(note) = self.owned_by_targets(prog, m, i)
                {
                    why.push_str(&format!(
                        "; {note}, but {}",
                        m.ownership_note
                            .clone()
                            .unwrap_or_else(|| "the measure does not extend by ownership".into())
                    ));
                }
                self.measures
                    .push(self.finding(prog, m, false, &subject, why));
                continue;
            };
            let inst = &order.instrument;
            let name = inst
                .description
                .clone()
                .or_else(|| inst.isin.as_ref().map(|x| x.as_str().to_string()))
                .unwrap_or_else(|| "the instrument".into());
            let isin = inst
                .isin
                .as_ref()
                .map(|x| format!(" (ISIN {})", x.as_str()))
                .unwrap_or_default();
            let exact = p.names.iter().any(|n| n.eq_ignore_ascii_case(&target_name));
            let who = if exact {
                format!("{subject} is the {target_name}, an issuer the measure names")
            } else {
                format!(
                    "{subject} matches {target_name} (score {score:.2}: {why_match}), an issuer the measure names"
                )
            };
            if !self.in_force_or_note(prog, m, &subject, &who) {
                continue;
            }
            if !rule.instrument_kinds.contains(&inst.kind) {
                self.measures.push(self.finding(
                    prog,
                    m,
                    false,
                    &subject,
                    format!(
                        "{who}; {name}{isin} is {}, not debt the measure covers",
                        kind_words(inst.kind)
                    ),
                ));
                continue;
            }
            let cutoff = rule.issued_on_or_after.date();
            let Some(issued) = inst.issue_date else {
                self.review.push(format!("{who}; the issue date of {name}{isin} is not stated: {} covers debt issued on or after {cutoff}.", m.title));
                self.measures.push(self.finding(
                    prog,
                    m,
                    false,
                    &subject,
                    format!("{who}; issue date not stated"),
                ));
                continue;
            };
            if issued < cutoff {
                if let Some(t) = inst.terms_agreed_date
                    && t >= cutoff
                {
                    let cause = format!(
                        "{who}; {name}{isin} was issued on {issued}, but its terms were agreed or modified on {t}, on or after {cutoff}: {}",
                        rule.terms_agreed_rule.clone().unwrap_or_default()
                    );
                    self.measures
                        .push(self.finding(prog, m, true, &subject, cause.clone()));
                    self.prohibition(
                        prog,
                        m,
                        subject,
                        Some(i),
                        Some((target_id, target_name)),
                        cause,
                    );
                    continue;
                }
                let terms = match (&rule.terms_agreed_rule, inst.terms_agreed_date) {
                    (Some(r), Some(t)) => {
                        format!("; its terms were agreed on {t} and not modified since ({r})")
                    }
                    (Some(r), None) => {
                        format!("; provided its terms are not modified on or after {cutoff} ({r})")
                    }
                    (None, _) => String::new(),
                };
                self.measures.push(self.finding(
                    prog,
                    m,
                    false,
                    &subject,
                    format!("{who}; {name}{isin} was issued on {issued}, before {cutoff}: it is not new debt{terms}"),
                ));
                continue;
            }
            let Some(tenor) = inst.tenor_days() else {
                self.review.push(format!(
                    "{who}; {name}{isin} was issued on {issued}, on or after {cutoff}, but its maturity is not stated: {} covers maturities over {} days.",
                    m.title, rule.maturity_over_days
                ));
                self.measures.push(self.finding(
                    prog,
                    m,
                    false,
                    &subject,
                    format!("{who}; maturity not stated"),
                ));
                continue;
            };
            if tenor <= rule.maturity_over_days {
                self.measures.push(self.finding(
                    prog,
                    m,
                    false,
                    &subject,
                    format!(
                        "{who}; {name}{isin} was issued on {issued} with a maturity of {tenor} days, not over {} days",
                        rule.maturity_over_days
                    ),
                ));
                continue;
            }
            let side = match order.side {
                interdict_dealings::Side::Buy => "buying",
                interdict_dealings::Side::Sell => "selling",
            };
            let cause = format!(
                "{who}; {name}{isin} is new debt: issued on {issued}, on or after {cutoff}, with a maturity of {tenor} days (over {}); {side} it is a dealing in it",
                rule.maturity_over_days
            );
            self.measures
                .push(self.finding(prog, m, true, &subject, cause.clone()));
            self.prohibition(
                prog,
                m,
                subject,
                Some(i),
                Some((target_id, target_name)),
                cause,
            );
        }
    }

    /// Whether the ownership data shows party `i` owned by the measure's named targets (for
    /// a measure that does not extend by ownership: said, not applied).
    fn owned_by_targets(&self, prog: &LoadedProgramme, m: &Measure, i: usize) -> Option<String> {
        let od = self.input.ownership?;
        let oj = self.ownership_jurisdiction()?;
        let node = self.nodes.get(i).cloned().flatten()?;
        let mut set = own::ListedSet::new();
        for t in &m.targets.named {
            let Some(target) = prog.file.targets.iter().find(|x| &x.id == t) else {
                continue;
            };
            if let Some(tn) = self.resolve_names(od, &target.names) {
                set.add(own::Listing::new(tn, oj, m.id.clone()));
            }
        }
        if set.is_empty() {
            return None;
        }
        let proof = own::explain(
            &od.graph,
            &set,
            &own::Scope::new(oj, self.day_in(self.zone)),
            &node,
        )
        .ok()?;
        if !matches!(proof.status, own::Status::Owned | own::Status::Controlled) {
            return None;
        }
        Some(format!(
            "according to the ownership data ({}) it is {}",
            od.basis.source,
            owned_phrase(&proof, &node)?
        ))
    }

    fn insurance(&mut self, prog: &LoadedProgramme, m: &Measure) {
        let dealing = self.input.dealing;
        let Some(rule) = &m.purposes else { return };
        let Some(purpose) = &dealing.purpose else {
            return;
        };
        let code_hit = purpose
            .code
            .as_ref()
            .is_some_and(|c| rule.codes.iter().any(|x| x.eq_ignore_ascii_case(c)));
        let cat_hit = purpose
            .category
            .is_some_and(|c| rule.categories.contains(&c));
        if !code_hit && !cat_hit {
            return;
        }
        for (i, p) in dealing.parties.iter().enumerate() {
            let Some((id, name, score, _, why)) = self
                .target_hits(prog, m, p)
                .into_iter()
                .find(|t| t.3 == Grade::Confirmed)
            else {
                continue;
            };
            let subject = party_subject(p);
            let cause = format!(
                "{subject} matches {name} (score {score:.2}: {why}), a party the measure names, and the purpose is insurance ({})",
                purpose.code.clone().unwrap_or_default()
            );
            if !self.in_force_or_note(prog, m, &subject, &cause) {
                continue;
            }
            self.measures
                .push(self.finding(prog, m, true, &subject, cause.clone()));
            self.prohibition(prog, m, subject, Some(i), Some((id, name)), cause);
        }
    }

    /// (5) Licences for every concern.
    fn licences(&mut self) {
        let mut concerns = std::mem::take(&mut self.concerns);
        for c in &mut concerns {
            let general: Vec<(&LoadedProgramme, &GeneralLicence)> = self
                .engine
                .programmes
                .licences()
                .filter(|(from, l)| self.relieves(from, l, c))
                .collect();
            for (from, l) in general {
                let f = self.general_licence(from, l, c);
                if f.applies {
                    c.covered_by.push(l.number.clone());
                    if let Some(ob) = self.licence_reporting(l, from) {
                        c.reporting.push(ob);
                    }
                } else {
                    c.not_covered.push(format!("{}: {}", l.number, f.why));
                }
                self.licences.push(f);
            }
            for sl in self.input.licences {
                if sl.jurisdiction != self.j {
                    continue;
                }
                if !sl.programmes.is_empty() && !sl.programmes.contains(&c.programme) {
                    continue;
                }
                let f = self.specific_licence(sl, c);
                let Some(f) = f else { continue };
                if f.applies {
                    c.covered_by.push(sl.number.clone());
                } else {
                    c.not_covered.push(format!("{}: {}", sl.number, f.why));
                }
                self.licences.push(f);
            }
        }
        self.concerns = concerns;
    }

    /// Whether a general licence could relieve a concern: it relieves the programme and the
    /// measure, and names the party (or covers any party).
    fn relieves(&self, from: &LoadedProgramme, l: &GeneralLicence, c: &Concern) -> bool {
        // A licence keyed on purposes concerns only dealings stating one of them.
        if l.authorises == Authorises::Purposes {
            let purpose = self.input.dealing.purpose.as_ref().and_then(|p| p.category);
            if !purpose.is_some_and(|p| l.purposes.contains(&p)) {
                return false;
            }
        }
        let progs = self.engine.programmes.relieved_by(from, l);
        if !progs.contains(&c.programme.as_str()) {
            return false;
        }
        let measure_ok = if l.measures.is_empty() {
            c.kind == MeasureKind::Blocking
        } else {
            l.measures.iter().any(|m| match m.split_once('/') {
                Some((p, id)) => p == c.programme && id == c.measure,
                None => from.id() == c.programme && m == &c.measure,
            })
        };
        if !measure_ok {
            return false;
        }
        if l.any_party {
            return true;
        }
        let mut ids: Vec<&str> = c.owners.iter().map(String::as_str).collect();
        if let Some(x) = &c.listed {
            ids.push(x);
        }
        l.parties
            .iter()
            .chain(&l.indirect_only)
            .any(|p| ids.contains(&p.id.as_str()))
    }

    fn validity(&self, from: &LoadedProgramme, l: &GeneralLicence) -> Result<String, String> {
        let at = self.at();
        let zone = from.zone;
        let when = human_instant(at);
        if !l.from.started_by(at, zone) {
            return Err(format!(
                "not yet in force: valid from {} (the dealing is at {when})",
                l.from.human()
            ));
        }
        if let Some(r) = &l.revoked
            && r.at.started_by(at, zone)
        {
            let by =
                r.by.as_ref()
                    .and_then(|b| self.engine.programmes.licence(b))
                    .map(|(_, x)| format!(" and replaced by {}", x.number))
                    .unwrap_or_default();
            return Err(format!(
                "revoked on {}{by} (the dealing is at {when})",
                r.at.human()
            ));
        }
        if let Some(u) = &l.until
            && !u.not_passed_at(at, zone)
        {
            return Err(format!(
                "expired: valid through {} (the dealing is at {when})",
                u.human()
            ));
        }
        Ok(match &l.until {
            Some(u) => format!("in force from {} through {}", l.from.human(), u.human()),
            None => format!("in force since {} with no expiry", l.from.human()),
        })
    }

    fn general_licence(
        &self,
        from: &LoadedProgramme,
        l: &GeneralLicence,
        c: &Concern,
    ) -> LicenceFinding {
        let mut f = LicenceFinding {
            number: l.number.clone(),
            kind: "general".into(),
            id: l.id.clone(),
            citation: l.citation.clone(),
            for_measure: format!("{}/{}", c.programme, c.measure),
            subject: c.subject.clone(),
            applies: false,
            why: String::new(),
            exclusions: l.exclusions.iter().map(|e| e.text.clone()).collect(),
            verify: l.verify.then(|| {
                l.verify_note
                    .clone()
                    .unwrap_or_else(|| "unconfirmed".into())
            }),
        };
        let valid = match self.validity(from, l) {
            Ok(v) => v,
            Err(why) => {
                f.why = why;
                return f;
            }
        };
        // Scope.
        let scope = match self.licence_scope(l, c) {
            Ok(s) => s,
            Err(why) => {
                f.why = format!("{valid}, but {why}");
                return f;
            }
        };
        // Kind of dealing.
        let dealing = self.input.dealing;
        let kind = match l.authorises {
            Authorises::All => {
                Ok("it authorises all transactions otherwise prohibited".to_string())
            }
            Authorises::WindDown => {
                let Some(w) = &l.wind_down else {
                    f.why = format!("{valid}; {scope}; but its wind-down rule is missing");
                    return f;
                };
                wind_down(dealing, w)
            }
            Authorises::Administrative => match &l.administrative {
                None => Err("its administrative limit is missing".into()),
                Some(a) => {
                    let purpose = dealing.purpose.as_ref().and_then(|p| p.category);
                    match purpose {
                        Some(pc) if a.purposes.contains(&pc) => {
                            match (&dealing.amount, a.max_amount.parse::<Amount>()) {
                                (Some(m), Ok(max)) if m.currency.as_str() == a.currency => {
                                    if m.value <= max {
                                        Ok(format!(
                                            "an administrative dealing of {} within the limit of {} per {}",
                                            fmt_money(&m.value, m.currency.as_str()),
                                            fmt_money(&max, &a.currency),
                                            a.per
                                        ))
                                    } else {
                                        Err(format!(
                                            "{} exceeds its limit of {} per {}",
                                            fmt_money(&m.value, m.currency.as_str()),
                                            fmt_money(&max, &a.currency),
                                            a.per
                                        ))
                                    }
                                }
                                (Some(m), _) => Err(format!(
                                    "the amount is in {}, its limit in {}: no exchange rate is applied",
                                    m.currency.as_str(),
                                    a.currency
                                )),
                                (None, _) => {
                                    Err("the dealing states no amount to hold against its limit"
                                        .into())
                                }
                            }
                        }
                        _ => Err(format!(
                            "it authorises only administrative dealings ({}); the dealing's purpose is {}",
                            a.purposes.iter().map(snake).collect::<Vec<_>>().join(", "),
                            purpose
                                .map(|p| snake(&p))
                                .unwrap_or_else(|| "not stated".into())
                        )),
                    }
                }
            },
            Authorises::Purposes => {
                let purpose = dealing.purpose.as_ref().and_then(|p| p.category);
                match purpose {
                    Some(pc) if l.purposes.contains(&pc) => Ok(format!(
                        "the dealing's stated purpose, {}, is one it authorises",
                        snake(&pc)
                    )),
                    _ => Err(format!(
                        "it authorises only dealings for {}; the dealing's purpose is {}",
                        l.purposes.iter().map(snake).collect::<Vec<_>>().join(", "),
                        purpose
                            .map(|p| snake(&p))
                            .unwrap_or_else(|| "not stated".into())
                    )),
                }
            }
        };
        match kind {
            Ok(k) => {
                f.applies = true;
                f.why = format!("{valid}; {scope}; {k}");
            }
            Err(why) => f.why = format!("{valid}; {scope}; but {why}"),
        }
        f
    }

    /// Whether a licence's parties cover the concern's subject.
    fn licence_scope(&self, l: &GeneralLicence, c: &Concern) -> Result<String, String> {
        if l.any_party {
            return Ok("it covers any blocked person of the programmes it relieves".into());
        }
        let listed = c.listed.as_deref();
        if let Some(id) = listed {
            if let Some(p) = l.parties.iter().find(|p| p.id == id) {
                return Ok(format!("it names {} ({})", p.name, p.id));
            }
            if let Some(p) = l.indirect_only.iter().find(|p| p.id == id) {
                return match c.role {
                    Some(r) if !is_direct(r) => Ok(format!(
                        "it covers {}'s interest as {} (not a direct party)",
                        p.name,
                        role_name(r)
                    )),
                    Some(r) => Err(format!(
                        "it does not authorise direct dealings with {} ({} here)",
                        p.name,
                        role_name(r)
                    )),
                    None => Err(format!("it covers {} only as an indirect party", p.name)),
                };
            }
        }
        if l.owned_50
            && let (Some(node), Some(od), Some(oj)) =
                (&c.node, self.input.ownership, self.ownership_jurisdiction())
        {
            let set: own::ListedSet = l
                .parties
                .iter()
                .map(|p| own::Listing::new(p.id.clone(), oj, l.id.clone()))
                .collect();
            let scope = own::Scope::new(oj, self.day_in(self.zone));
            if let Ok(proof) = own::explain(&od.graph, &set, &scope, node)
                && matches!(proof.status, own::Status::Owned)
            {
                let name = proof.entity.label().to_string();
                let owned = owned_phrase(&proof, node).unwrap_or_else(|| proof.sentence.clone());
                return Ok(format!(
                    "it covers entities owned 50 % or more, individually or in aggregate, by its parties, and {name} is {owned}"
                ));
            }
        }
        let who = c
            .listed_caption
            .clone()
            .unwrap_or_else(|| c.subject.clone());
        let names: Vec<&str> = l.parties.iter().map(|p| p.name.as_str()).collect();
        Err(format!(
            "it does not cover {who}: it names {}{}",
            summarise(&names),
            if l.owned_50 {
                " and entities owned 50 % or more by them"
            } else {
                ""
            }
        ))
    }

    fn licence_reporting(&self, l: &GeneralLicence, from: &LoadedProgramme) -> Option<Obligation> {
        let r = l.reporting.as_ref()?;
        let above: Amount = r.above.parse().ok()?;
        let due = self.day_in(from.zone) + chrono::Duration::days(i64::from(r.within_days));
        let threshold = fmt_money(&above, &r.currency);
        let dealing = self.input.dealing;
        match &dealing.amount {
            Some(m) if m.currency.as_str() == r.currency => {
                if m.value > above {
                    Some(Obligation {
                        kind: format!("licence report under {}", l.number),
                        to: r.to.clone(),
                        citation: l.citation.clone(),
                        due: Some(due),
                        when: format!("within {} days", r.within_days),
                        why: format!(
                            "the {} of {} exceeds {threshold}",
                            kind_name(dealing.kind),
                            fmt_money(&m.value, m.currency.as_str())
                        ),
                    })
                } else {
                    None
                }
            }
            Some(m) => Some(Obligation {
                kind: format!("licence report under {}", l.number),
                to: r.to.clone(),
                citation: l.citation.clone(),
                due: Some(due),
                when: format!(
                    "within {} days, if the value exceeds {threshold}",
                    r.within_days
                ),
                why: format!(
                    "the {} is in {} ({}); no exchange rate is applied, so check it against {threshold}",
                    kind_name(dealing.kind),
                    m.currency.as_str(),
                    fmt_money(&m.value, m.currency.as_str())
                ),
            }),
            None => Some(Obligation {
                kind: format!("licence report under {}", l.number),
                to: r.to.clone(),
                citation: l.citation.clone(),
                due: Some(due),
                when: format!(
                    "within {} days, if the value exceeds {threshold}",
                    r.within_days
                ),
                why: "the dealing states no amount".into(),
            }),
        }
    }

    fn specific_licence(&self, sl: &SpecificLicence, c: &Concern) -> Option<LicenceFinding> {
        let dealing = self.input.dealing;
        let norm = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        // Is the concern's party one the licence names?
        let subject_names: Vec<String> = c
            .party
            .map(|i| dealing.parties[i].names.clone())
            .unwrap_or_default();
        let named = sl.parties.iter().any(|p| {
            Some(p.as_str()) == c.listed.as_deref()
                || Some(p.as_str()) == c.node.as_deref()
                || c.owners.contains(p)
                || c.listed_caption
                    .as_deref()
                    .is_some_and(|n| norm(n) == norm(p))
                || subject_names.iter().any(|n| norm(n) == norm(p))
        });
        let holder = dealing
            .parties
            .iter()
            .find(|p| p.names.iter().any(|n| norm(n) == norm(&sl.holder)));
        if !named && holder.is_none() {
            return None; // unrelated: recorded in the basis, not listed as considered
        }
        let mut f = LicenceFinding {
            number: sl.number.clone(),
            kind: "specific".into(),
            id: sl.id.map(|i| i.to_string()).unwrap_or_default(),
            citation: format!("specific licence {} issued to {}", sl.number, sl.holder),
            for_measure: format!("{}/{}", c.programme, c.measure),
            subject: c.subject.clone(),
            applies: false,
            why: String::new(),
            exclusions: sl.conditions.clone(),
            verify: None,
        };
        let at = self.at();
        let when = human_instant(at);
        if !sl.valid_from.started_by(at, self.zone) {
            f.why = format!(
                "not yet valid: valid from {} (the dealing is at {when})",
                sl.valid_from.human()
            );
            return Some(f);
        }
        if let Some(u) = &sl.valid_until
            && !u.not_passed_at(at, self.zone)
        {
            f.why = format!(
                "expired: valid through {} (the dealing is at {when})",
                u.human()
            );
            return Some(f);
        }
        if let Some(r) = sl.revoked_at
            && at.utc() >= r
        {
            f.why = format!(
                "revoked at {}{}",
                r.format("%Y-%m-%d %H:%M UTC"),
                sl.revocation_reason
                    .as_ref()
                    .map(|x| format!(" ({x})"))
                    .unwrap_or_default()
            );
            return Some(f);
        }
        let Some(holder) = holder else {
            f.why = format!("no party of the dealing is its holder, {}", sl.holder);
            return Some(f);
        };
        if !named {
            f.why = format!(
                "it does not name {}",
                c.listed_caption
                    .clone()
                    .unwrap_or_else(|| c.subject.clone())
            );
            return Some(f);
        }
        if let Some((cap, cur)) = sl.cap() {
            match &dealing.amount {
                Some(m) if m.currency == cur => {
                    if m.value > cap {
                        f.why = format!(
                            "{} exceeds its cap of {}",
                            fmt_money(&m.value, m.currency.as_str()),
                            fmt_money(&cap, cur.as_str())
                        );
                        return Some(f);
                    }
                }
                Some(m) => {
                    f.why = format!(
                        "the amount is in {}, its cap in {}: no exchange rate is applied",
                        m.currency.as_str(),
                        cur.as_str()
                    );
                    return Some(f);
                }
                None => {
                    f.why = "the dealing states no amount to hold against its cap".into();
                    return Some(f);
                }
            }
        }
        f.applies = true;
        f.why = format!(
            "valid from {}{}; held by {} ({}); it names {}{}",
            sl.valid_from.human(),
            sl.valid_until
                .as_ref()
                .map(|u| format!(" through {}", u.human()))
                .unwrap_or_default(),
            sl.holder,
            role_name(holder.role),
            c.listed_caption
                .clone()
                .unwrap_or_else(|| c.subject.clone()),
            sl.cap()
                .map(|(a, cu)| format!("; within its cap of {}", fmt_money(&a, cu.as_str())))
                .unwrap_or_default()
        );
        Some(f)
    }

    /// (6) and (7): outcome, obligations, reasons, headline.
    fn finish(self) -> Decision {
        let Run {
            engine,
            input,
            j,
            parties,
            texts,
            concerns,
            measures,
            licences,
            ownership,
            mut review,
            mut caveats,
            notes,
            ..
        } = self;
        let dealing = input.dealing;
        let blocked: Vec<&Concern> = concerns
            .iter()
            .filter(|c| c.effect == Effect::Block && c.covered_by.is_empty())
            .collect();
        let rejected: Vec<&Concern> = concerns
            .iter()
            .filter(|c| c.effect == Effect::Reject && c.covered_by.is_empty())
            .collect();
        let licensed: Vec<&Concern> = concerns
            .iter()
            .filter(|c| !c.covered_by.is_empty())
            .collect();
        let outcome = if !blocked.is_empty() {
            Outcome::Block
        } else if !rejected.is_empty() {
            Outcome::Reject
        } else if !review.is_empty() {
            Outcome::Review
        } else if !licensed.is_empty() {
            Outcome::AllowUnderLicence
        } else {
            Outcome::Allow
        };

        // Obligations.
        let mut obligations: Vec<Obligation> = Vec::new();
        let mut push = |o: Obligation| {
            if !obligations
                .iter()
                .any(|x| x.kind == o.kind && x.to == o.to && x.citation == o.citation)
            {
                obligations.push(o);
            }
        };
        let report_of = |c: &Concern, r: &ReportRule| -> Obligation {
            let local = dealing.as_of.in_zone(c.zone).date_naive();
            let (due, when) = match (r.within_business_days, r.within_days, &r.when) {
                (Some(n), _, _) => (
                    Some(add_us_business_days(local, n)),
                    format!("within {n} business days"),
                ),
                (None, Some(n), _) => (
                    Some(local + chrono::Duration::days(i64::from(n))),
                    format!("within {n} days"),
                ),
                (None, None, Some(w)) => (None, w.clone()),
                (None, None, None) => (None, "as the law requires".into()),
            };
            Obligation {
                kind: r.kind.clone(),
                to: r.to.clone(),
                citation: if r.verify {
                    format!("{} (verify)", r.citation)
                } else {
                    r.citation.clone()
                },
                due,
                when,
                why: format!("{} applies to {}", c.measure_title, c.subject),
            }
        };
        match outcome {
            Outcome::Block => {
                for c in &blocked {
                    if let Some(r) = &c.report {
                        push(report_of(c, r));
                    }
                }
            }
            Outcome::Reject => {
                for c in &rejected {
                    if let Some(r) = &c.report {
                        push(report_of(c, r));
                    }
                }
            }
            Outcome::AllowUnderLicence => {
                for c in &licensed {
                    for o in &c.reporting {
                        push(o.clone());
                    }
                }
            }
            _ => {}
        }

        // Reasons.
        let mut reasons = Vec::new();
        for c in &concerns {
            let mut r = format!(
                "{}. {} ({}) applies",
                capitalise(&c.cause),
                c.measure_title,
                c.citation
            );
            if !c.covered_by.is_empty() {
                r.push_str(&format!("; authorised by {}", c.covered_by.join(" and ")));
            } else if c.not_covered.is_empty() {
                r.push_str("; no licence relieves it");
            } else {
                r.push_str(&format!(
                    "; no licence authorises the {}: {}",
                    kind_name(dealing.kind),
                    c.not_covered.join("; ")
                ));
            }
            r.push('.');
            reasons.push(r);
        }
        for m in measures.iter().filter(|m| !m.applies) {
            if matches!(
                m.kind,
                MeasureKind::DebtProhibition
                    | MeasureKind::ImportBan
                    | MeasureKind::ExportBan
                    | MeasureKind::AssistanceBan
                    | MeasureKind::TravelBan
            ) || m.why.contains("not yet in force")
                || m.why.contains("travel application")
            {
                reasons.push(format!(
                    "{} ({}) does not apply: {}.",
                    m.title, m.citation, m.why
                ));
            }
        }
        if concerns.is_empty() {
            let confirmed_any = parties
                .iter()
                .chain(&texts)
                .flat_map(|p| &p.hits)
                .any(|h| h.grade == Grade::Confirmed && !h.listed_under.is_empty());
            if !confirmed_any {
                let s = engine.programmes.settings();
                reasons.push(format!(
                    "No party, agent, account or text of the {} matches a party listed under a programme of the {j} perspective at or above the decision line ({:.2}).",
                    kind_name(dealing.kind),
                    s.decision_line
                ));
            }
        }
        if !review.is_empty() && outcome == Outcome::Review {
            reasons.push(format!(
                "{} point(s) need an analyst before the {} can proceed (see \"For review\").",
                review.len(),
                kind_name(dealing.kind)
            ));
        }
        for n in &notes {
            reasons.push(n.clone());
        }
        // Caveats from unconfirmed facts relied on.
        for m in measures
            .iter()
            .filter(|m| m.applies || !matches!(m.kind, MeasureKind::Blocking))
        {
            if let Some(v) = &m.verify {
                let c = format!("{} rests on an unconfirmed fact (verify): {v}.", m.title);
                if !caveats.contains(&c) {
                    caveats.push(c);
                }
            }
        }
        for l in licences.iter().filter(|l| l.applies) {
            if let Some(v) = &l.verify {
                let c = format!("{} rests on an unconfirmed fact (verify): {v}.", l.number);
                if !caveats.contains(&c) {
                    caveats.push(c);
                }
            }
        }
        review.dedup();

        // Headline.
        let when = human_instant(&dealing.as_of);
        let what = kind_name(dealing.kind);
        let headline = match outcome {
            Outcome::Block => {
                let c = blocked[0];
                let reports = obligations
                    .iter()
                    .map(|o| {
                        format!(
                            "report the blocked property to {}{}",
                            o.to,
                            o.due
                                .map(|d| format!(" by {d}"))
                                .unwrap_or_else(|| format!(" {}", o.when))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                format!(
                    "Block the {what}: {} ({}), and no licence authorises it at {when}.{}",
                    c.cause,
                    c.measure_title.to_lowercase(),
                    if reports.is_empty() {
                        String::new()
                    } else {
                        format!(" Freeze the funds and {reports}.")
                    }
                )
            }
            Outcome::Reject => {
                let c = rejected[0];
                let refuse = if dealing.kind == DealingKind::TravelApplication {
                    "Refuse the application"
                } else {
                    "Reject the"
                };
                let target = if dealing.kind == DealingKind::TravelApplication {
                    String::new()
                } else {
                    format!(" {what}")
                };
                format!(
                    "{refuse}{target}: {} — {} ({}) prohibits it and no licence authorises it; there is nothing to block.",
                    c.cause, c.measure_title, c.citation
                )
            }
            Outcome::Review => format!(
                "Hold the {what} for review: {}",
                review.first().cloned().unwrap_or_default()
            ),
            Outcome::AllowUnderLicence => {
                let c = licensed[0];
                let reports = obligations
                    .iter()
                    .map(|o| {
                        format!(
                            " Report it to {}{} ({}).",
                            o.to,
                            o.due.map(|d| format!(" by {d}")).unwrap_or_default(),
                            o.why
                        )
                    })
                    .collect::<String>();
                let no_report = if obligations.is_empty() {
                    " No report is due under the licence."
                } else {
                    ""
                };
                format!(
                    "Allowed under {}: {}, but {} authorises the {what} at {when}.{reports}{no_report}",
                    c.covered_by.join(" and "),
                    c.cause,
                    c.covered_by.join(" and ")
                )
            }
            Outcome::Allow => {
                let mut s = format!(
                    "Allow the {what}: no measure of the {j} perspective applies at {when}."
                );
                if let Some(m) = measures
                    .iter()
                    .find(|m| !m.applies && m.kind != MeasureKind::Blocking)
                {
                    s.push_str(&format!(" {}: {}.", m.title, m.why));
                }
                s
            }
        };
        let mut all_parties = parties;
        all_parties.extend(texts);
        let specific: Vec<SpecificLicence> = input
            .licences
            .iter()
            .filter(|l| l.jurisdiction == j)
            .cloned()
            .collect();
        Decision {
            outcome,
            headline,
            reference: dealing.reference.clone(),
            kind: dealing.kind,
            perspective: j,
            input_notes: input.input_notes.to_vec(),
            as_of: dealing.as_of.to_string(),
            reasons,
            parties: all_parties,
            ownership,
            measures,
            licences,
            obligations,
            review,
            caveats,
            basis: Basis {
                lists: input.lists.versions.to_vec(),
                programmes: engine.programmes.files().to_vec(),
                specific_licences: specific,
                ownership: input.ownership.map(|o| o.basis.clone()),
                screening: engine.programmes.settings().clone(),
                engine: format!("interdict-rules {}", env!("CARGO_PKG_VERSION")),
            },
            dealing: dealing.clone(),
        }
    }
}

/// `owned 55 % by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %`: the step of a proof that
/// concerns `node`, in words.
fn owned_phrase(proof: &own::Proof, node: &str) -> Option<String> {
    let step = proof.steps.iter().find(|s| s.entity.id == node)?;
    let owners: Vec<String> = step
        .owners
        .iter()
        .filter(|o| o.counted != own::Counted::No)
        .map(|o| format!("{} {}", o.owner.label(), o.share))
        .collect();
    if owners.is_empty() {
        return None;
    }
    Some(format!("owned {} by {}", step.total, owners.join(" and ")))
}

/// The wind-down test: a contract concluded before the licence's date.
fn wind_down(dealing: &Dealing, w: &crate::programme::WindDown) -> Result<String, String> {
    let before = w.contracts_before.date();
    match (dealing.contract_date, dealing.pre_existing_contract) {
        (Some(d), _) if d < before => Ok(format!(
            "it authorises wind-down only, and the {} performs a contract of {d}, concluded before {before} ({})",
            kind_name(dealing.kind),
            w.reading
        )),
        (Some(d), _) => Err(format!(
            "it authorises wind-down only, and the contract of {d} was concluded on or after {before}: a new contract is not wind-down ({})",
            w.reading
        )),
        (None, Some(true)) => Ok(format!(
            "it authorises wind-down only, and the dealing states it performs a pre-existing contract (no date given; {})",
            w.reading
        )),
        (None, Some(false)) => Err(format!(
            "it authorises wind-down only, and the dealing states a new contract ({})",
            w.reading
        )),
        (None, None) => Err(format!(
            "it authorises wind-down only, and the dealing does not say whether it performs a contract concluded before {before}"
        )),
    }
}

/// `goods line 2 (code 3104 20 10, potassium chloride)`: the n-th (from 0) line of a declaration
/// as a decision names it.
fn goods_subject(n: usize, line: &GoodsLine) -> String {
    let code = line
        .code
        .as_ref()
        .map(|c| spaced(c.digits()))
        .unwrap_or_default();
    format!("goods line {} (code {}, {})", n + 1, code, line.description)
}

/// `3104 20 10`: a goods code as tariffs print it (heading, then pairs of digits).
fn spaced(digits: &str) -> String {
    let mut out = digits.get(..4).unwrap_or(digits).to_string();
    let mut rest = digits.get(4..).unwrap_or("");
    while !rest.is_empty() {
        let (pair, tail) = rest.split_at(rest.len().min(2));
        out.push(' ');
        out.push_str(pair);
        rest = tail;
    }
    out
}

fn kind_words(k: InstrumentKind) -> &'static str {
    match k {
        InstrumentKind::Bond => "a bond",
        InstrumentKind::Note => "a note",
        InstrumentKind::Loan => "a loan",
        InstrumentKind::CommercialPaper => "commercial paper",
        InstrumentKind::CertificateOfDeposit => "a certificate of deposit",
        InstrumentKind::MoneyMarket => "a money-market instrument",
        InstrumentKind::Equity => "equity",
        InstrumentKind::Derivative => "a derivative",
        InstrumentKind::Fund => "a fund unit",
        InstrumentKind::Other => "an instrument of another kind",
    }
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn summarise(names: &[&str]) -> String {
    match names.len() {
        0 => "no party".into(),
        1..=3 => names.join(", "),
        n => format!("{}, {} and {} others", names[0], names[1], n - 2),
    }
}
