//! Countries and territories: ISO 3166-1 alpha-2 codes (lower case, as FtM writes them) plus the
//! FtM codes for territories and former states (`xk`, `suhh`, `yucs`).
//!
//! The table in `data/countries.csv` holds the ISO names and the other names the lists use
//! ("Burma", "Korea, North", "Russia"); matching a name ignores case, accents and punctuation.

use std::collections::HashMap;
use std::sync::OnceLock;

const COUNTRIES: &str = include_str!("../data/countries.csv");

struct Table {
    by_code: HashMap<&'static str, (&'static str, &'static str)>,
    by_name: HashMap<String, &'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for line in COUNTRIES.lines().skip(1) {
            let mut cols = line.splitn(3, ',');
            let (Some(code), Some(alpha3), Some(names)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let names = names.trim_matches('"');
            let first = names.split('|').next().unwrap_or(code);
            by_code.insert(code, (alpha3, first));
            by_name.insert(key(code), code);
            by_name.insert(key(alpha3), code);
            for n in names.split('|') {
                by_name.insert(key(n), code);
            }
        }
        Table { by_code, by_name }
    })
}

fn key(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'Å' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' => Some('e'),
            'í' | 'ì' | 'î' | 'ï' => Some('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => Some('o'),
            'ú' | 'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The code of a country named as the lists name it (`Belarus`, `BLR`, `by`, `Korea, North`).
pub fn country_code(name: &str) -> Option<&'static str> {
    let t = table();
    let k = key(name);
    if let Some(c) = t.by_name.get(&k) {
        return Some(c);
    }
    // "the Bahamas", "Republic of Belarus", "Belarus (Republic of)".
    let stripped = k.strip_prefix("the").unwrap_or(&k);
    t.by_name.get(stripped).copied()
}

/// The English name of a country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    table()
        .by_code
        .get(code.to_ascii_lowercase().as_str())
        .map(|(_, n)| *n)
}

/// The ISO alpha-3 code of a country code (`by` → `BLR`).
pub fn country_alpha3(code: &str) -> Option<&'static str> {
    table()
        .by_code
        .get(code.to_ascii_lowercase().as_str())
        .map(|(a, _)| *a)
}

/// Whether a string is a known country code.
pub fn is_country_code(code: &str) -> bool {
    table().by_code.contains_key(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        assert_eq!(country_code("Belarus"), Some("by"));
        assert_eq!(country_code("BLR"), Some("by"));
        assert_eq!(country_code("by"), Some("by"));
        assert_eq!(country_code("Russia"), Some("ru"));
        assert_eq!(country_code("Russian Federation"), Some("ru"));
        assert_eq!(country_code("Korea, North"), Some("kp"));
        assert_eq!(country_code("Burma"), Some("mm"));
        assert_eq!(country_code("Côte d'Ivoire"), Some("ci"));
        assert_eq!(country_code("Soviet Union"), Some("suhh"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(country_name("by"), Some("Belarus"));
        assert_eq!(country_alpha3("BY"), Some("BLR"));
    }
}
