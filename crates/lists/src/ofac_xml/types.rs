//! What OFAC's document and feature types mean in the entity model, shared by the classic and
//! the advanced XML importers.
//!
//! OFAC names the same things in both formats: the advanced format's IDRegDocType and
//! FeatureType values ("Passport", "Tax ID No.", "Website", "Vessel Flag" …) reappear in the
//! classic format as `idType`, where features and documents share one list. One table keeps the
//! two importers from disagreeing about what, say, a "Government Gazette Number" is.

use interdict_model::Schema;

/// How one OFAC document or feature type lands in the entity model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An identity or registration document: an Identification (or Passport) entity with the
    /// number, country and dates, plus the number as the flat property named.
    Document {
        /// Flat property for the number on the holder (`passportNumber`, `taxNumber` …).
        prop: &'static str,
        /// Whether the document is a passport (a Passport entity rather than Identification).
        passport: bool,
    },
    /// A fact about the entity, stored as this property (its type decides the cleaning).
    Property(&'static str),
    /// Information on the scope of the sanction ("Subject to Directive 1", secondary sanctions):
    /// a summary line on the entity's sanctions.
    SanctionInfo,
    /// A date of the sanction (`startDate`, `listingDate`), e.g. "Listing Date (CMIC)".
    SanctionDate(&'static str),
    /// A digital currency address: a CryptoWallet held by the entity (the currency is the part
    /// of the type after "Digital Currency Address - ").
    CryptoWallet,
    /// A party named by the value (a vessel's owner, an aircraft's operator): a LegalEntity
    /// linked to the entity, with this role.
    Party(&'static str),
    /// A place: an Address entity.
    Location,
}

const SANCTION_INFO_PREFIXES: &[&str] = &[
    "executive order",
    "additional sanctions information",
    "secondary sanctions",
    "caatsa",
    "ifca",
    "peesa",
    "transactions prohibited",
    "sanctions information",
];

const REGISTRATION: &[&str] = &[
    "registration id",
    "registration number",
    "commercial registry number",
    "business registration number",
    "business registration document #",
    "public registration number",
    "company number",
    "uk company number",
    "certificate of incorporation number",
    "business number",
    "registered charity no.",
    "matricula mercantil no",
    "chamber of commerce number",
    "c.r. no.",
    "dubai chamber of commerce membership no.",
    "istanbul chamber of comm. no.",
    "enterprise number",
    "chinese commercial code",
    "organization code",
    "rsin",
    "economic register number (cbls)",
    "trademark number",
    "permit number",
    "serial no.",
    "military registration number",
];

const TAX: &[&str] = &[
    "tax id no.",
    "ruc #",
    "r.f.c.",
    "rfc",
    "italian fiscal code",
    "rif #",
    "rtn",
    "fiscal code",
    "c.i.f.",
    "n.i.f.",
    "nit #",
    "us fein",
    "paraguayan tax identification number",
    "romanian tax registration",
];

/// Classify an OFAC document or feature type for an entity of `schema`.
///
/// Types not in the table are identity documents: their number is kept as an Identification
/// and `idNumber`, never dropped.
pub(crate) fn classify(label: &str, schema: Schema) -> Kind {
    let l = label.trim().to_ascii_lowercase();
    let vessel = schema.is_a(Schema::named("Vessel"));
    if l.starts_with("digital currency address") {
        return Kind::CryptoWallet;
    }
    if SANCTION_INFO_PREFIXES.iter().any(|p| l.starts_with(p)) {
        return Kind::SanctionInfo;
    }
    if l.starts_with("listing date") {
        return Kind::SanctionDate("listingDate");
    }
    if l.starts_with("effective date") || l.starts_with("purchase/sales for divestment date") {
        return Kind::SanctionDate("startDate");
    }
    if l.contains("passport") {
        return Kind::Document {
            prop: "passportNumber",
            passport: true,
        };
    }
    if REGISTRATION.contains(&l.as_str()) {
        return Kind::Document {
            prop: "registrationNumber",
            passport: false,
        };
    }
    if TAX.contains(&l.as_str()) {
        return Kind::Document {
            prop: "taxNumber",
            passport: false,
        };
    }
    let prop = match l.as_str() {
        "vessel registration identification" if vessel => {
            return Kind::Document {
                prop: "imoNumber",
                passport: false,
            };
        }
        "vessel registration identification" => {
            return Kind::Document {
                prop: "registrationNumber",
                passport: false,
            };
        }
        "v.a.t. number" => {
            return Kind::Document {
                prop: "vatCode",
                passport: false,
            };
        }
        "legal entity number" | "le number" => {
            return Kind::Document {
                prop: "leiCode",
                passport: false,
            };
        }
        "mmsi" => "mmsi",
        "swift/bic" => "swiftBic",
        "bik (ru)" => "bikCode",
        "d-u-n-s number" => "dunsCode",
        "website" => "website",
        "email address" => "email",
        "phone number" => "phone",
        "gender" => "gender",
        "birthdate" => "birthDate",
        "place of birth" => "birthPlace",
        "title" => "position",
        "nationality country" => "nationality",
        "citizenship country" => "citizenship",
        "registration country" | "nationality of registration" => "jurisdiction",
        "organization established date" => "incorporationDate",
        "organization type:" => "sector",
        "target type" => "legalForm",
        "vessel flag" => "flag",
        "former vessel flag" | "other vessel flag" => "pastFlags",
        "vessel type" | "other vessel type" => "type",
        "vessel call sign" | "other vessel call sign" => "callSign",
        "vessel tonnage" => "tonnage",
        "vessel gross registered tonnage" => "grossRegisteredTonnage",
        "vessel year of build" | "aircraft manufacture date" => "buildDate",
        "aircraft model" => "model",
        "aircraft manufacturer's serial number (msn)"
        | "aircraft manufacturer\u{2019}s serial number (msn)"
        | "aircraft construction number (also called l/n or s/n or f/n)"
        | "aircraft serial identification" => "serialNumber",
        "aircraft tail number"
        | "previous aircraft tail number"
        | "aircraft mode s transponder code" => "registrationNumber",
        "vessel owner" => return Kind::Party("Vessel Owner"),
        "aircraft operator" => return Kind::Party("Aircraft Operator"),
        "location" => return Kind::Location,
        _ if vessel => {
            return Kind::Document {
                prop: "registrationNumber",
                passport: false,
            };
        }
        _ => {
            return Kind::Document {
                prop: "idNumber",
                passport: false,
            };
        }
    };
    Kind::Property(prop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_classify() {
        let person = Schema::named("Person");
        let org = Schema::named("Organization");
        let vessel = Schema::named("Vessel");
        assert_eq!(
            classify("Passport", person),
            Kind::Document {
                prop: "passportNumber",
                passport: true
            }
        );
        assert_eq!(
            classify("Tax ID No.", org),
            Kind::Document {
                prop: "taxNumber",
                passport: false
            }
        );
        assert_eq!(
            classify("National ID No.", person),
            Kind::Document {
                prop: "idNumber",
                passport: false
            }
        );
        assert_eq!(classify("Website", org), Kind::Property("website"));
        assert_eq!(
            classify("Executive Order 13662 Directive Determination -", org),
            Kind::SanctionInfo
        );
        assert_eq!(
            classify("Vessel Registration Identification", vessel),
            Kind::Document {
                prop: "imoNumber",
                passport: false
            }
        );
        assert_eq!(
            classify("Digital Currency Address - XBT", person),
            Kind::CryptoWallet
        );
        assert_eq!(
            classify("Listing Date (CMIC)", org),
            Kind::SanctionDate("listingDate")
        );
        assert_eq!(
            classify("Vessel Owner", vessel),
            Kind::Party("Vessel Owner")
        );
    }
}
