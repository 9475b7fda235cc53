//! The shape of a programme file (`programmes/*.toml`): a programme, its legal instruments,
//! the list tags that map to it, the parties its measures name, its measures and its general
//! licences. `programmes/README.md` documents every key; the types here are that document in
//! code, and every struct refuses unknown keys so that a typo is an error, not a rule silently
//! left out.

use interdict_dealings::{InstrumentKind, PartyRole, PurposeCategory};
use serde::{Deserialize, Serialize};

use crate::moment::{Day, Moment};

/// Whose law a programme is: the perspective a decision takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Jurisdiction {
    /// United States (OFAC, State Department).
    Us,
    /// European Union (Council regulations and decisions).
    Eu,
    /// United Kingdom (OFSI, FCDO, Home Office).
    Uk,
}

impl Jurisdiction {
    /// `us`, `eu`, `uk`.
    pub fn code(self) -> &'static str {
        match self {
            Jurisdiction::Us => "us",
            Jurisdiction::Eu => "eu",
            Jurisdiction::Uk => "uk",
        }
    }

    /// The perspective in words: `US person`, `EU operator`, `UK person`.
    pub fn person(self) -> &'static str {
        match self {
            Jurisdiction::Us => "US person",
            Jurisdiction::Eu => "EU operator",
            Jurisdiction::Uk => "UK person",
        }
    }

    /// The perspective with its article: `a US person`, `an EU operator`, `a UK person`.
    pub fn with_article(self) -> &'static str {
        match self {
            Jurisdiction::Us => "a US person",
            Jurisdiction::Eu => "an EU operator",
            Jurisdiction::Uk => "a UK person",
        }
    }

    /// The jurisdiction of a dealing's perspective.
    pub fn of(p: interdict_dealings::Perspective) -> Jurisdiction {
        match p {
            interdict_dealings::Perspective::Us => Jurisdiction::Us,
            interdict_dealings::Perspective::Eu => Jurisdiction::Eu,
            interdict_dealings::Perspective::Uk => Jurisdiction::Uk,
        }
    }
}

impl std::fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Jurisdiction::Us => "US",
            Jurisdiction::Eu => "EU",
            Jurisdiction::Uk => "UK",
        })
    }
}

/// One programme file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    /// The version of this file format (1). A newer engine refuses files it does not know.
    pub format: u32,
    /// The programme.
    pub programme: Programme,
    /// Its legal instruments.
    #[serde(default, rename = "instrument")]
    pub instruments: Vec<Instrument>,
    /// The list programme tags that make a listed entity subject to it.
    #[serde(default, rename = "list")]
    pub lists: Vec<ListMapping>,
    /// Parties its measures name that are not (or not necessarily) listed.
    #[serde(default, rename = "target")]
    pub targets: Vec<Target>,
    /// Its measures.
    #[serde(default, rename = "measure")]
    pub measures: Vec<Measure>,
    /// Its general licences (and exemptions that work like them).
    #[serde(default, rename = "licence")]
    pub licences: Vec<GeneralLicence>,
}

/// A sanctions programme: one body of law of one jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Stable id (`us-belarus`), cited by decisions and by licences of other files.
    pub id: String,
    /// Its name as a compliance officer says it.
    pub title: String,
    /// Whose law it is.
    pub jurisdiction: Jurisdiction,
    /// The authority that administers it.
    pub authority: String,
    /// The zone of its local times and days (`America/New_York`, `Europe/Brussels`).
    pub zone: String,
    /// The data version: the date of the latest instrument encoded, changed with every edit.
    pub version: String,
    /// What the programme is, in a sentence or two.
    #[serde(default)]
    pub summary: Option<String>,
    /// Countries the programme is about (ISO codes); parties there are noted, not blocked.
    #[serde(default)]
    pub countries: Vec<String>,
    /// For a file of licences only (the cross-programme humanitarian licences): the
    /// programmes its licences relieve.
    #[serde(default)]
    pub relieves: Vec<String>,
    /// Whether this is the catch-all programme for list tags no other programme of the
    /// jurisdiction claims.
    #[serde(default)]
    pub generic: bool,
    /// Notes for the reader (what the file leaves out, how to read it).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A legal instrument: an executive order, regulation, decision, directive, FAQ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// Id within the file (`eo-13405`).
    pub id: String,
    /// Short name (`EO 13405`).
    pub short: String,
    /// Full citation as it would appear in a report.
    pub citation: String,
    /// Date signed, adopted or issued.
    pub date: Day,
    /// Where it was published (`71 FR 35485 (2006-06-20)`, `OJ L 224I, 24.6.2021`).
    #[serde(default)]
    pub published: Option<String>,
    /// The sources the facts come from (`[S1][S2]` of `docs/belarus-program.md`).
    #[serde(default)]
    pub sources: Option<String>,
    /// Whether a fact here is unconfirmed against the official text: printed "(verify)".
    #[serde(default)]
    pub verify: bool,
    /// What to verify.
    #[serde(default)]
    pub verify_note: Option<String>,
}

/// List programme tags mapped to a programme: an entity of `dataset` carrying one of `tags`
/// in its `program` property is listed under this programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListMapping {
    /// The dataset, as the store names it (`us_ofac_sdn`, `eu_fsf`, `gb_hmt_sanctions`).
    pub dataset: String,
    /// The tags as the list writes them (`BELARUS`, `BELARUS-EO14038`); `*` for every tag no
    /// other programme of the jurisdiction claims (generic programmes only).
    pub tags: Vec<String>,
    /// The instrument the designation is made under.
    pub instrument: String,
    /// A note (`tag written BELARUS-EO in 2021, BELARUS-EO14038 from 2023`).
    #[serde(default)]
    pub note: Option<String>,
}

/// A party a measure names directly: Directive 1's issuers, the Government of Belarus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Id within the file (`belarus-mof`).
    pub id: String,
    /// Its names in every form a message may carry (the first is its name).
    pub names: Vec<String>,
    /// Its country (ISO code).
    #[serde(default)]
    pub country: Option<String>,
    /// Whether it is listed anywhere (Directive 1's issuers are not).
    #[serde(default)]
    pub note: Option<String>,
    /// Unconfirmed facts (e.g. state participation of a bank).
    #[serde(default)]
    pub verify: bool,
    /// What to verify.
    #[serde(default)]
    pub verify_note: Option<String>,
}

/// What a measure does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// Blocking / asset freeze: property and interests of the target are frozen, and funds or
    /// economic resources may not be made available to it. A dealing it has an interest in is
    /// blocked.
    Blocking,
    /// Entry or visa refused to the target.
    TravelBan,
    /// Import or purchase of goods (by code, origin, producer) prohibited.
    ImportBan,
    /// Export or supply of goods (by code, destination) prohibited.
    ExportBan,
    /// Dealings in new debt or equity of the targets prohibited (Directive 1, EU capital
    /// markets).
    DebtProhibition,
    /// Insurance and reinsurance for the targets prohibited.
    InsuranceBan,
    /// Financing, financial or technical assistance (for banned goods, for the targets)
    /// prohibited.
    AssistanceBan,
    /// A list whose measures depend on the programme named by the tag: an analyst decides.
    Review,
}

impl MeasureKind {
    /// The kind in words.
    pub fn describe(self) -> &'static str {
        match self {
            MeasureKind::Blocking => "blocking of property (asset freeze)",
            MeasureKind::TravelBan => "travel ban",
            MeasureKind::ImportBan => "import ban",
            MeasureKind::ExportBan => "export ban",
            MeasureKind::DebtProhibition => "debt and capital-market prohibition",
            MeasureKind::InsuranceBan => "insurance ban",
            MeasureKind::AssistanceBan => "financing and assistance ban",
            MeasureKind::Review => "list requiring review",
        }
    }
}

/// Who a measure applies to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Everyone listed under this programme's list tags.
    #[serde(default)]
    pub listed: bool,
    /// Only those listed under these tags (a subset of the programme's), when not all.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only entities of these datasets (of the programme's list mappings), when not all.
    #[serde(default)]
    pub datasets: Vec<String>,
    /// Only persons (travel bans apply to natural persons).
    #[serde(default)]
    pub persons_only: bool,
    /// Named targets of this file (`[[target]]` ids).
    #[serde(default)]
    pub named: Vec<String>,
}

/// A goods rule: codes (HS/CN prefixes), origin and destination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goods {
    /// The goods codes covered (a line matches if its code falls within one).
    #[serde(default)]
    pub codes: Vec<GoodsCodeRule>,
    /// Origins covered (ISO codes); empty for any.
    #[serde(default)]
    pub origin: Vec<String>,
    /// Destinations covered (ISO codes; export bans); empty for any.
    #[serde(default)]
    pub destination: Vec<String>,
    /// Goods made by a listed producer of this programme are covered whatever their code.
    #[serde(default)]
    pub listed_producers: bool,
}

/// One goods code of a ban.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsCodeRule {
    /// HS/CN digits, spaces allowed (`3104 20`).
    pub code: String,
    /// What it is.
    pub description: String,
    /// Unconfirmed against the regulation's annex.
    #[serde(default)]
    pub verify: bool,
}

/// Contracts concluded before a date are not affected (the EU's grandfathering of
/// pre-sanction contracts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grandfathering {
    /// Contracts concluded before this day are not affected.
    pub contracts_before: Day,
    /// Until when such contracts may be executed, if the instrument says.
    #[serde(default)]
    pub execution_until: Option<Moment>,
    /// The provision.
    pub citation: String,
    /// Unconfirmed.
    #[serde(default)]
    pub verify: bool,
    /// What to verify.
    #[serde(default)]
    pub verify_note: Option<String>,
}

/// The debt rule of a debt or capital-market prohibition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtRule {
    /// Instrument kinds covered (`bond`, `note`, `loan`, `commercial_paper`, …).
    pub instrument_kinds: Vec<InstrumentKind>,
    /// Covered if issued on or after this day.
    pub issued_on_or_after: Day,
    /// Covered only if the maturity is longer than this many days.
    pub maturity_over_days: i64,
    /// Debt issued before the cut-off is not covered only if its terms were agreed before it
    /// and not modified since (OFAC FAQ 942); the citation of that rule.
    #[serde(default)]
    pub terms_agreed_rule: Option<String>,
    /// Notes printed with the measure (FAQ 944 on what debt is …).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// When a purpose-keyed measure applies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeRule {
    /// ISO 20022 purpose codes (`INSU`).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Purpose categories.
    #[serde(default)]
    pub categories: Vec<PurposeCategory>,
}

/// A reporting duty attached to a measure (blocking report, reject report) or a licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRule {
    /// What is reported (`blocked property`, `rejected transaction`).
    pub kind: String,
    /// To whom.
    pub to: String,
    /// The provision.
    pub citation: String,
    /// Due within this many business days of the dealing (US federal calendar).
    #[serde(default)]
    pub within_business_days: Option<u32>,
    /// Due within this many calendar days.
    #[serde(default)]
    pub within_days: Option<u32>,
    /// A deadline in words when the law gives no number (`without delay`).
    #[serde(default)]
    pub when: Option<String>,
    /// Unconfirmed.
    #[serde(default)]
    pub verify: bool,
}

/// A measure: what is prohibited, for whom, from when, under which instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Id within the programme (`blocking`, `directive-1`).
    pub id: String,
    /// What it does.
    pub kind: MeasureKind,
    /// Its name (`Directive 1 under EO 14038: new sovereign debt`).
    pub title: String,
    /// The instruments it rests on (ids of this file).
    pub instruments: Vec<String>,
    /// The citation printed in decisions.
    pub citation: String,
    /// In force from (day or local time).
    pub from: Moment,
    /// In force until (inclusive), if it ended.
    #[serde(default)]
    pub until: Option<Moment>,
    /// Who it applies to.
    #[serde(default)]
    pub targets: Targets,
    /// Whether it extends to entities the targets own or control (the 50 % rule; Directive 1
    /// does not, FAQ 943).
    #[serde(default)]
    pub extends_by_ownership: bool,
    /// Why it does not extend by ownership, when it does not (cited in decisions).
    #[serde(default)]
    pub ownership_note: Option<String>,
    /// Roles whose involvement counts; empty for every role.
    #[serde(default)]
    pub roles: Vec<PartyRole>,
    /// Goods covered (import and export bans, assistance bans related to goods).
    #[serde(default)]
    pub goods: Option<Goods>,
    /// Grandfathered contracts.
    #[serde(default)]
    pub grandfathering: Option<Grandfathering>,
    /// The debt rule (debt prohibitions).
    #[serde(default)]
    pub debt: Option<DebtRule>,
    /// Purposes the measure keys on (insurance, assistance).
    #[serde(default)]
    pub purposes: Option<PurposeRule>,
    /// What it prohibits, in the instrument's words or close to them.
    pub prohibits: String,
    /// The report it requires.
    #[serde(default)]
    pub report: Option<ReportRule>,
    /// Unconfirmed.
    #[serde(default)]
    pub verify: bool,
    /// What to verify.
    #[serde(default)]
    pub verify_note: Option<String>,
    /// Notes printed with the measure (FAQs, readings).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// What a general licence authorises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authorises {
    /// Every transaction the measures prohibit, with the parties in scope.
    All,
    /// Only transactions ordinarily incident and necessary to the wind-down of transactions
    /// under contracts concluded before a date.
    WindDown,
    /// Administrative dealings (taxes, fees, permits) up to an amount.
    Administrative,
    /// Dealings for the purposes listed (humanitarian licences).
    Purposes,
}

/// A party a licence names: an entity id of a list and its name as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRef {
    /// The entity id (`ofac-12860`).
    pub id: String,
    /// The listed name.
    pub name: String,
}

/// An exclusion of a licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// What kind (`no_unblocking`, `other_blocked_persons`, `no_new_contracts`, `text`).
    pub kind: ExclusionKind,
    /// The exclusion in words.
    pub text: String,
}

/// Kinds of licence exclusion the engine applies or prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionKind {
    /// The licence does not unblock property already blocked.
    NoUnblocking,
    /// It does not authorise dealings with blocked persons outside its scope.
    OtherBlockedPersons,
    /// It does not authorise new contracts, purchases or stockpiling.
    NoNewContracts,
    /// Anything else (printed).
    Text,
}

/// The administrative limit of an administrative licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdministrativeLimit {
    /// Purposes authorised.
    pub purposes: Vec<PurposeCategory>,
    /// At most this amount (exact decimal).
    pub max_amount: String,
    /// In this currency.
    pub currency: String,
    /// Per what (`year`, `transaction`).
    pub per: String,
}

/// The wind-down rule of a wind-down licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindDown {
    /// Only contracts concluded before this day are wound down.
    pub contracts_before: Day,
    /// Our reading of "ordinarily incident and necessary to the wind down".
    pub reading: String,
}

/// A licence's reporting duty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceReporting {
    /// Reportable above this amount (exact decimal).
    pub above: String,
    /// In this currency.
    pub currency: String,
    /// Within this many calendar days of the transaction.
    pub within_days: u32,
    /// To whom.
    pub to: String,
    /// What the report contains or other notes.
    #[serde(default)]
    pub note: Option<String>,
}

/// A revocation of a licence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// When it took effect.
    pub at: Moment,
    /// The licence that replaced it (an id of any loaded file), if any.
    #[serde(default)]
    pub by: Option<String>,
    /// Notes.
    #[serde(default)]
    pub note: Option<String>,
}

/// A general licence (or an exemption that works like one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralLicence {
    /// Stable id (`us-belarus/gl-2h` is cited as programme id + this id).
    pub id: String,
    /// Its number as the authority writes it (`GL 2H`).
    pub number: String,
    /// Its title.
    pub title: String,
    /// The citation printed in decisions.
    pub citation: String,
    /// Issue date.
    pub issued: Day,
    /// Valid from.
    pub from: Moment,
    /// Valid until (inclusive: "through 12:01 a.m."); none for no expiry.
    #[serde(default)]
    pub until: Option<Moment>,
    /// Revoked, and by what.
    #[serde(default)]
    pub revoked: Option<Revocation>,
    /// The licence it replaces (id), if any.
    #[serde(default)]
    pub replaces: Option<String>,
    /// The programmes it relieves (ids); defaults to its file's programme (or the file's
    /// `relieves`).
    #[serde(default)]
    pub programmes: Vec<String>,
    /// The measures it relieves, as `programme/measure` or a measure id of its own programme;
    /// empty for every blocking measure of its programmes.
    #[serde(default)]
    pub measures: Vec<String>,
    /// What it authorises.
    pub authorises: Authorises,
    /// The wind-down rule (for `wind_down`).
    #[serde(default)]
    pub wind_down: Option<WindDown>,
    /// The administrative limit (for `administrative`).
    #[serde(default)]
    pub administrative: Option<AdministrativeLimit>,
    /// The purposes (for `purposes`).
    #[serde(default)]
    pub purposes: Vec<PurposeCategory>,
    /// The parties it covers; empty with `any_party` for licences keyed on purpose.
    #[serde(default)]
    pub parties: Vec<PartyRef>,
    /// Whether it covers any blocked person of its programmes (humanitarian licences).
    #[serde(default)]
    pub any_party: bool,
    /// Whether it also covers entities owned 50 % or more (individually or in aggregate,
    /// directly or indirectly) by its parties.
    #[serde(default)]
    pub owned_50: bool,
    /// Parties covered only where they are not a direct party (GL 5: resales of Belaruskali
    /// product, but no direct dealings with Belaruskali).
    #[serde(default)]
    pub indirect_only: Vec<PartyRef>,
    /// Exclusions.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Reporting duty.
    #[serde(default)]
    pub reporting: Option<LicenceReporting>,
    /// Sources.
    #[serde(default)]
    pub sources: Option<String>,
    /// Unconfirmed.
    #[serde(default)]
    pub verify: bool,
    /// What to verify.
    #[serde(default)]
    pub verify_note: Option<String>,
    /// Notes printed with the licence.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The screening settings: where a match becomes an alert, a review and a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningSettings {
    /// Matches at or above this score and below `decision_line` are too uncertain to decide:
    /// the decision is REVIEW.
    pub review_line: f64,
    /// Matches at or above this score (or on an exact BIC or identifier) are taken to be the
    /// listed party.
    pub decision_line: f64,
    /// A window of a free text must reach this score to count as naming a listed party.
    pub text_line: f64,
    /// The longest window of words of a free text searched as a name.
    pub text_window: usize,
    /// A list version older than the dealing by more than this many days is flagged.
    pub stale_after_days: i64,
}

impl Default for ScreeningSettings {
    fn default() -> Self {
        ScreeningSettings {
            review_line: 0.78,
            decision_line: 0.88,
            text_line: 0.90,
            text_window: 4,
            stale_after_days: 45,
        }
    }
}

/// The settings file (`programmes/screening.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// The format version (1).
    pub format: u32,
    /// The settings.
    pub screening: ScreeningSettings,
}
