//! The decision: its outcome, every reason behind it, and the versions it was taken against,
//! in a shape that serialises to JSON (API, `--json`, replay) and reads as text the way a
//! compliance officer writes a decision memo.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use interdict_dealings::{Dealing, DealingKind, PartyRole};
use interdict_ownership::Proof;
use serde::{Deserialize, Serialize};

use crate::licence::SpecificLicence;
use crate::load::FileVersion;
use crate::programme::{Jurisdiction, MeasureKind, ScreeningSettings};
use crate::view::{ListBasis, OwnershipBasis};

/// What the dealing may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// No measure applies.
    Allow,
    /// A measure applies but a licence authorises the dealing; its reporting duty follows.
    AllowUnderLicence,
    /// A blocked person has an interest and no licence covers it: block (freeze) and report.
    Block,
    /// The dealing is prohibited and there is nothing to block (new sovereign debt, a banned
    /// import, a travel ban): reject it.
    Reject,
    /// A match, an ownership or a fact too uncertain to decide: an analyst must review.
    Review,
}

impl Outcome {
    /// `ALLOW_UNDER_LICENCE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "ALLOW",
            Outcome::AllowUnderLicence => "ALLOW_UNDER_LICENCE",
            Outcome::Block => "BLOCK",
            Outcome::Reject => "REJECT",
            Outcome::Review => "REVIEW",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a match is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// At or above the decision line (or an exact BIC or identifier): taken to be the listed
    /// party.
    Confirmed,
    /// In the review band: too uncertain to decide.
    Review,
    /// Below the review line: shown, not acted on.
    Below,
}

/// How a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The party's name(s), with its other attributes.
    Name,
    /// The party's BIC equal to a listed SWIFT/BIC code.
    Bic,
    /// An identifier or account equal to a listed one.
    Identifier,
    /// Words of a free text.
    Text,
    /// A party named by a measure itself (Directive 1's issuers).
    NamedTarget,
}

/// The programme a listed entity falls under, by its list tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedUnder {
    /// The dataset it is listed in.
    pub dataset: String,
    /// The list tag (`BELARUS`).
    pub tag: String,
    /// The programme id.
    pub programme: String,
    /// The instrument (short name).
    pub instrument: String,
}

/// One match of a party or text against a listed entity or a named target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The entity id (`ofac-12860`) or target id (`us-belarus/belarus-mof`).
    pub entity_id: String,
    /// Its name.
    pub caption: String,
    /// The datasets it is in.
    pub datasets: Vec<String>,
    /// The score in [0, 1].
    pub score: f64,
    /// How much it is trusted.
    pub grade: Grade,
    /// How it was found.
    pub via: Via,
    /// What met what (the name alignment, the identifier).
    pub explanation: String,
    /// The features of the score, in yente's shape (feature → detail and score).
    #[serde(default)]
    pub features: BTreeMap<String, FeatureNote>,
    /// The programmes of the perspective it is listed under.
    #[serde(default)]
    pub listed_under: Vec<ListedUnder>,
}

/// One feature of a match score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureNote {
    /// What fired.
    pub detail: Option<String>,
    /// Its value.
    pub score: f64,
}

/// A party (or free text) of the dealing and what screening found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyFinding {
    /// `creditor NAFTAN OAO`, `remittance text`.
    pub subject: String,
    /// The party's role, for a party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<PartyRole>,
    /// The input field it was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What was screened (`name`, `BIC BLBBBY2X`, `IBAN …`, `address`, `country by`).
    pub screened: Vec<String>,
    /// Matches, best first.
    pub hits: Vec<Hit>,
    /// Notes (country of a programme, matches in lists of other jurisdictions).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// What the ownership data says about a party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnershipFinding {
    /// The party (`creditor NOVOPOLOTSK REFINERY LOGISTICS OOO`).
    pub subject: String,
    /// Its id in the ownership data.
    pub entity: String,
    /// The status in words (`blocked by ownership`).
    pub status: String,
    /// The proof in one sentence.
    pub sentence: String,
    /// The whole proof: paths, percentages, aggregation, rule.
    pub proof: Proof,
}

/// A measure considered, and whether it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureFinding {
    /// The programme id.
    pub programme: String,
    /// The measure id.
    pub measure: String,
    /// Its title.
    pub title: String,
    /// What it does.
    pub kind: MeasureKind,
    /// The legal citation.
    pub citation: String,
    /// Whether it applies to the dealing.
    pub applies: bool,
    /// To what (`creditor NAFTAN OAO`, `goods line 1 (CN 3104 20)`).
    pub subject: String,
    /// Why it applies or not.
    pub why: String,
    /// What the measure prohibits, when it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prohibits: Option<String>,
    /// What is unconfirmed, if the measure rests on a "(verify)" fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<String>,
}

/// A licence considered for a measure, and whether it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LicenceFinding {
    /// `GL 2H` or the specific licence's number.
    pub number: String,
    /// `general` or `specific`.
    pub kind: String,
    /// The licence id (`gl-2h`) or store id.
    pub id: String,
    /// The citation.
    pub citation: String,
    /// The measure (`us-belarus/blocking`) and subject it was considered for.
    pub for_measure: String,
    /// The subject (`creditor NAFTAN OAO`).
    pub subject: String,
    /// Whether it authorises the dealing for that subject.
    pub applies: bool,
    /// Why, or why not.
    pub why: String,
    /// Its exclusions (printed as reminders when it applies).
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// What is unconfirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<String>,
}

/// A duty that follows from the decision: a report, with its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Obligation {
    /// What is reported (`blocked property`, `licence report`).
    pub kind: String,
    /// To whom.
    pub to: String,
    /// The provision.
    pub citation: String,
    /// The deadline, when it is a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The deadline in words (`within 10 business days`, `without delay`).
    pub when: String,
    /// Why it is owed.
    pub why: String,
}

/// What the decision was taken against, so that it can be replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    /// The list versions used.
    pub lists: Vec<ListBasis>,
    /// The programme files (and settings file) with their versions and hashes.
    pub programmes: Vec<FileVersion>,
    /// The specific licences of the perspective on record at the time (all considered).
    pub specific_licences: Vec<SpecificLicence>,
    /// The ownership data used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<OwnershipBasis>,
    /// The screening settings.
    pub screening: ScreeningSettings,
    /// The engine version.
    pub engine: String,
}

/// A decision about one dealing, from one perspective, as of its date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The outcome.
    pub outcome: Outcome,
    /// The decision in one sentence.
    pub headline: String,
    /// The dealing's reference.
    pub reference: String,
    /// What kind of dealing.
    pub kind: DealingKind,
    /// Whose law was applied.
    pub perspective: Jurisdiction,
    /// Where the perspective and the as-of time came from, when not from the dealing.
    #[serde(default)]
    pub input_notes: Vec<String>,
    /// The as-of date-time with its zone (`2021-06-03T00:02:00-04:00[America/New_York]`).
    pub as_of: String,
    /// The reasons, in order, as sentences.
    pub reasons: Vec<String>,
    /// Every party and text screened.
    pub parties: Vec<PartyFinding>,
    /// Ownership findings.
    #[serde(default)]
    pub ownership: Vec<OwnershipFinding>,
    /// Every measure considered.
    pub measures: Vec<MeasureFinding>,
    /// Every licence considered.
    pub licences: Vec<LicenceFinding>,
    /// Reports owed, with deadlines.
    pub obligations: Vec<Obligation>,
    /// What an analyst must look at (REVIEW, or alongside another outcome).
    pub review: Vec<String>,
    /// Caveats: unconfirmed ("verify") facts relied on, old or substitute list versions.
    pub caveats: Vec<String>,
    /// What the decision was taken against.
    pub basis: Basis,
    /// The dealing as decided (its as-of time as applied).
    pub dealing: Dealing,
}

impl Decision {
    /// The decision with the parts that legitimately differ between two runs removed, for a
    /// replay's comparison. There are none today: a decision carries no clock time, so a replay
    /// must be identical, byte for byte in its JSON.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn wrap(out: &mut fmt::Formatter<'_>, indent: &str, text: &str) -> fmt::Result {
    const WIDTH: usize = 96;
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.len() + line.chars().count() + 1 + word.chars().count() > WIDTH
        {
            writeln!(out, "{indent}{line}")?;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

fn item(out: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    const WIDTH: usize = 96;
    let mut first = true;
    let mut line = String::new();
    let flush = |out: &mut fmt::Formatter<'_>, line: &str, first: bool| {
        if first {
            writeln!(out, "  - {line}")
        } else {
            writeln!(out, "    {line}")
        }
    };
    for word in text.split_whitespace() {
        if !line.is_empty() && 4 + line.chars().count() + 1 + word.chars().count() > WIDTH {
            flush(out, &line, first)?;
            first = false;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        flush(out, &line, first)?;
    }
    Ok(())
}

impl fmt::Display for Decision {
    /// The decision memo: outcome and headline, reasons, parties screened, ownership, measures,
    /// licences, obligations, review points, caveats and the basis.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "DECISION: {}", self.outcome)?;
        wrap(f, "", &self.headline)?;
        writeln!(f)?;
        writeln!(
            f,
            "Dealing: {} {} as of {}, decided for {}.",
            kind_name(self.kind),
            self.reference,
            self.as_of,
            self.perspective.with_article()
        )?;
        for n in &self.input_notes {
            wrap(f, "", n)?;
        }
        writeln!(f)?;
        writeln!(f, "Reasons")?;
        for r in &self.reasons {
            item(f, r)?;
        }
        writeln!(f)?;
        writeln!(f, "Parties and texts screened")?;
        for p in &self.parties {
            let field = p
                .field
                .as_deref()
                .map(|x| format!(" [{x}]"))
                .unwrap_or_default();
            item(
                f,
                &format!("{}{field}: screened {}.", p.subject, p.screened.join(", ")),
            )?;
            if p.hits.is_empty() {
                writeln!(f, "      no match at or above the alert line")?;
            }
            for h in &p.hits {
                let under = if h.listed_under.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; listed under {}",
                        h.listed_under
                            .iter()
                            .map(|l| format!("{} ({}, {})", l.tag, l.instrument, l.programme))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let grade = match (h.grade, h.via) {
                    (_, Via::Text) => "listed name in the text",
                    (Grade::Confirmed, _) => "match",
                    (Grade::Review, _) => "possible match (review band)",
                    (Grade::Below, _) => "below the review line",
                };
                wrap(
                    f,
                    "      ",
                    &format!(
                        "{grade}: {} {} [{}], score {:.2} by {}{under}. {}",
                        h.entity_id,
                        h.caption,
                        h.datasets.join(", "),
                        h.score,
                        via_name(h.via),
                        h.explanation
                    ),
                )?;
            }
            for n in &p.notes {
                wrap(f, "      ", &format!("note: {n}"))?;
            }
        }
        if !self.ownership.is_empty() {
            writeln!(f)?;
            writeln!(f, "Ownership")?;
            for o in &self.ownership {
                item(
                    f,
                    &format!("{} ({}): {}. {}", o.subject, o.entity, o.status, o.sentence),
                )?;
            }
        }
        writeln!(f)?;
        writeln!(f, "Measures considered")?;
        if self.measures.is_empty() {
            writeln!(
                f,
                "  (none of the perspective's measures concerns this dealing)"
            )?;
        }
        for m in &self.measures {
            let verdict = if m.applies {
                "APPLIES"
            } else {
                "does not apply"
            };
            let verify = m
                .verify
                .as_ref()
                .map(|v| format!(" (verify: {v})"))
                .unwrap_or_default();
            item(
                f,
                &format!(
                    "{} — {} [{}/{}] {verdict} to {}: {}{verify}",
                    m.title, m.citation, m.programme, m.measure, m.subject, m.why
                ),
            )?;
            if let Some(p) = &m.prohibits {
                wrap(f, "      ", &format!("It prohibits: {p}"))?;
            }
        }
        writeln!(f)?;
        writeln!(f, "Licences considered")?;
        if self.licences.is_empty() {
            writeln!(f, "  (no licence relieves the measures that apply)")?;
        }
        for l in &self.licences {
            let verdict = if l.applies {
                "APPLIES"
            } else {
                "does not apply"
            };
            let verify = l
                .verify
                .as_ref()
                .map(|v| format!(" (verify: {v})"))
                .unwrap_or_default();
            item(
                f,
                &format!(
                    "{} ({} licence; {}) {verdict} for {} under {}: {}{verify}",
                    l.number, l.kind, l.citation, l.subject, l.for_measure, l.why
                ),
            )?;
            if l.applies {
                for e in &l.exclusions {
                    wrap(f, "      ", &format!("exclusion: {e}"))?;
                }
            }
        }
        writeln!(f)?;
        writeln!(f, "Obligations")?;
        if self.obligations.is_empty() {
            writeln!(f, "  (none)")?;
        }
        for o in &self.obligations {
            let due = o.due.map(|d| format!(", by {d}")).unwrap_or_default();
            item(
                f,
                &format!(
                    "{} to {}, {}{due} ({}): {}",
                    capitalise(&o.kind),
                    o.to,
                    o.when,
                    o.citation,
                    o.why
                ),
            )?;
        }
        if !self.review.is_empty() {
            writeln!(f)?;
            writeln!(f, "For review")?;
            for r in &self.review {
                item(f, r)?;
            }
        }
        if !self.caveats.is_empty() {
            writeln!(f)?;
            writeln!(f, "Caveats")?;
            for c in &self.caveats {
                item(f, c)?;
            }
        }
        writeln!(f)?;
        writeln!(f, "Basis")?;
        for l in &self.basis.lists {
            let how = match l.selection {
                crate::view::Selection::InForce => "in force on the dealing's date",
                crate::view::Selection::EarliestAvailable => {
                    "earliest available (none was in force on the dealing's date)"
                }
            };
            item(f, &format!("list {}, {how}", l.describe()))?;
        }
        for p in &self.basis.programmes {
            item(
                f,
                &format!(
                    "programme file {} ({} version {}, sha256 {})",
                    p.file,
                    p.id,
                    p.version,
                    &p.sha256[..12.min(p.sha256.len())]
                ),
            )?;
        }
        if let Some(o) = &self.basis.ownership {
            item(
                f,
                &format!(
                    "ownership data: {} ({} relations, sha256 {})",
                    o.source,
                    o.relations,
                    &o.sha256[..12.min(o.sha256.len())]
                ),
            )?;
        }
        item(
            f,
            &format!(
                "specific licences on record for the perspective: {}",
                self.basis.specific_licences.len()
            ),
        )?;
        item(
            f,
            &format!(
                "screening: decision line {:.2}, review line {:.2}, text line {:.2}; engine {}",
                self.basis.screening.decision_line,
                self.basis.screening.review_line,
                self.basis.screening.text_line,
                self.basis.engine
            ),
        )?;
        Ok(())
    }
}

/// `payment`, `trade declaration` …
pub fn kind_name(k: DealingKind) -> &'static str {
    match k {
        DealingKind::Payment => "payment",
        DealingKind::TradeDeclaration => "trade declaration",
        DealingKind::SecuritiesOrder => "securities order",
        DealingKind::TravelApplication => "travel application",
        DealingKind::Generic => "dealing",
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn via_name(v: Via) -> &'static str {
    match v {
        Via::Name => "name",
        Via::Bic => "BIC",
        Via::Identifier => "identifier",
        Via::Text => "text",
        Via::NamedTarget => "name (target named by the measure)",
    }
}
