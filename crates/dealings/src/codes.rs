//! Validated identifiers and quantities: BIC, IBAN, ISIN, country, currency, goods code, amount.
//!
//! Each type can only hold a valid value, so a [`Dealing`](crate::Dealing) never carries a BIC
//! with a made-up country or an ISIN with a wrong check digit. Parsing returns the reason as a
//! sentence that the readers put after the field path. All of them serialise as plain strings.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use iban::IbanLike;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// BIC
// ---------------------------------------------------------------------------------------------

/// A Business Identifier Code (ISO 9362): 4 bank characters, a 2-letter ISO 3166 country,
/// 2 location characters and an optional 3-character branch.
///
/// Hand-written rather than taken from a crate (see `docs/rust-crates.md` §10). The bank code is
/// letters in practice; ISO 9362:2014 allows digits too, and so do we, as the ISO 20022 schema
/// (`BICFIDec2014Identifier`) does. Lower case is accepted and normalised to upper case.
/// The country must be a known ISO 3166 code: a BIC's country is what screening falls back to
/// when a bank gives no address, so it has to be real.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bic(String);

impl Bic {
    /// The BIC as written, 8 or 11 upper-case characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 8-character institution part (bank, country, location), without the branch: what
    /// list entries such as "SWIFT/BIC BLBBBY2X" name.
    pub fn institution(&self) -> &str {
        self.0.get(..8).unwrap_or(&self.0)
    }

    /// The branch code, if the BIC has 11 characters and the branch is not the primary office
    /// `XXX`.
    pub fn branch(&self) -> Option<&str> {
        self.0.get(8..11).filter(|b| *b != "XXX")
    }

    /// The country of the institution as a lower-case ISO code (`by`), for screening by
    /// country when the party gives no address.
    pub fn country(&self) -> CountryCode {
        CountryCode(self.0.get(4..6).unwrap_or("").to_ascii_lowercase())
    }

    /// Whether the BIC is a test-and-training BIC (location code ending in `0`).
    pub fn is_test(&self) -> bool {
        self.0.as_bytes().get(7) == Some(&b'0')
    }
}

impl FromStr for Bic {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_ascii_uppercase();
        let n = s.chars().count();
        if n != 8 && n != 11 {
            return Err(format!(
                "{} is not a BIC (8 or 11 characters, found {n})",
                quoted(raw)
            ));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!(
                "{} is not a BIC (letters and digits only)",
                quoted(raw)
            ));
        }
        let (bank, rest) = s.split_at(4);
        let (country, rest) = rest.split_at(2);
        let (location, _branch) = rest.split_at(2);
        if !bank.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!(
                "{}: BIC bank code {bank:?} is not 4 letters",
                quoted(raw)
            ));
        }
        if !country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(format!(
                "{}: BIC country code {country:?} (characters 5–6) is not two letters",
                quoted(raw)
            ));
        }
        let cc = country.to_ascii_lowercase();
        if !interdict_model::country::is_country_code(&cc) {
            return Err(format!(
                "{}: BIC country code {country:?} is not an ISO 3166 country",
                quoted(raw)
            ));
        }
        if location.len() != 2 {
            return Err(format!(
                "{}: BIC location code is not 2 characters",
                quoted(raw)
            ));
        }
        Ok(Bic(s))
    }
}

impl fmt::Display for Bic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Bic);

// ---------------------------------------------------------------------------------------------
// IBAN
// ---------------------------------------------------------------------------------------------

/// An International Bank Account Number, validated by `iban_validate`: the country's BBAN
/// format and the ISO 7064 mod 97-10 check digits. Held in electronic form (no spaces).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iban(String);

impl Iban {
    /// The IBAN in electronic form (`BY89AKBB30120000418190000000`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country of the account-servicing bank, lower case (`by`).
    pub fn country(&self) -> CountryCode {
        CountryCode(self.0.get(..2).unwrap_or("").to_ascii_lowercase())
    }

    /// Whether a string is shaped like an IBAN (2 letters, 2 digits, then letters and digits,
    /// 15–34 characters in all), so that an MT account line can be validated as one rather than
    /// taken as a local account number with a typo hidden in it.
    pub fn looks_like_iban(s: &str) -> bool {
        let s: String = s.chars().filter(|c| *c != ' ').collect();
        let b = s.as_bytes();
        (15..=34).contains(&b.len())
            && b[..2].iter().all(|c| c.is_ascii_uppercase())
            && b[2..4].iter().all(|c| c.is_ascii_digit())
            && b[4..].iter().all(|c| c.is_ascii_alphanumeric())
            && interdict_model::country::is_country_code(&s[..2].to_ascii_lowercase())
    }
}

impl FromStr for Iban {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>();
        let s = s.to_ascii_uppercase();
        match s.parse::<iban::Iban>() {
            Ok(iban) => Ok(Iban(iban.electronic_str().to_string())),
            Err(iban::ParseIbanError::InvalidBaseIban { source }) => Err(match source {
                iban::ParseBaseIbanError::InvalidChecksum => format!(
                    "{}: IBAN check digits {:?} are wrong (ISO 7064 mod 97-10)",
                    quoted(raw),
                    s.get(2..4).unwrap_or("")
                ),
                iban::ParseBaseIbanError::InvalidFormat => format!(
                    "{} is not an IBAN (2-letter country, 2 check digits, up to 30 letters or \
                     digits)",
                    quoted(raw)
                ),
            }),
            Err(iban::ParseIbanError::InvalidBban(_)) => Err(format!(
                "{}: the account part does not follow the {} IBAN format",
                quoted(raw),
                s.get(..2).unwrap_or("")
            )),
            Err(iban::ParseIbanError::UnknownCountry(_)) => Err(format!(
                "{}: {:?} is not a country that issues IBANs",
                quoted(raw),
                s.get(..2).unwrap_or("")
            )),
        }
    }
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Iban);

// ---------------------------------------------------------------------------------------------
// ISIN
// ---------------------------------------------------------------------------------------------

/// An International Securities Identification Number (ISO 6166), validated by the `isin`
/// crate including its check digit: Directive 1 turns on which instrument is bought, so a
/// mistyped ISIN must not silently name another bond.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Isin(String);

impl Isin {
    /// The 12-character ISIN.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 2-letter prefix: the issuing country, or `XS` for international securities cleared
    /// through Euroclear/Clearstream (Eurobonds).
    pub fn prefix(&self) -> &str {
        self.0.get(..2).unwrap_or("")
    }
}

impl FromStr for Isin {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_ascii_uppercase();
        match isin::parse(&s) {
            Ok(parsed) => Ok(Isin(parsed.to_string())),
            Err(isin::Error::IncorrectCheckDigit { was, expected }) => Err(format!(
                "{}: ISIN check digit is {}, expected {} (ISO 6166 Luhn over the letters' \
                 values)",
                quoted(raw),
                char::from(was),
                char::from(expected)
            )),
            Err(isin::Error::InvalidValueStringLength { .. }) => Err(format!(
                "{} is not an ISIN (12 characters, found {})",
                quoted(raw),
                s.chars().count()
            )),
            Err(isin::Error::InvalidPrefix { .. }) => Err(format!(
                "{}: ISIN prefix (characters 1–2) is not two letters",
                quoted(raw)
            )),
            Err(isin::Error::InvalidBasicCode { .. }) => Err(format!(
                "{}: ISIN basic code (characters 3–11) is not nine letters or digits",
                quoted(raw)
            )),
            Err(isin::Error::InvalidCheckDigit { .. }) => Err(format!(
                "{}: ISIN check digit (character 12) is not a digit",
                quoted(raw)
            )),
            Err(_) => Err(format!("{} is not an ISIN", quoted(raw))),
        }
    }
}

impl fmt::Display for Isin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Isin);

// ---------------------------------------------------------------------------------------------
// Country
// ---------------------------------------------------------------------------------------------

/// A country or territory as a lower-case code, as FollowTheMoney and the rest of interdict
/// write it (`by`, `ru`, `xk`).
///
/// Parsing (`"BY"`, `"by"`, `"BLR"`, `"Belarus"`) goes through
/// [`interdict_model::country_code`]; message readers that must see a 2-letter code use
/// [`CountryCode::from_iso2`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(String);

impl CountryCode {
    /// A 2-letter ISO 3166 code as a message field carries it (`BY`); anything else, names
    /// included, is refused.
    pub fn from_iso2(raw: &str) -> Result<CountryCode, String> {
        let s = raw.trim();
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(format!(
                "{} is not a 2-letter ISO 3166 country code",
                quoted(raw)
            ));
        }
        let cc = s.to_ascii_lowercase();
        if interdict_model::country::is_country_code(&cc) {
            Ok(CountryCode(cc))
        } else {
            Err(format!("{} is not an ISO 3166 country code", quoted(raw)))
        }
    }

    /// The lower-case code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The English name (`Belarus`), for explanations.
    pub fn name(&self) -> Option<&'static str> {
        interdict_model::country_name(&self.0)
    }
}

impl FromStr for CountryCode {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        interdict_model::country_code(raw.trim())
            .map(|c| CountryCode(c.to_string()))
            .ok_or_else(|| format!("{} is not a known country code or name", quoted(raw)))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(CountryCode);

// ---------------------------------------------------------------------------------------------
// Currency
// ---------------------------------------------------------------------------------------------

/// An ISO 4217 currency code (`USD`, `EUR`, `BYN`). Checked for shape (three letters), not
/// against the list of active currencies: historic codes such as `BYR` still appear in old
/// contracts, and refusing a payment for an unlisted currency would be worse than passing it on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(String);

impl Currency {
    /// The upper-case code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Currency {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Currency(s.to_ascii_uppercase()))
        } else {
            Err(format!(
                "{} is not an ISO 4217 currency code (three letters)",
                quoted(raw)
            ))
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(Currency);

// ---------------------------------------------------------------------------------------------
// Goods code
// ---------------------------------------------------------------------------------------------

/// A goods classification code: Harmonized System chapter (2 digits), heading (4), subheading
/// (6), EU Combined Nomenclature (8) or TARIC (10).
///
/// Written with or without spaces and dots (`3104 20`, `3104.20`, `310420`) and held as digits.
/// Import bans name codes at any of these levels ("CN 3104 20"), so a declared code matches a
/// ban when one is a prefix of the other: see [`GoodsCode::within`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoodsCode(String);

impl GoodsCode {
    /// The digits (`310420`).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The HS chapter (first two digits, `31`).
    pub fn chapter(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }

    /// Whether this code falls under `broader` (`31042010` is within `3104 20` and `31`).
    pub fn within(&self, broader: &GoodsCode) -> bool {
        self.0.starts_with(&broader.0)
    }
}

impl FromStr for GoodsCode {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let mut digits = String::new();
        for c in raw.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' => {}
                other => {
                    return Err(format!(
                        "{}: HS/CN goods codes are digits (spaces and dots allowed), found {other:?}",
                        quoted(raw)
                    ));
                }
            }
        }
        if ![2, 4, 6, 8, 10].contains(&digits.len()) {
            return Err(format!(
                "{}: a goods code has 2, 4, 6 (HS), 8 (CN) or 10 (TARIC) digits, found {}",
                quoted(raw),
                digits.len()
            ));
        }
        let chapter: u32 = digits.get(..2).and_then(|c| c.parse().ok()).unwrap_or(0);
        if !(1..=97).contains(&chapter) || chapter == 77 {
            return Err(format!(
                "{}: HS chapter {:02} does not exist (chapters are 01–97, 77 reserved)",
                quoted(raw),
                chapter
            ));
        }
        Ok(GoodsCode(digits))
    }
}

impl fmt::Display for GoodsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

string_serde!(GoodsCode);

// ---------------------------------------------------------------------------------------------
// Amount
// ---------------------------------------------------------------------------------------------

/// A non-negative decimal amount or quantity, kept exactly as written (`75000.00`).
///
/// Licences have thresholds ("reportable above USD 50,000"), so amounts are compared exactly,
/// never through floating point. Compares by value (`75000` == `75000.00`); displays with the
/// scale it was written with.
#[derive(Debug, Clone, Copy)]
pub struct Amount {
    mantissa: u128,
    scale: u8,
}

const MAX_DIGITS: usize = 30;
const MAX_SCALE: usize = 8;

impl Amount {
    /// A whole amount (`50_000`), for thresholds.
    pub fn whole(units: u64) -> Amount {
        Amount {
            mantissa: units.into(),
            scale: 0,
        }
    }

    /// Parse a decimal written with `separator` (`.` for ISO 20022 and JSON, `,` for SWIFT MT,
    /// where `75000,` is a valid amount).
    pub fn parse_with(raw: &str, separator: char) -> Result<Amount, String> {
        let s = raw.trim();
        let (int, frac) = match s.split_once(separator) {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits_only(int) || !digits_only(frac) {
            return Err(format!(
                "{} is not a non-negative decimal amount (digits, one {separator:?} separator)",
                quoted(raw)
            ));
        }
        if int.len() + frac.len() > MAX_DIGITS || frac.len() > MAX_SCALE {
            return Err(format!(
                "{} has too many digits (at most {MAX_DIGITS}, {MAX_SCALE} after the separator)",
                quoted(raw)
            ));
        }
        let mut mantissa: u128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa * 10 + u128::from(b - b'0');
        }
        Ok(Amount {
            mantissa,
            scale: frac.len() as u8,
        })
    }

    /// The amount as a floating-point number, for display and statistics only.
    pub fn to_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(i32::from(self.scale))
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    fn scaled(&self, scale: u8) -> u128 {
        self.mantissa * 10u128.pow(u32::from(scale - self.scale))
    }
}

impl FromStr for Amount {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Amount::parse_with(s, '.')
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.scaled(scale).cmp(&other.scaled(scale))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.to_string();
        let scale = usize::from(self.scale);
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{int}.{frac}")
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    /// Accepts a string (`"75000.00"`, exact) or a JSON number (`75000`, `75000.5`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative decimal amount, as a string (\"75000.00\") or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount::whole(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                u64::try_from(v)
                    .map(Amount::whole)
                    .map_err(|_| E::custom(format!("{v} is negative; amounts are non-negative")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Amount, E> {
                if !v.is_finite() || v < 0.0 {
                    return Err(E::custom(format!("{v} is not a non-negative amount")));
                }
                format!("{v}").parse().map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bic_rules() {
        let b: Bic = "BLBBBY2X".parse().unwrap();
        assert_eq!(b.country().as_str(), "by");
        assert_eq!(b.institution(), "BLBBBY2X");
        let b: Bic = "citius33xxx".parse().unwrap();
        assert_eq!(b.as_str(), "CITIUS33XXX");
        assert_eq!(b.branch(), None);
        let e = "DEUTDEFFXX".parse::<Bic>().unwrap_err();
        assert_eq!(
            e,
            "\"DEUTDEFFXX\" is not a BIC (8 or 11 characters, found 10)"
        );
        assert!(
            "DEUTQQFF"
                .parse::<Bic>()
                .unwrap_err()
                .contains("\"QQ\" is not an ISO 3166")
        );
        assert!(
            "DEUT1EFF"
                .parse::<Bic>()
                .unwrap_err()
                .contains("not two letters")
        );
        assert!(
            "DEUT-EFF"
                .parse::<Bic>()
                .unwrap_err()
                .contains("letters and digits")
        );
        assert!("ДЕУТDEFF".parse::<Bic>().is_err());
    }

    #[test]
    fn iban_rules() {
        let i: Iban = "BY89 AKBB 3012 0000 4181 9000 0000".parse().unwrap();
        assert_eq!(i.as_str(), "BY89AKBB30120000418190000000");
        assert_eq!(i.country().as_str(), "by");
        let e = "BY88AKBB30120000418190000000".parse::<Iban>().unwrap_err();
        assert!(e.contains("check digits \"88\" are wrong"), "{e}");
        assert!("DE89370400440532013000".parse::<Iban>().is_ok());
        assert!(Iban::looks_like_iban("DE89370400440532013000"));
        assert!(!Iban::looks_like_iban("4401239876"));
    }

    #[test]
    fn isin_rules() {
        // The Republic of Belarus 6.378 % notes due 2031 (prospectus [S43]).
        let i: Isin = "XS2178857954".parse().unwrap();
        assert_eq!(i.prefix(), "XS");
        let e = "XS2178857955".parse::<Isin>().unwrap_err();
        assert!(e.contains("check digit is 5, expected 4"), "{e}");
        assert!("XS21788579".parse::<Isin>().is_err());
    }

    #[test]
    fn goods_codes() {
        let g: GoodsCode = "3104 20".parse().unwrap();
        assert_eq!(g.digits(), "310420");
        let cn: GoodsCode = "3104.20.10".parse().unwrap();
        assert!(cn.within(&g));
        assert!(!g.within(&cn));
        assert!(
            "31042"
                .parse::<GoodsCode>()
                .unwrap_err()
                .contains("found 5")
        );
        assert!("3104 2X".parse::<GoodsCode>().unwrap_err().contains("'X'"));
        assert!(
            "9901"
                .parse::<GoodsCode>()
                .unwrap_err()
                .contains("chapter 99")
        );
    }

    #[test]
    fn amounts_compare_exactly() {
        let a: Amount = "75000.00".parse().unwrap();
        assert_eq!(a.to_string(), "75000.00");
        assert!(a > Amount::whole(50_000));
        assert_eq!(a, Amount::whole(75_000));
        assert_eq!(
            Amount::parse_with("75000,", ',').unwrap().to_string(),
            "75000"
        );
        assert_eq!(Amount::parse_with("0,5", ',').unwrap().to_string(), "0.5");
        assert!("-1".parse::<Amount>().is_err());
        assert!("1.2.3".parse::<Amount>().is_err());
        assert!("".parse::<Amount>().is_err());
        let big = "9".repeat(31);
        assert!(big.parse::<Amount>().is_err());
        let max = format!("{}.{}", "9".repeat(22), "9".repeat(8));
        assert!(max.parse::<Amount>().unwrap() > Amount::whole(u64::MAX));
    }

    #[test]
    fn countries() {
        assert_eq!("Belarus".parse::<CountryCode>().unwrap().as_str(), "by");
        assert_eq!(CountryCode::from_iso2("BY").unwrap().as_str(), "by");
        assert!(CountryCode::from_iso2("Belarus").is_err());
        assert!(CountryCode::from_iso2("QQ").is_err());
    }
}
