//! The attributes besides names that a match weighs: birth dates, countries, gender,
//! identifiers (with type and issuing country) and addresses, in the compact comparable form
//! the index keeps per entity.

use interdict_model::{Entity, PartialDate, PropertyType, country_code};

/// The kind of an identifier, reduced to what decides whether two numbers are comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdKind {
    /// A passport number.
    Passport,
    /// A national identity number (cédula, CURP, SSN, national ID card …).
    NationalId,
    /// A tax number (TIN, INN, NIT, RUC, VAT).
    Tax,
    /// A company or register number (OGRN, registration ID, D-U-N-S).
    Registration,
    /// An IMO ship number: unique worldwide.
    Imo,
    /// A vessel's MMSI.
    Mmsi,
    /// A radio call sign.
    CallSign,
    /// A Legal Entity Identifier: unique worldwide.
    Lei,
    /// A SWIFT/BIC code: unique worldwide.
    Swift,
    /// An aircraft serial or tail number.
    Aircraft,
    /// Anything else, or not stated.
    Other,
}

impl IdKind {
    /// The kind an FtM identifier property holds.
    pub fn from_property(prop: &str) -> IdKind {
        match prop {
            "passportNumber" => IdKind::Passport,
            "idNumber" | "socialSecurityNumber" | "personalNumber" => IdKind::NationalId,
            "taxNumber" | "vatCode" | "innCode" => IdKind::Tax,
            "registrationNumber" | "ogrnCode" | "okpoCode" | "dunsCode" | "bvdId" | "kppCode" => {
                IdKind::Registration
            }
            "imoNumber" => IdKind::Imo,
            "mmsi" => IdKind::Mmsi,
            "callSign" => IdKind::CallSign,
            "leiCode" => IdKind::Lei,
            "swiftBic" | "bic" => IdKind::Swift,
            "serialNumber" | "icaoCode" => IdKind::Aircraft,
            _ => IdKind::Other,
        }
    }

    /// The kind a free-text label names (`Passport`, `National ID No.`, `Tax ID No.`, `IMO`,
    /// `inn`), or an FtM property name.
    pub fn from_label(label: &str) -> IdKind {
        let by_prop = IdKind::from_property(label);
        if by_prop != IdKind::Other {
            return by_prop;
        }
        let l = label.to_ascii_lowercase();
        let has = |w: &str| l.contains(w);
        if has("passport") {
            IdKind::Passport
        } else if has("imo") {
            IdKind::Imo
        } else if has("mmsi") {
            IdKind::Mmsi
        } else if has("call sign") || has("callsign") {
            IdKind::CallSign
        } else if has("lei") && l.len() <= 8 || has("legal entity") {
            IdKind::Lei
        } else if has("swift") || has("bic") {
            IdKind::Swift
        } else if has("tax") || has("inn") || has("nit") || has("ruc") || has("vat") || has("tin") {
            IdKind::Tax
        } else if has("registration")
            || has("ogrn")
            || has("d-u-n-s")
            || has("duns")
            || has("company number")
        {
            IdKind::Registration
        } else if has("national")
            || has("cedula")
            || has("c.u.r.p")
            || has("curp")
            || has("ssn")
            || has("identity")
            || has("id card")
            || has("dni")
            || has("identification")
        {
            IdKind::NationalId
        } else if has("serial") || has("aircraft") || has("tail") {
            IdKind::Aircraft
        } else {
            IdKind::Other
        }
    }

    /// Whether numbers of this kind are unique worldwide, so the issuing country adds nothing.
    pub fn is_global(self) -> bool {
        matches!(
            self,
            IdKind::Imo | IdKind::Lei | IdKind::Swift | IdKind::Mmsi
        )
    }
}

/// An identifier of a listed entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedIdentifier {
    /// Upper-case letters and digits only.
    pub value: Box<str>,
    /// Its kind.
    pub kind: IdKind,
    /// Its issuing country, if known.
    pub country: Option<&'static str>,
    /// The number as the list writes it, for explanations.
    pub written: Box<str>,
}

/// Letters and digits of an identifier, upper case: `A 1234-567` → `A1234567`.
pub fn normalise_identifier(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// `male`, `female` or other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

impl Gender {
    /// Parse the ways lists and queries write a gender.
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "male" | "m" | "man" => Some(Gender::Male),
            "female" | "f" | "woman" => Some(Gender::Female),
            _ => None,
        }
    }

    /// The FtM value.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// Everything besides names that the scorer compares, for one listed entity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListedAttributes {
    /// Birth dates (people), at the precision the list gives.
    pub birth_dates: Vec<PartialDate>,
    /// Country codes from nationality, citizenship, country, jurisdiction, flag …
    pub countries: Vec<&'static str>,
    /// Gender, if stated.
    pub gender: Option<Gender>,
    /// Identifiers.
    pub identifiers: Vec<ListedIdentifier>,
    /// Folded words of the addresses (three letters or more), sorted and unique.
    pub address_words: Vec<Box<str>>,
}

const COUNTRY_PROPERTIES: &[&str] = &[
    "nationality",
    "citizenship",
    "country",
    "birthCountry",
    "jurisdiction",
    "mainCountry",
    "flag",
    "pastFlags",
];

/// Resolve a country as written (`by`, `BLR`, `Belarus`) to its code.
pub fn resolve_country(s: &str) -> Option<&'static str> {
    country_code(s)
}

impl ListedAttributes {
    /// Read the attributes of a listed entity.
    pub fn from_entity(e: &Entity) -> ListedAttributes {
        let mut a = ListedAttributes::default();
        if e.schema.property_type("birthDate").is_some() {
            for v in e.values("birthDate") {
                if let Ok(d) = v.parse::<PartialDate>()
                    && !a.birth_dates.contains(&d)
                {
                    a.birth_dates.push(d);
                }
            }
        }
        for p in COUNTRY_PROPERTIES {
            for v in e.values(p) {
                if let Some(c) = resolve_country(v)
                    && !a.countries.contains(&c)
                {
                    a.countries.push(c);
                }
            }
        }
        a.gender = e.first("gender").and_then(Gender::parse);
        for (prop, value) in e.values_of_type(PropertyType::Identifier) {
            if prop == "wikidataId" {
                continue;
            }
            a.add_identifier(value, IdKind::from_property(prop), None);
        }
        let mut words: Vec<Box<str>> = e
            .values_of_type(PropertyType::Address)
            .flat_map(|(_, v)| {
                interdict_names::fold(v)
                    .split(' ')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.len() >= 3)
            .map(String::into_boxed_str)
            .collect();
        words.sort();
        words.dedup();
        a.address_words = words;
        a
    }

    /// Release spare capacity (the index keeps a million of these).
    pub fn shrink(&mut self) {
        self.birth_dates.shrink_to_fit();
        self.countries.shrink_to_fit();
        self.identifiers.shrink_to_fit();
        self.address_words.shrink_to_fit();
    }

    /// Add an identifier, or complete the kind and country of one already known (an
    /// `Identification` entity tells the country of a number its holder only lists).
    pub fn add_identifier(&mut self, written: &str, kind: IdKind, country: Option<&'static str>) {
        let value = normalise_identifier(written);
        if value.len() < 3 {
            return;
        }
        if let Some(existing) = self.identifiers.iter_mut().find(|i| *i.value == *value) {
            if existing.kind == IdKind::Other
                || existing.kind == IdKind::NationalId && kind != IdKind::Other
            {
                existing.kind = kind;
            }
            if existing.country.is_none() {
                existing.country = country;
            }
            return;
        }
        self.identifiers.push(ListedIdentifier {
            value: value.into_boxed_str(),
            kind,
            country,
            written: written.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::Schema;

    #[test]
    fn kinds_from_labels() {
        assert_eq!(IdKind::from_label("Passport"), IdKind::Passport);
        assert_eq!(IdKind::from_label("National ID No."), IdKind::NationalId);
        assert_eq!(IdKind::from_label("Tax ID No."), IdKind::Tax);
        assert_eq!(IdKind::from_label("imoNumber"), IdKind::Imo);
        assert_eq!(
            IdKind::from_label("Vessel Registration Identification"),
            IdKind::Registration
        );
        assert_eq!(IdKind::from_label("IMO 9187629"), IdKind::Imo);
    }

    #[test]
    fn attributes_of_an_entity() {
        let mut e = Entity::new("x", Schema::named("Person"));
        e.set("birthDate", "1954-08-30", None);
        e.set("nationality", "Belarus", None);
        e.set("gender", "male", None);
        e.set("passportNumber", "MP 1234-567", None);
        e.set("address", "Karl Marx St 38, Minsk", None);
        let a = ListedAttributes::from_entity(&e);
        assert_eq!(a.birth_dates, vec!["1954-08-30".parse().unwrap()]);
        assert_eq!(a.countries, vec!["by"]);
        assert_eq!(a.gender, Some(Gender::Male));
        assert_eq!(&*a.identifiers[0].value, "MP1234567");
        assert_eq!(a.identifiers[0].kind, IdKind::Passport);
        assert!(a.address_words.iter().any(|w| &**w == "minsk"));
    }
}
