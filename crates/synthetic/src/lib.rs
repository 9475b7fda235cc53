//! Realistic synthetic listed entities, generated from a seed.
//!
//! There is no million-entity sanctions list to benchmark or scale-test against, and the real
//! lists may not be redistributed in every form. This crate generates entities that look like
//! listed ones where it matters to a matcher, an ownership engine or a store: people with
//! Russian, Belarusian, Ukrainian, Arabic, Spanish, English and Chinese names (original script
//! beside romanisations, patronymics, several aliases, skewed name frequencies), companies with
//! legal forms in several languages (ООО, ОАО, LLC, GmbH, S.A.), vessels with IMO numbers,
//! aircraft, birth dates at year or day precision, nationalities, passport and registration
//! numbers, addresses. The same seed always gives the same entities.
//!
//! ```
//! use interdict_synthetic::Generator;
//! let mut g = Generator::new(42);
//! let first: Vec<_> = g.by_ref().take(3).collect();
//! let again: Vec<_> = Generator::new(42).take(3).collect();
//! assert_eq!(first, again);
//! assert!(first.iter().all(|e| e.has("name")));
//! ```
//!
//! What it does not do: produce relations between entities (ownership generators build those
//! on top of these entities), sanctions records, or text that reads like a real remark.

pub mod pools;
pub mod rng;

use interdict_model::{Entity, Schema};
use interdict_names::translit::cyrillic::{self, CyrillicLanguage, Romanisation};
pub use rng::Rng;

use pools::*;

/// The mix of entities to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Mix {
    /// Share of people.
    pub persons: f64,
    /// Share of companies and organisations.
    pub organizations: f64,
    /// Share of vessels (the rest are aircraft).
    pub vessels: f64,
}

impl Default for Mix {
    /// Roughly the OFAC SDN mix: half people, four in ten organisations, some vessels and
    /// aircraft.
    fn default() -> Self {
        Mix {
            persons: 0.52,
            organizations: 0.40,
            vessels: 0.05,
        }
    }
}

/// A generator of synthetic listed entities; an endless iterator.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: Rng,
    mix: Mix,
    next_id: u64,
    prefix: String,
}

/// The culture of a generated person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culture {
    /// Russian (Cyrillic original).
    Russian,
    /// Belarusian (Cyrillic original).
    Belarusian,
    /// Ukrainian (Cyrillic original).
    Ukrainian,
    /// Arabic (Arabic-script original).
    Arabic,
    /// Spanish / Latin American.
    Spanish,
    /// English.
    English,
    /// Chinese (Han original).
    Chinese,
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn title(s: &str) -> String {
    s.split(' ').map(cap).collect::<Vec<_>>().join(" ")
}

impl Generator {
    /// A generator with the default mix and ids `syn-1`, `syn-2` …
    pub fn new(seed: u64) -> Generator {
        Generator::with_mix(seed, Mix::default())
    }

    /// A generator with a given mix.
    pub fn with_mix(seed: u64, mix: Mix) -> Generator {
        Generator {
            rng: Rng::new(seed),
            mix,
            next_id: 1,
            prefix: "syn".into(),
        }
    }

    /// Use another id prefix (`{prefix}-{n}`), so that several generated sets do not collide.
    pub fn with_prefix(mut self, prefix: &str) -> Generator {
        self.prefix = prefix.to_string();
        self
    }

    /// The random source, for callers generating related data with the same seed.
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    fn id(&mut self) -> String {
        let id = format!("{}-{}", self.prefix, self.next_id);
        self.next_id += 1;
        id
    }

    /// The next entity.
    pub fn entity(&mut self) -> Entity {
        let x = self.rng.below(1_000_000) as f64 / 1_000_000.0;
        if x < self.mix.persons {
            self.person()
        } else if x < self.mix.persons + self.mix.organizations {
            self.organization()
        } else if x < self.mix.persons + self.mix.organizations + self.mix.vessels {
            self.vessel()
        } else {
            self.airplane()
        }
    }

    fn culture(&mut self) -> Culture {
        match self.rng.below(100) {
            0..=17 => Culture::Russian,
            18..=23 => Culture::Belarusian,
            24..=31 => Culture::Ukrainian,
            32..=55 => Culture::Arabic,
            56..=69 => Culture::Spanish,
            70..=85 => Culture::English,
            _ => Culture::Chinese,
        }
    }

    fn slavic_surname(&mut self, lang: CyrillicLanguage, female: bool) -> String {
        let suffixes = match lang {
            CyrillicLanguage::Belarusian => BE_SUFFIXES,
            CyrillicLanguage::Ukrainian => UK_SUFFIXES,
            _ => RU_SUFFIXES,
        };
        let mut root = SLAVIC_ROOTS[self.rng.skewed(SLAVIC_ROOTS.len())].to_string();
        // Compound roots widen the vocabulary the way real family names do.
        if self.rng.chance(0.35) {
            let second = self.rng.pick(SLAVIC_ROOTS).to_lowercase();
            root.push_str(&second);
        }
        let (m, f) = *self.rng.pick(suffixes);
        format!("{root}{}", if female { f } else { m })
    }

    fn patronymic(father: &str, lang: CyrillicLanguage, female: bool) -> String {
        let base = father.trim_end_matches(['й', 'ь']);
        let soft = father.ends_with('й') || father.ends_with('ь');
        let stem = if father.ends_with('а') || father.ends_with('я') {
            &father[..father.len() - 2]
        } else {
            base
        };
        match (lang, female, soft) {
            (CyrillicLanguage::Belarusian, false, _) => format!("{stem}авіч"),
            (CyrillicLanguage::Belarusian, true, _) => format!("{stem}аўна"),
            (CyrillicLanguage::Ukrainian, false, _) => format!("{stem}ович"),
            (CyrillicLanguage::Ukrainian, true, _) => format!("{stem}івна"),
            (_, false, true) => format!("{stem}евич"),
            (_, false, false) => format!("{stem}ович"),
            (_, true, true) => format!("{stem}евна"),
            (_, true, false) => format!("{stem}овна"),
        }
    }

    fn birth_date(&mut self, e: &mut Entity) {
        if !self.rng.chance(0.8) {
            return;
        }
        let year = self.rng.range(1935, 2002);
        let value = match self.rng.below(10) {
            0..=5 => format!(
                "{year}-{:02}-{:02}",
                self.rng.range(1, 12),
                self.rng.range(1, 28)
            ),
            6 => format!("{year}-{:02}", self.rng.range(1, 12)),
            _ => format!("{year}"),
        };
        e.set("birthDate", value, None);
        if self.rng.chance(0.1) {
            e.set("birthDate", format!("{}", year + 1), None);
        }
    }

    fn passport(&mut self, e: &mut Entity, country: &str) {
        if self.rng.chance(0.4) {
            let letters = ["MP", "AB", "KH", "N", "P", "E", "G"];
            let n = format!(
                "{}{:07}",
                self.rng.pick(&letters),
                self.rng.below(10_000_000)
            );
            e.set("passportNumber", n, None);
        }
        if self.rng.chance(0.2) {
            let n = format!(
                "{}{:09}",
                country.to_uppercase(),
                self.rng.below(1_000_000_000)
            );
            e.set("idNumber", n, None);
        }
    }

    fn address(&mut self, e: &mut Entity) {
        if self.rng.chance(0.3) {
            let (city, country) = *self.rng.pick(CITIES);
            let street = format!(
                "{} {}",
                self.rng.pick(EN_FAMILY),
                self.rng.pick(&["Street", "Avenue", "Road", "Prospekt"])
            );
            e.set(
                "address",
                format!("{} {street}, {city}", self.rng.range(1, 200)),
                None,
            );
            e.set("country", country, None);
        }
    }

    /// A person of a random culture.
    pub fn person(&mut self) -> Entity {
        let c = self.culture();
        self.person_of(c)
    }

    /// A person of the given culture.
    pub fn person_of(&mut self, culture: Culture) -> Entity {
        let id = self.id();
        let mut e = Entity::new(id, Schema::named("Person"));
        let female = self.rng.chance(0.2);
        e.set("gender", if female { "female" } else { "male" }, None);
        let o: Option<&str> = None;
        match culture {
            Culture::Russian | Culture::Belarusian | Culture::Ukrainian => {
                let (lang, male, fem, country) = match culture {
                    Culture::Belarusian => (CyrillicLanguage::Belarusian, BE_MALE, BE_FEMALE, "by"),
                    Culture::Ukrainian => (CyrillicLanguage::Ukrainian, UK_MALE, UK_FEMALE, "ua"),
                    _ => (CyrillicLanguage::Russian, RU_MALE, RU_FEMALE, "ru"),
                };
                let given = if female {
                    fem[self.rng.skewed(fem.len())]
                } else {
                    male[self.rng.skewed(male.len())]
                };
                let father = male[self.rng.skewed(male.len())];
                let family = self.slavic_surname(lang, female);
                let patronymic = Generator::patronymic(father, lang, female);
                let cyr = format!("{family} {given} {patronymic}");
                let roman = |sys| title(&cyrillic::romanise(&cyr, lang, sys));
                let bgn = roman(Romanisation::Bgn);
                let mut parts = bgn.split(' ');
                let (f, g, p) = (
                    parts.next().unwrap_or(""),
                    parts.next().unwrap_or(""),
                    parts.next().unwrap_or(""),
                );
                e.set("name", format!("{}, {g} {p}", f.to_uppercase()), o);
                if self.rng.chance(0.6) {
                    e.set("alias", &cyr, o);
                }
                for sys in [
                    Romanisation::Icao,
                    Romanisation::German,
                    Romanisation::French,
                ] {
                    if self.rng.chance(0.3) {
                        let r = roman(sys);
                        let mut w = r.split(' ');
                        let (f, g) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
                        e.set("alias", format!("{}, {g}", f.to_uppercase()), o);
                    }
                }
                if self.rng.chance(0.3) {
                    e.set("alias", format!("{g} {f}"), o);
                }
                e.set("nationality", country, o);
            }
            Culture::Arabic => {
                let (g_ar, g_lat) = AR_GIVEN[self.rng.skewed(AR_GIVEN.len())];
                let (f_ar, f_lat) = AR_GIVEN[self.rng.skewed(AR_GIVEN.len())];
                let (fam_ar, fam_lat) = *self.rng.pick(AR_FAMILY);
                let pick = |rng: &mut Rng, v: &[&str]| v[rng.below(v.len())].to_string();
                let g = pick(&mut self.rng, g_lat);
                let f = pick(&mut self.rng, f_lat);
                let fam = pick(&mut self.rng, fam_lat);
                e.set("name", format!("{g} {f} {fam}"), o);
                if self.rng.chance(0.5) {
                    e.set("alias", format!("{g_ar} {f_ar} {fam_ar}"), o);
                }
                if self.rng.chance(0.5) {
                    let g2 = pick(&mut self.rng, g_lat);
                    e.set("alias", format!("{g2} {fam}"), o);
                }
                if self.rng.chance(0.3) {
                    let k = self.rng.below(AR_GIVEN.len());
                    let son = pick(&mut self.rng, AR_GIVEN[k].1);
                    e.set("weakAlias", format!("Abu {son}"), o);
                }
                let country = *self
                    .rng
                    .pick(&["iq", "sy", "ye", "lb", "sa", "eg", "ly", "ae"]);
                e.set("nationality", country, o);
            }
            Culture::Spanish => {
                let g = ES_GIVEN[self.rng.skewed(ES_GIVEN.len())];
                let g2 = self.rng.pick(ES_GIVEN);
                let f1 = ES_FAMILY[self.rng.skewed(ES_FAMILY.len())];
                let f2 = self.rng.pick(ES_FAMILY);
                e.set(
                    "name",
                    format!("{} {}, {g}", f1.to_uppercase(), f2.to_uppercase()),
                    o,
                );
                if self.rng.chance(0.4) {
                    e.set("alias", format!("{g} {g2} {f1}"), o);
                }
                if self.rng.chance(0.2) {
                    e.set("weakAlias", format!("El {}", self.rng.pick(EN_FAMILY)), o);
                }
                let country = *self.rng.pick(&["co", "mx", "ve", "pa", "cu", "pe"]);
                e.set("nationality", country, o);
            }
            Culture::English => {
                let g = EN_GIVEN[self.rng.skewed(EN_GIVEN.len())];
                let m = self.rng.pick(EN_GIVEN);
                let f = EN_FAMILY[self.rng.skewed(EN_FAMILY.len())];
                let name = if self.rng.chance(0.4) {
                    format!("{}, {g} {m}", f.to_uppercase())
                } else {
                    format!("{}, {g}", f.to_uppercase())
                };
                e.set("name", name, o);
                if self.rng.chance(0.2) {
                    e.set("alias", format!("{} {f}", &g[..1]), o);
                }
                let country = *self.rng.pick(&["us", "gb", "ca", "au"]);
                e.set("nationality", country, o);
            }
            Culture::Chinese => {
                let f = ZH_FAMILY[self.rng.skewed(ZH_FAMILY.len())];
                let n = 1 + self.rng.below(2);
                let given: String = (0..n).map(|_| *self.rng.pick(ZH_GIVEN)).collect();
                let han = format!("{f}{given}");
                let py = |s: &str| s.chars().map(any_ascii_lower).collect::<Vec<_>>();
                let fam = cap(&py(f).concat());
                let giv = cap(&py(&given).concat());
                e.set("name", format!("{} {giv}", fam.to_uppercase()), o);
                e.set("alias", &han, o);
                e.set("nationality", "cn", o);
            }
        }
        self.birth_date(&mut e);
        let country = e.first("nationality").unwrap_or("xx").to_string();
        self.passport(&mut e, &country);
        self.address(&mut e);
        e
    }

    /// An organisation or company.
    pub fn organization(&mut self) -> Entity {
        let id = self.id();
        let schema = if self.rng.chance(0.8) {
            "Company"
        } else {
            "Organization"
        };
        let mut e = Entity::new(id, Schema::named(schema));
        let o: Option<&str> = None;
        if self.rng.chance(0.35) {
            // A Russian-style compound name in Cyrillic with a legal form, and its romanisations.
            let n = 2 + self.rng.below(2);
            let mut stem = String::new();
            for _ in 0..n {
                let m = RU_ORG_MORPHEMES[self.rng.skewed(RU_ORG_MORPHEMES.len())];
                if stem.is_empty() {
                    stem.push_str(m)
                } else {
                    stem.push_str(&m.to_lowercase())
                }
            }
            let (form_cyr, form_lat) = *self.rng.pick(&[
                ("ООО", "LLC"),
                ("ОАО", "OJSC"),
                ("ЗАО", "CJSC"),
                ("ПАО", "PJSC"),
                ("АО", "JSC"),
            ]);
            let latin = cyrillic::romanise(&stem, CyrillicLanguage::Russian, Romanisation::Bgn)
                .to_uppercase();
            e.set(
                "name",
                format!(
                    "{latin} {}",
                    cyrillic::romanise(form_cyr, CyrillicLanguage::Russian, Romanisation::Bgn)
                        .to_uppercase()
                ),
                o,
            );
            e.set("alias", format!("{form_cyr} «{stem}»"), o);
            if self.rng.chance(0.5) {
                e.set("alias", format!("{form_lat} {latin}"), o);
            }
            let country = *self.rng.pick(&["ru", "by", "ru", "kz"]);
            e.set("country", country, o);
            if self.rng.chance(0.5) {
                e.set(
                    "registrationNumber",
                    format!(
                        "{}",
                        1_000_000_000_000u64 + self.rng.next_u64() % 8_999_999_999_999
                    ),
                    o,
                );
            }
        } else {
            let n = 1 + self.rng.below(3);
            let mut words: Vec<String> = Vec::new();
            if self.rng.chance(0.3) {
                words.push(self.rng.pick(CITIES).0.to_uppercase());
            }
            for _ in 0..n {
                let w = ORG_WORDS[self.rng.skewed(ORG_WORDS.len())].to_uppercase();
                if !words.contains(&w) {
                    words.push(w);
                }
            }
            if self.rng.chance(0.4) {
                // A coined distinctive word, as most company names have.
                let a = self.rng.pick(EN_FAMILY);
                let b = self.rng.pick(ORG_WORDS);
                words.insert(
                    0,
                    format!(
                        "{}{}",
                        &a[..a.len().min(4)],
                        &b[..b.len().min(4)].to_lowercase()
                    )
                    .to_uppercase(),
                );
            }
            let (forms, countries): (&[&str], &[&str]) = match self.rng.below(5) {
                0 => (&["GMBH", "AG"], &["de", "at", "ch"]),
                1 => (&["S.A.", "S.A. DE C.V.", "LTDA"], &["mx", "co", "pa", "ve"]),
                2 => (&["FZE", "FZCO", "LLC"], &["ae"]),
                3 => (&["CO., LTD.", "LIMITED"], &["cn", "hk"]),
                _ => (
                    &["LLC", "LTD", "INC", "CORP", "PLC"],
                    &["us", "gb", "cy", "tr", "ir", "sy"],
                ),
            };
            let form = *self.rng.pick(forms);
            let base = words.join(" ");
            e.set("name", format!("{base} {form}"), o);
            if self.rng.chance(0.3) {
                e.set("alias", &base, o);
            }
            if self.rng.chance(0.15) {
                let acronym: String = words.iter().filter_map(|w| w.chars().next()).collect();
                if acronym.len() >= 2 {
                    e.set("alias", acronym, o);
                }
            }
            e.set("country", *self.rng.pick(countries), o);
            if self.rng.chance(0.4) {
                e.set(
                    "registrationNumber",
                    format!("{:08}", self.rng.below(100_000_000)),
                    o,
                );
            }
        }
        self.address(&mut e);
        e
    }

    /// A vessel with an IMO number.
    pub fn vessel(&mut self) -> Entity {
        let id = self.id();
        let mut e = Entity::new(id, Schema::named("Vessel"));
        let o: Option<&str> = None;
        let a = ORG_WORDS[self.rng.skewed(ORG_WORDS.len())].to_uppercase();
        let b = self.rng.pick(&[
            "STAR", "SPIRIT", "GLORY", "PRIDE", "WAVE", "QUEEN", "PEARL", "HOPE", "DAWN", "BREEZE",
        ]);
        e.set("name", format!("{a} {b}"), o);
        if self.rng.chance(0.3) {
            let c = self.rng.pick(ORG_WORDS).to_uppercase();
            e.set("previousName", format!("{c} {b}"), o);
        }
        e.set(
            "imoNumber",
            format!("IMO {}", 9_000_000 + self.rng.below(999_999)),
            o,
        );
        e.set(
            "flag",
            *self
                .rng
                .pick(&["pa", "lr", "mh", "ir", "kp", "tz", "km", "sl"]),
            o,
        );
        if self.rng.chance(0.5) {
            e.set(
                "callSign",
                format!(
                    "{}{}",
                    self.rng.pick(&["3E", "A8", "V7", "EP", "HP"]),
                    self.rng.range(100, 999)
                ),
                o,
            );
        }
        e
    }

    /// An aircraft with a registration and a serial number.
    pub fn airplane(&mut self) -> Entity {
        let id = self.id();
        let mut e = Entity::new(id, Schema::named("Airplane"));
        let o: Option<&str> = None;
        let prefix = *self.rng.pick(&["EP", "YK", "EW", "RA", "UP", "YI"]);
        let letters: String = (0..3)
            .map(|_| (b'A' + self.rng.below(26) as u8) as char)
            .collect();
        e.set("name", format!("{prefix}-{letters}"), o);
        e.set(
            "serialNumber",
            format!("{}", 10_000 + self.rng.below(90_000)),
            o,
        );
        e.set(
            "model",
            *self.rng.pick(&[
                "IL-76TD", "A310", "B747-200", "AN-124", "TU-204", "B737-300",
            ]),
            o,
        );
        e
    }
}

fn any_ascii_lower(c: char) -> String {
    interdict_names::fold(
        &interdict_names::translit::latin_forms(&c.to_string(), interdict_names::Script::Han, &[])
            .first()
            .map(|(_, w)| {
                w.iter()
                    .map(|w| w.text.clone())
                    .collect::<Vec<_>>()
                    .join("")
            })
            .unwrap_or_default(),
    )
}

impl Iterator for Generator {
    type Item = Entity;
    fn next(&mut self) -> Option<Entity> {
        Some(self.entity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_every_kind() {
        let mut g = Generator::new(1);
        let all: Vec<Entity> = g.by_ref().take(2_000).collect();
        for s in ["Person", "Company", "Vessel", "Airplane"] {
            assert!(all.iter().any(|e| e.schema == Schema::named(s)), "{s}");
        }
        assert!(all.iter().any(|e| {
            e.values("alias")
                .any(|a| a.chars().any(|c| ('а'..='я').contains(&c)))
        }));
        assert!(
            all.iter()
                .any(|e| e.values("alias").any(|a| a.contains('م')))
        );
        assert!(all.iter().any(|e| e.has("imoNumber")));
        assert!(all.iter().any(|e| e.has("birthDate")));
        let ids: std::collections::HashSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn slavic_names_read_right() {
        let mut g = Generator::new(3);
        let p = g.person_of(Culture::Belarusian);
        let name = p.first("name").unwrap();
        assert!(name.contains(", "), "{name}");
        assert_eq!(
            Generator::patronymic("Аляксандр", CyrillicLanguage::Belarusian, false),
            "Аляксандравіч"
        );
        assert_eq!(
            Generator::patronymic("Григорий", CyrillicLanguage::Russian, false),
            "Григориевич"
        );
    }
}
