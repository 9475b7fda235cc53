//! The evaluation set: reading `eval/*.jsonl`, running it against an index, and reporting
//! recall per class and the alert rate on near misses.

#![allow(dead_code, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;

use interdict_matching::{Index, Options, Query};
use interdict_model::{Entity, Schema};
use serde::{Deserialize, Serialize};

/// One evaluation query.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    /// A stable id (`typo-0007`).
    pub id: String,
    /// The kind of variation (`typo`, `cyrillic` …) or near miss (`near-surname` …).
    pub class: String,
    /// `positive` (must be found) or `negative` (must not alert).
    pub kind: String,
    pub schema: String,
    pub names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// The listed entity a positive must find.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<String>,
    /// The listed name the case was made from, for reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Case {
    pub fn query(&self) -> Query {
        let mut q = Query::new(
            Schema::get(&self.schema).unwrap_or(Schema::named("Thing")),
            "",
        );
        q.names = self.names.clone();
        q.birth_dates = self.birth_dates.clone();
        q.countries = self.countries.clone();
        q
    }
}

pub fn read(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).expect("eval file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("eval line"))
        .collect()
}

#[derive(Debug, Default, Clone)]
pub struct ClassResult {
    pub total: usize,
    /// Positives found above the threshold / negatives that alerted.
    pub hits: usize,
    pub failures: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub classes: BTreeMap<String, (String, ClassResult)>,
}

impl Report {
    pub fn positives(&self) -> (usize, usize) {
        self.sum("positive")
    }

    /// Near misses: negatives other than listed names with another birth date.
    pub fn negatives(&self) -> (usize, usize) {
        self.classes
            .iter()
            .filter(|(c, (k, _))| k == "negative" && *c != "dob-conflict")
            .fold((0, 0), |(h, t), (_, (_, r))| (h + r.hits, t + r.total))
    }

    fn sum(&self, kind: &str) -> (usize, usize) {
        self.classes
            .values()
            .filter(|(k, _)| k == kind)
            .fold((0, 0), |(h, t), (_, r)| (h + r.hits, t + r.total))
    }

    pub fn rate(&self, class: &str) -> f64 {
        self.classes
            .get(class)
            .map(|(_, r)| r.hits as f64 / r.total.max(1) as f64)
            .unwrap_or(0.0)
    }

    pub fn print(&self, title: &str) {
        println!("## {title}");
        println!("| class | kind | n | rate |");
        println!("|---|---|---|---|");
        for (class, (kind, r)) in &self.classes {
            let what = if kind == "positive" {
                "found"
            } else {
                "alerted"
            };
            println!(
                "| {class} | {kind} | {} | {:.1} % {what} |",
                r.total,
                100.0 * r.hits as f64 / r.total.max(1) as f64
            );
        }
        let (ph, pt) = self.positives();
        let (nh, nt) = self.negatives();
        if pt > 0 {
            println!(
                "| **all variants** | positive | {pt} | **{:.1} % found** |",
                100.0 * ph as f64 / pt as f64
            );
        }
        if nt > 0 {
            println!(
                "| **all near misses** | negative | {nt} | **{:.1} % alerted** |",
                100.0 * nh as f64 / nt as f64
            );
        }
    }

    /// One line: variants found and near misses alerting, with the worst classes.
    pub fn summary(&self) -> String {
        let (ph, pt) = self.positives();
        let (nh, nt) = self.negatives();
        let mut s = String::new();
        if pt > 0 {
            s.push_str(&format!(
                "variants {ph}/{pt} found ({:.1} %)",
                100.0 * ph as f64 / pt as f64
            ));
        }
        if nt > 0 {
            s.push_str(&format!(
                "; near misses {nh}/{nt} alerting ({:.1} %)",
                100.0 * nh as f64 / nt as f64
            ));
        }
        s
    }

    pub fn print_failures(&self, max: usize) {
        for (class, (_, r)) in &self.classes {
            for f in r.failures.iter().take(max) {
                println!("  {class}: {f}");
            }
        }
    }
}

pub fn run(index: &Index, cases: &[Case], threshold: f64) -> Report {
    let opts = Options {
        limit: 10,
        threshold,
        cutoff: 0.3,
        explain: false,
        ..Options::default()
    };
    let mut report = Report::default();
    for c in cases {
        let results = index.search(&c.query(), &opts);
        let entry = report
            .classes
            .entry(c.class.clone())
            .or_insert_with(|| (c.kind.clone(), ClassResult::default()));
        entry.1.total += 1;
        if c.kind == "positive" {
            let expected = c.expect.as_deref().unwrap_or("");
            let found = results
                .iter()
                .any(|m| m.entity_id == expected && m.score >= threshold);
            if found {
                entry.1.hits += 1;
            } else {
                let got = results
                    .iter()
                    .find(|m| m.entity_id == expected)
                    .map(|m| m.score)
                    .unwrap_or(0.0);
                let top = results
                    .first()
                    .map(|m| format!("{} {:.2}", m.caption, m.score))
                    .unwrap_or_default();
                if std::env::var("EXPLAIN").is_ok() {
                    let wide = Options {
                        limit: 50,
                        cutoff: 0.0,
                        explain: true,
                        ..Options::default()
                    };
                    if let Some(m) = index
                        .search(&c.query(), &wide)
                        .into_iter()
                        .find(|m| m.entity_id == expected)
                        && let Some(n) = &m.name
                    {
                        entry.1.failures.push(format!("    {}", n.summary()));
                    }
                }
                entry.1.failures.push(format!(
                    "{:?} → {expected} scored {got:.2} (top: {top}) [{}]",
                    c.names,
                    c.source.as_deref().unwrap_or("")
                ));
            }
        } else {
            // A negative naming a listed entity (a listed name with another birth date) must not
            // alert on that entity; other negatives must not alert at all.
            let alert = results.iter().find(|m| {
                m.score >= threshold && c.expect.as_ref().is_none_or(|e| *e == m.entity_id)
            });
            if let Some(m) = alert {
                entry.1.hits += 1;
                entry.1.failures.push(format!(
                    "{:?} alerted on {} ({}) {:.2}",
                    c.names, m.caption, m.entity_id, m.score
                ));
            }
        }
    }
    report
}

/// UN entities with their original-script names removed, so that a query in Arabic script
/// can only be found through transliteration, never by reading back the listed Arabic.
pub fn without_original_script(entities: &[Entity]) -> Vec<Entity> {
    entities
        .iter()
        .map(|e| {
            let mut e = e.clone();
            for prop in ["name", "alias", "weakAlias", "previousName"] {
                if let Some(values) = e.properties.get_mut(prop) {
                    // Keep only the Latin part of every name ("Abou Mouhadjir (ابو مهاجر)"
                    // keeps "Abou Mouhadjir").
                    for v in values.iter_mut() {
                        let latin: String = v
                            .value
                            .chars()
                            .map(|c| {
                                if c.is_alphabetic() && !c.is_ascii() && !is_latin_letter(c) {
                                    ' '
                                } else {
                                    c
                                }
                            })
                            .collect();
                        v.value = latin
                            .replace("()", " ")
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                    }
                    values.retain(|v| v.value.chars().filter(|c| c.is_alphabetic()).count() >= 2);
                }
            }
            e.properties.retain(|_, v| !v.is_empty());
            e
        })
        .collect()
}

/// The Arabic-script part of a name that mixes scripts ("Abou Mouhadjir (ابو مهاجر)" →
/// "ابو مهاجر"), so that an Arabic query carries no Latin help.
pub fn arabic_part(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| {
            if ('\u{600}'..='\u{6FF}').contains(&c)
                || ('\u{750}'..='\u{77F}').contains(&c)
                || ('\u{FB50}'..='\u{FEFF}').contains(&c)
            {
                c
            } else {
                ' '
            }
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_latin_letter(c: char) -> bool {
    matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF)
}
