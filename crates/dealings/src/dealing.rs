//! The one shape every input becomes: a [`Dealing`] with its parties, amounts, texts and the
//! details of its kind (trade, securities, travel).
//!
//! This is also the JSON form (`POST /v1/decisions`, `interdict decide file.json`): every struct
//! refuses unknown fields, so a typo such as `"counterpary"` is an error that names the field
//! rather than a party silently left out of screening.

use chrono::NaiveDate;
use interdict_model::PartialDate;
use serde::{Deserialize, Serialize};

use crate::codes::{Amount, Bic, CountryCode, Currency, GoodsCode, Iban, Isin};
use crate::error::InputFormat;
use crate::time::AsOf;

/// A dealing a sanctions decision is asked about, read and validated.
///
/// Built by [`read`](crate::read) from pacs.008, MT103 or JSON. Every party the input names is in
/// [`parties`](Dealing::parties) with the field it came from; every free text that could carry a
/// listed name is in [`texts`](Dealing::texts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dealing {
    /// What kind of dealing this is; decides which of the detail sections must be present.
    pub kind: DealingKind,
    /// The submitter's reference (UETR or end-to-end id of a payment, `:20:` of an MT103,
    /// declaration or order number), quoted back in the decision.
    pub reference: String,
    /// When the dealing happens, with its time zone: licences and listings are in force from
    /// local times.
    pub as_of: AsOf,
    /// Whose law the decision applies (US person, EU operator, UK person); `None` lets the engine
    /// use its configured default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perspective: Option<Perspective>,
    /// Every party the dealing names, each with its role and source field.
    #[serde(default)]
    pub parties: Vec<Party>,
    /// The amount settled or paid (`IntrBkSttlmAmt`, `:32A:`), or the value of the dealing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The amount as instructed by the customer, when it differs in currency or amount
    /// (`InstdAmt`, `:33B:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructed_amount: Option<Money>,
    /// Free texts to screen: remittance information, purpose, instructions to banks,
    /// regulatory reporting. A listed name can hide in any of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<FreeText>,
    /// When the underlying contract was concluded: wind-down licences and the EU's
    /// grandfathering of pre-sanction contracts turn on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_date: Option<NaiveDate>,
    /// Whether the dealing performs a contract concluded before the measure (the GL 2H
    /// wind-down question); `None` when the input does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_existing_contract: Option<bool>,
    /// What the dealing is for, as far as the input states it (humanitarian exemptions key on
    /// it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// Goods, origin and dates of a trade declaration (or of the goods a payment pays for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade: Option<Trade>,
    /// The instrument and side of a securities order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub securities: Option<SecuritiesOrder>,
    /// Dates and destination of a travel or visa application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel: Option<TravelApplication>,
    /// Where the dealing was read from: format, message type and the field the as-of time came
    /// from. Filled by the readers; optional in JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceInfo>,
    /// A note for people (what an example illustrates); never screened, never decided on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Dealing {
    /// The parties with a given role, in input order.
    pub fn parties_with_role(&self, role: PartyRole) -> impl Iterator<Item = &Party> {
        self.parties.iter().filter(move |p| p.role == role)
    }
}

/// The kinds of dealing the decision engine knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealingKind {
    /// A funds transfer (pacs.008, MT103 or JSON).
    Payment,
    /// An import, export or transit declaration of goods.
    TradeDeclaration,
    /// A purchase or sale of a security (Directive 1, EU new-issue bans).
    SecuritiesOrder,
    /// A visa or entry application (travel bans).
    TravelApplication,
    /// Any other dealing: parties, kind of business, dates, amount.
    Generic,
}

/// Whose sanctions law a decision applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// A US person (OFAC).
    Us,
    /// An EU operator (Council regulations).
    Eu,
    /// A UK person (OFSI/FCDO).
    Uk,
}

/// A person, company or bank named by the dealing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// What the party does in the dealing.
    pub role: PartyRole,
    /// Its names as written (a message has one; a visa application may list several spellings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Whether it is a person or an organisation, when the input says (a `PrvtId`, a birth date,
    /// an agent's BIC); screening narrows candidates with it.
    #[serde(default, skip_serializing_if = "PartySchema::is_unknown")]
    pub schema: PartySchema,
    /// Its BIC (agents; organisations identified by `AnyBIC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<Bic>,
    /// Its account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
    /// Postal address lines, structured parts joined in reading order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// The town, when the input gives it separately (`TwnNm`, `3/BY/NOVOPOLOTSK`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
    /// Its country: of address, residence, or else of its IBAN or BIC (see
    /// [`country_from`](Party::country_from)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// Where [`country`](Party::country) came from; a country taken from a BIC is weaker evidence
    /// than a stated address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_from: Option<CountrySource>,
    /// Date of birth (persons), to any precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<PartialDate>,
    /// Place of birth as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_place: Option<String>,
    /// Nationalities (persons).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<CountryCode>,
    /// Registration numbers, tax ids, passports, LEIs …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// The field the party was read from (`Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr`,
    /// `:59F:`, `parties[1]`), so that an alert can point at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Party {
    /// An empty party with a role and source, filled in by the readers.
    pub fn new(role: PartyRole, source: impl Into<String>) -> Party {
        Party {
            role,
            names: Vec::new(),
            schema: PartySchema::Unknown,
            bic: None,
            account: None,
            address: Vec::new(),
            town: None,
            country: None,
            country_from: None,
            birth_date: None,
            birth_place: None,
            nationalities: Vec::new(),
            identifiers: Vec::new(),
            source: Some(source.into()),
        }
    }

    /// Whether the party carries anything to screen: a name, BIC, account or identifier.
    pub fn is_identifiable(&self) -> bool {
        self.names.iter().any(|n| !n.trim().is_empty())
            || self.bic.is_some()
            || self.account.is_some()
            || !self.identifiers.is_empty()
    }

    /// Take the country from the IBAN, else the BIC, when the party states none.
    pub fn fill_country(&mut self) {
        if self.country.is_some() {
            if self.country_from.is_none() {
                self.country_from = Some(CountrySource::Stated);
            }
            return;
        }
        if let Some(Account::Iban(iban)) = &self.account {
            self.country = Some(iban.country());
            self.country_from = Some(CountrySource::Iban);
        } else if let Some(bic) = &self.bic {
            self.country = Some(bic.country());
            self.country_from = Some(CountrySource::Bic);
        }
    }
}

/// The role of a party in a dealing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// The payer (`Dbtr`, `:50a:` ordering customer).
    Debtor,
    /// The payee (`Cdtr`, `:59a:` beneficiary customer).
    Creditor,
    /// The party on whose behalf the debtor pays (`UltmtDbtr`).
    UltimateDebtor,
    /// The party ultimately receiving the funds (`UltmtCdtr`).
    UltimateCreditor,
    /// The party initiating the payment on the debtor's behalf (`InitgPty`).
    InitiatingParty,
    /// The debtor's bank (`DbtrAgt`, `:52a:` ordering institution).
    DebtorAgent,
    /// The creditor's bank (`CdtrAgt`, `:57a:` account with institution).
    CreditorAgent,
    /// A bank between the two (`IntrmyAgt1..3`, `:56a:`).
    IntermediaryAgent,
    /// The bank sending this leg (`InstgAgt`, MT sender).
    InstructingAgent,
    /// The bank receiving this leg (`InstdAgt`, MT receiver).
    InstructedAgent,
    /// A bank that instructed an earlier leg (`PrvsInstgAgt1..3`).
    PreviousInstructingAgent,
    /// A reimbursement bank (`InstgRmbrsmntAgt`, `InstdRmbrsmntAgt`, `ThrdRmbrsmntAgt`,
    /// `:53a:`, `:54a:`, `:55a:`).
    ReimbursementAgent,
    /// A party named in structured remittance information as invoicer or invoicee.
    Invoicer,
    /// See [`PartyRole::Invoicer`].
    Invoicee,
    /// The importer of record.
    Importer,
    /// The exporter.
    Exporter,
    /// The manufacturer of the goods (import bans by producer, e.g. Belshina).
    Producer,
    /// The consignee.
    Consignee,
    /// The carrier or vessel operator.
    Carrier,
    /// The issuer of a security.
    Issuer,
    /// The broker or dealer executing a securities order.
    Broker,
    /// The person applying to travel.
    Traveller,
    /// The other side of a generic dealing.
    Counterparty,
    /// Any other party the input names.
    Other,
}

/// Person, organisation or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartySchema {
    /// A natural person (FtM `Person`).
    Person,
    /// A company, bank, authority or other body (FtM `Organization`).
    #[serde(alias = "organization")]
    Organisation,
    /// The input does not say.
    #[default]
    Unknown,
}

impl PartySchema {
    /// Whether nothing is known, used to keep the JSON form short.
    pub fn is_unknown(&self) -> bool {
        *self == PartySchema::Unknown
    }
}

/// Where a party's country came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountrySource {
    /// Stated in the input (address country, JSON `country`).
    Stated,
    /// Country of residence (`CtryOfRes`).
    Residence,
    /// The country of the party's IBAN.
    Iban,
    /// The country of the party's BIC.
    Bic,
}

/// An account: an IBAN, or another identifier with its scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Account {
    /// A validated IBAN: `{"iban": "BY89AKBB30120000418190000000"}`.
    Iban(Iban),
    /// Another account number: `{"other": {"id": "4401239876", "scheme": "BBAN"}}`.
    Other(OtherAccount),
}

/// An account number that is not an IBAN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherAccount {
    /// The number as written.
    pub id: String,
    /// Its scheme (`BBAN`, `CUID`, a proprietary name), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

/// An identifier of a party: registration number, tax id, passport, LEI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    /// The kind of identifier, lower case: `passport`, `national_id`, `tax_id`, `registration`,
    /// `lei`, `customer_number`, … or the input's own scheme code.
    #[serde(rename = "type")]
    pub kind: String,
    /// The number as written.
    pub number: String,
    /// The issuing country, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
}

/// An amount with its currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The amount, exact.
    pub value: Amount,
    /// The ISO 4217 currency.
    pub currency: Currency,
}

/// A free text to screen, with what it is and where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeText {
    /// What kind of text.
    pub kind: TextKind,
    /// The text as written.
    pub text: String,
    /// The field it was read from (`…/RmtInf/Ustrd[0]`, `:70:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Kinds of free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextKind {
    /// Remittance information (`RmtInf/Ustrd`, `:70:`).
    Remittance,
    /// Purpose of the dealing in words.
    Purpose,
    /// Instructions between banks (`InstrForCdtrAgt`, `InstrForNxtAgt`, `:72:`).
    Instruction,
    /// Regulatory reporting (`RgltryRptg`, `:77B:`).
    Regulatory,
    /// A description of goods, services or the instrument.
    Description,
    /// Supplementary data a standard leaves open (`SplmtryData`).
    Supplementary,
    /// Anything else.
    Other,
}

/// What a dealing is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// The category an exemption or licence keys on, when stated or implied by a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<PurposeCategory>,
    /// The purpose code as given (ISO 20022 `ExternalPurpose1Code` such as `GDDS`, `CHAR`,
    /// `MDCS`, or a proprietary code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Purpose categories that sanctions exemptions and licences name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurposeCategory {
    /// Humanitarian assistance in general.
    Humanitarian,
    /// Medicine.
    Medicine,
    /// Medical devices.
    MedicalDevices,
    /// Medical, dental and hospital services.
    MedicalServices,
    /// Food.
    Food,
    /// Agricultural commodities.
    Agriculture,
    /// Activities of non-governmental organisations (democracy, human rights, education …).
    NgoActivities,
    /// Non-commercial personal remittances.
    PersonalRemittance,
    /// Official business of international organisations or governments.
    OfficialBusiness,
    /// Taxes, fees and permits paid to authorities.
    AdministrativeFees,
    /// Telecommunications and internet services.
    Telecommunications,
    /// Legal services.
    LegalServices,
    /// Trade in goods.
    Goods,
    /// Services.
    Services,
    /// Salaries and pensions.
    Salary,
    /// Something else.
    Other,
}

impl PurposeCategory {
    /// The category an ISO 20022 external purpose code implies, for the few codes whose meaning
    /// is unambiguous. Codes not listed give `None`: the engine then relies on the text and the
    /// parties, never on a guess.
    pub fn from_iso_purpose_code(code: &str) -> Option<PurposeCategory> {
        Some(match code {
            "MDCS" | "DNTS" | "HSPC" | "LTCF" => PurposeCategory::MedicalServices,
            "AGRT" => PurposeCategory::Agriculture,
            "GDDS" | "SUPP" => PurposeCategory::Goods,
            "SCVE" => PurposeCategory::Services,
            "SALA" | "PENS" | "BONU" => PurposeCategory::Salary,
            "TAXS" | "VATX" => PurposeCategory::AdministrativeFees,
            "PHON" | "NWCM" => PurposeCategory::Telecommunications,
            _ => return None,
        })
    }
}

/// A trade declaration's goods and dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trade {
    /// Import, export or transit, seen from the declarant.
    pub direction: TradeDirection,
    /// The goods lines; at least one.
    pub goods: Vec<GoodsLine>,
    /// When the goods were or will be shipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_date: Option<NaiveDate>,
    /// Where the goods go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_country: Option<CountryCode>,
}

/// Import, export or transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeDirection {
    /// Goods brought into the declarant's jurisdiction.
    Import,
    /// Goods sent out of it.
    Export,
    /// Goods passing through.
    Transit,
}

/// One line of goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsLine {
    /// HS, CN or TARIC code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<GoodsCode>,
    /// The description as declared.
    pub description: String,
    /// Country of origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<CountryCode>,
    /// Quantity with its unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// Declared value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
}

/// A quantity of goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// How many.
    pub value: Amount,
    /// Of what unit (`t`, `kg`, `pcs`, `l`).
    pub unit: String,
}

/// A securities order: the instrument and the side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritiesOrder {
    /// Buy or sell.
    pub side: Side,
    /// The instrument.
    pub instrument: Instrument,
    /// Nominal or consideration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominal: Option<Money>,
    /// Trade date, when it differs from the as-of date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trade_date: Option<NaiveDate>,
}

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Buying (primary or secondary market).
    Buy,
    /// Selling.
    Sell,
}

/// A financial instrument as debt and capital-market prohibitions see it: who issued it, what it
/// is, when it was issued and when it matures. The issuer is a party with role
/// [`PartyRole::Issuer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    /// The ISIN, check digit verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isin: Option<Isin>,
    /// What kind of instrument.
    pub kind: InstrumentKind,
    /// Its name (`Republic of Belarus 6.378% Notes due 2031`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Issue date: Directive 1 catches debt issued on or after 2021-12-02.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_date: Option<NaiveDate>,
    /// Maturity date: Directive 1 catches maturities over 90 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturity_date: Option<NaiveDate>,
    /// When the terms were agreed, if before the issue date (FAQ 942: debt issued later under
    /// terms agreed earlier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_agreed_date: Option<NaiveDate>,
    /// The currency the instrument is denominated in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}

impl Instrument {
    /// Days from issue to maturity, when both are known.
    pub fn tenor_days(&self) -> Option<i64> {
        Some((self.maturity_date? - self.issue_date?).num_days())
    }
}

/// Kinds of instrument that debt and equity prohibitions distinguish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// A bond.
    Bond,
    /// A note.
    Note,
    /// A loan or loan participation.
    Loan,
    /// Commercial paper.
    CommercialPaper,
    /// A certificate of deposit.
    CertificateOfDeposit,
    /// Bills and other money-market instruments.
    MoneyMarket,
    /// Shares and other equity.
    Equity,
    /// A derivative.
    Derivative,
    /// A fund unit.
    Fund,
    /// Anything else.
    Other,
}

impl InstrumentKind {
    /// Whether the instrument is debt (bond, note, loan, paper, deposit certificate, bill).
    pub fn is_debt(&self) -> bool {
        matches!(
            self,
            InstrumentKind::Bond
                | InstrumentKind::Note
                | InstrumentKind::Loan
                | InstrumentKind::CommercialPaper
                | InstrumentKind::CertificateOfDeposit
                | InstrumentKind::MoneyMarket
        )
    }
}

/// A travel or visa application. The applicant is a party with role
/// [`PartyRole::Traveller`], whose identifiers hold the travel document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelApplication {
    /// The visa or entry category applied for (`Schengen C`, `B1/B2`, `Standard Visitor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_type: Option<String>,
    /// The country to enter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<CountryCode>,
    /// First day of travel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_from: Option<NaiveDate>,
    /// Last day of travel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_to: Option<NaiveDate>,
}

/// Where a dealing was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// The wire format.
    pub format: InputFormat,
    /// The exact message type (`pacs.008.001.08`, `MT103`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_type: Option<String>,
    /// The field the as-of time was taken from (`GrpHdr/CreDtTm`, `:32A: + :13C:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of_field: Option<String>,
}
