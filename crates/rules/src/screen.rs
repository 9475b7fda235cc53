//! Screening every part of a dealing: each party (names with birth date, countries,
//! identifiers and address), each agent's BIC, each account, and every free text (remittance
//! information, instructions), against the lists of the view; and the parties a measure names
//! (Directive 1's issuers) against the programmes' targets.

use std::collections::BTreeMap;

use interdict_dealings::{Account, FreeText, Party, PartyRole, PartySchema, TextKind};
use interdict_matching::{Filters, Index, Match, Options, Query, QueryIdentifier};
use interdict_model::Schema;

use crate::decision::{FeatureNote, Grade, Hit, ListedUnder, PartyFinding, Via};
use crate::load::Programmes;
use crate::programme::{Jurisdiction, ScreeningSettings};

/// The alert line below which matches are not even shown (yente's default threshold).
pub const ALERT_LINE: f64 = 0.70;

/// A role in words (`creditor agent`).
pub fn role_name(r: PartyRole) -> &'static str {
    match r {
        PartyRole::Debtor => "debtor",
        PartyRole::Creditor => "creditor",
        PartyRole::UltimateDebtor => "ultimate debtor",
        PartyRole::UltimateCreditor => "ultimate creditor",
        PartyRole::InitiatingParty => "initiating party",
        PartyRole::DebtorAgent => "debtor agent",
        PartyRole::CreditorAgent => "creditor agent",
        PartyRole::IntermediaryAgent => "intermediary agent",
        PartyRole::InstructingAgent => "instructing agent",
        PartyRole::InstructedAgent => "instructed agent",
        PartyRole::PreviousInstructingAgent => "previous instructing agent",
        PartyRole::ReimbursementAgent => "reimbursement agent",
        PartyRole::Invoicer => "invoicer",
        PartyRole::Invoicee => "invoicee",
        PartyRole::Importer => "importer",
        PartyRole::Exporter => "exporter",
        PartyRole::Producer => "producer",
        PartyRole::Consignee => "consignee",
        PartyRole::Carrier => "carrier",
        PartyRole::Issuer => "issuer",
        PartyRole::Broker => "broker",
        PartyRole::Traveller => "traveller",
        PartyRole::Counterparty => "counterparty",
        PartyRole::Other => "other party",
    }
}

/// Whether a role is a bank in the payment chain.
pub fn is_agent(r: PartyRole) -> bool {
    matches!(
        r,
        PartyRole::DebtorAgent
            | PartyRole::CreditorAgent
            | PartyRole::IntermediaryAgent
            | PartyRole::InstructingAgent
            | PartyRole::InstructedAgent
            | PartyRole::PreviousInstructingAgent
            | PartyRole::ReimbursementAgent
    )
}

/// Whether a role is a direct party to the dealing (as opposed to a producer, a carrier or a
/// bank, whose interest is indirect): GL 5 covers Belaruskali's interest only where it is not a
/// direct party.
pub fn is_direct(r: PartyRole) -> bool {
    matches!(
        r,
        PartyRole::Debtor
            | PartyRole::Creditor
            | PartyRole::UltimateDebtor
            | PartyRole::UltimateCreditor
            | PartyRole::InitiatingParty
            | PartyRole::Importer
            | PartyRole::Exporter
            | PartyRole::Consignee
            | PartyRole::Issuer
            | PartyRole::Traveller
            | PartyRole::Counterparty
    )
}

/// `creditor NAFTAN OAO`.
pub fn party_subject(p: &Party) -> String {
    let name = p
        .names
        .first()
        .cloned()
        .or_else(|| p.bic.as_ref().map(|b| format!("BIC {}", b.as_str())))
        .unwrap_or_else(|| "(no name)".into());
    format!("{} {name}", role_name(p.role))
}

/// The screening of a dealing's parts against the lists of one view, for one jurisdiction.
pub(crate) struct Screener<'a> {
    pub index: &'a Index,
    pub programmes: &'a Programmes,
    pub settings: &'a ScreeningSettings,
    pub jurisdiction: Jurisdiction,
}

impl Screener<'_> {
    /// Options searching the lists of the perspective only (`own`), or every other list: the
    /// perspective's lists are searched on their own, so that a strong match in another list
    /// cannot crowd them out of the results.
    fn options(&self, limit: usize, cutoff: f64, own: bool) -> Options {
        let datasets: Vec<String> = self
            .programmes
            .datasets_of(self.jurisdiction)
            .into_iter()
            .collect();
        let filters = if own {
            Filters {
                include_datasets: datasets,
                ..Filters::default()
            }
        } else {
            Filters {
                exclude_datasets: datasets,
                ..Filters::default()
            }
        };
        Options {
            limit,
            threshold: self.settings.review_line,
            cutoff,
            filters,
            explain: true,
        }
    }

    /// Screen one party: its names with its other attributes, and its BIC and account as
    /// identifiers.
    pub fn party(&self, p: &Party) -> PartyFinding {
        let mut screened = Vec::new();
        let schema = match p.schema {
            PartySchema::Person => Schema::named("Person"),
            PartySchema::Organisation => Schema::named("Organization"),
            PartySchema::Unknown if is_agent(p.role) => Schema::named("Organization"),
            PartySchema::Unknown => Schema::named("LegalEntity"),
        };
        let mut query = Query::new(schema, String::new());
        query.names = p
            .names
            .iter()
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .collect();
        if !query.names.is_empty() {
            screened.push(if query.names.len() == 1 {
                "name".to_string()
            } else {
                format!("{} names", query.names.len())
            });
        }
        if let Some(d) = &p.birth_date {
            query.birth_dates.push(d.to_string());
            screened.push(format!("birth date {d}"));
        }
        let mut countries: Vec<String> = Vec::new();
        if let Some(c) = &p.country {
            countries.push(c.as_str().to_string());
        }
        for n in &p.nationalities {
            if !countries.iter().any(|c| c == n.as_str()) {
                countries.push(n.as_str().to_string());
            }
        }
        if !countries.is_empty() {
            screened.push(format!("country {}", countries.join(", ")));
        }
        query.countries = countries.clone();
        for id in &p.identifiers {
            query.identifiers.push(QueryIdentifier {
                value: id.number.clone(),
                kind: Some(id.kind.clone()),
                country: id.country.as_ref().map(|c| c.as_str().to_string()),
            });
            screened.push(format!("{} {}", id.kind, id.number));
        }
        if let Some(bic) = &p.bic {
            query.identifiers.push(QueryIdentifier {
                value: bic.institution().to_string(),
                kind: Some("swift".into()),
                country: None,
            });
            if bic.branch().is_some() {
                query.identifiers.push(QueryIdentifier {
                    value: bic.as_str().to_string(),
                    kind: Some("swift".into()),
                    country: None,
                });
            }
            screened.push(format!("BIC {}", bic.as_str()));
        }
        match &p.account {
            Some(Account::Iban(iban)) => {
                query.identifiers.push(QueryIdentifier {
                    value: iban.as_str().to_string(),
                    kind: None,
                    country: None,
                });
                screened.push(format!("IBAN {}", iban.as_str()));
            }
            Some(Account::Other(o)) => {
                query.identifiers.push(QueryIdentifier {
                    value: o.id.clone(),
                    kind: None,
                    country: None,
                });
                screened.push(format!("account {}", o.id));
            }
            None => {}
        }
        let mut address: Vec<String> = p.address.clone();
        if let Some(t) = &p.town
            && !address.iter().any(|a| a.contains(t.as_str()))
        {
            address.push(t.clone());
        }
        if !address.is_empty() {
            query.addresses.push(address.join(", "));
            screened.push("address".into());
        }
        let mut hits: Vec<Hit> = Vec::new();
        if !query.names.is_empty() || !query.identifiers.is_empty() {
            let own = self.index.search(
                &query,
                &self.options(5, ALERT_LINE.min(self.settings.review_line), true),
            );
            let others = self
                .index
                .search(&query, &self.options(3, self.settings.review_line, false));
            for m in own.into_iter().chain(others) {
                let via = via_of(&m, query.names.is_empty(), p.bic.is_some());
                // An identifier-only query reaches entities through the identifier alone: keep
                // only those where the identifier did match.
                if query.names.is_empty() && m.feature("identifier_match").is_none() {
                    continue;
                }
                if !hits.iter().any(|h: &Hit| h.entity_id == m.entity_id) {
                    hits.push(self.hit(&m, via));
                }
            }
        }
        // A party confirmed as one listed entity is not also a possible match of the weaker,
        // similar names (BELINVESTSTROI beside BELINVESTBANK): those stay shown, not acted on.
        if hits.iter().any(|h| h.grade == Grade::Confirmed) {
            for h in &mut hits {
                if h.grade == Grade::Review {
                    h.grade = Grade::Below;
                    h.explanation.push_str(
                        " (the party is confirmed as another listed entity; this weaker match is not acted on)",
                    );
                }
            }
        }
        let mut notes = Vec::new();
        for c in &countries {
            for prog in self.programmes.of(self.jurisdiction) {
                if prog
                    .file
                    .programme
                    .countries
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(c))
                {
                    notes.push(format!(
                        "country {} is a country of the programme {} ({}); that alone is not a prohibition",
                        c.to_uppercase(),
                        prog.id(),
                        prog.file.programme.title
                    ));
                }
            }
        }
        PartyFinding {
            subject: party_subject(p),
            role: Some(p.role),
            field: p.source.clone(),
            screened,
            hits,
            notes,
        }
    }

    /// Screen a free text: every window of up to `text_window` consecutive words is searched as
    /// a name; a window counts when it scores at or above the text line, every word of it is
    /// matched and the listed name is not a weak alias.
    pub fn text(&self, t: &FreeText) -> PartyFinding {
        let words = text_words(&t.text);
        let mut best: BTreeMap<String, Hit> = BTreeMap::new();
        for start in 0..words.len() {
            for len in 1..=self.settings.text_window {
                let Some(window) = words.get(start..start + len) else {
                    break;
                };
                if STOP_WORDS.contains(&window[0].to_lowercase().as_str())
                    || STOP_WORDS.contains(&window[len - 1].to_lowercase().as_str())
                {
                    continue;
                }
                let letters: usize = window
                    .iter()
                    .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
                    .sum();
                if letters < 4 {
                    continue;
                }
                let phrase = window.join(" ");
                let query = Query::new(Schema::named("LegalEntity"), phrase.clone());
                for m in self.index.search(
                    &query,
                    &self.options(3, self.settings.text_line - 0.001, true),
                ) {
                    let Some(name) = &m.name else { continue };
                    if !name.unmatched_query.is_empty() || name.listed_property == "weakAlias" {
                        continue;
                    }
                    let mut hit = self.hit(&m, Via::Text);
                    hit.grade = Grade::Review;
                    hit.explanation = format!("the words \"{phrase}\": {}", hit.explanation);
                    match best.get(&hit.entity_id) {
                        Some(b) if b.score >= hit.score => {}
                        _ => {
                            best.insert(hit.entity_id.clone(), hit);
                        }
                    }
                }
            }
        }
        let mut hits: Vec<Hit> = best.into_values().collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.entity_id.cmp(&b.entity_id))
        });
        PartyFinding {
            subject: format!("{} text \"{}\"", text_kind_name(t.kind), t.text),
            role: None,
            field: t.source.clone(),
            screened: vec![format!(
                "{} words in windows of up to {}",
                words.len(),
                self.settings.text_window
            )],
            hits,
            notes: Vec::new(),
        }
    }

    /// A match as a hit, with its grade and the programmes of the perspective it is listed
    /// under.
    fn hit(&self, m: &Match, via: Via) -> Hit {
        let datasets: Vec<String> = self
            .index
            .entity_datasets(&m.entity_id)
            .into_iter()
            .map(str::to_string)
            .collect();
        let id_exact = m
            .feature("identifier_match")
            .is_some_and(|f| f.value >= 1.0);
        let grade = if m.score >= self.settings.decision_line || (id_exact && via != Via::Name) {
            Grade::Confirmed
        } else if m.score >= self.settings.review_line {
            Grade::Review
        } else {
            Grade::Below
        };
        let explanation = match (&m.name, m.feature("identifier_match")) {
            (_, Some(f)) if via == Via::Bic || via == Via::Identifier => format!(
                "{} {} equals listed {} ({})",
                if via == Via::Bic { "BIC" } else { "identifier" },
                f.query.clone().unwrap_or_default(),
                f.candidate.clone().unwrap_or_default(),
                f.detail
            ),
            (Some(n), _) => n.summary(),
            (None, _) => String::new(),
        };
        let features = m
            .yente_explanations()
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    FeatureNote {
                        detail: v.detail,
                        score: v.score,
                    },
                )
            })
            .collect();
        Hit {
            listed_under: self.listed_under(&m.entity_id, &datasets),
            entity_id: m.entity_id.clone(),
            caption: m.caption.clone(),
            datasets,
            score: m.score,
            grade,
            via,
            explanation,
            features,
        }
    }

    /// The programmes of the perspective an indexed entity is listed under: each of its list
    /// tags in each of its datasets, mapped by the programme files (or the catch-all).
    pub fn listed_under(&self, entity_id: &str, datasets: &[String]) -> Vec<ListedUnder> {
        let Some(entity) = self.index.entity(entity_id) else {
            return Vec::new();
        };
        let mut tags: Vec<&str> = entity.values("program").collect();
        if tags.is_empty() {
            tags.push("");
        }
        let mut out = Vec::new();
        for ds in datasets {
            for tag in &tags {
                if let Some((prog, inst)) =
                    self.programmes.programme_of_tag(self.jurisdiction, ds, tag)
                {
                    let instrument = prog
                        .file
                        .instruments
                        .iter()
                        .find(|i| i.id == inst)
                        .map(|i| i.short.clone())
                        .unwrap_or_else(|| inst.to_string());
                    let l = ListedUnder {
                        dataset: ds.clone(),
                        tag: tag.to_string(),
                        programme: prog.id().to_string(),
                        instrument,
                    };
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
        }
        out
    }
}

fn via_of(m: &Match, identifier_only: bool, has_bic: bool) -> Via {
    let id = m.feature("identifier_match");
    let name_score = m.feature("name_match").map(|f| f.value).unwrap_or(0.0);
    match id {
        Some(f) if identifier_only || name_score < 0.8 => {
            let is_bic = has_bic && f.candidate.as_deref().is_some_and(|c| c.contains("Swift"));
            if is_bic { Via::Bic } else { Via::Identifier }
        }
        _ => Via::Name,
    }
}

/// `remittance`, `instruction` …
pub fn text_kind_name(k: TextKind) -> &'static str {
    match k {
        TextKind::Remittance => "remittance",
        TextKind::Purpose => "purpose",
        TextKind::Instruction => "instruction",
        TextKind::Regulatory => "regulatory reporting",
        TextKind::Description => "description",
        TextKind::Supplementary => "supplementary",
        TextKind::Other => "other",
    }
}

/// Words that start or end no name worth searching.
const STOP_WORDS: &[&str] = &[
    "by", "of", "the", "and", "for", "to", "in", "on", "at", "from", "with", "per", "via", "a",
    "an", "or", "no", "inv", "ref", "invoice", "contract", "payment", "по", "и", "в", "на", "за",
    "от", "для", "с", "о",
];

/// The words of a free text, split at spaces and punctuation (hyphens and apostrophes kept
/// inside words), without pure numbers.
pub fn text_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '-' || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty() && w.chars().any(char::is_alphabetic))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            text_words(
                "Potash fertiliser MOP 60% K2O, 3000 t, produced by BELARUSKALI OAO, Soligorsk"
            ),
            [
                "Potash",
                "fertiliser",
                "MOP",
                "K2O",
                "t",
                "produced",
                "by",
                "BELARUSKALI",
                "OAO",
                "Soligorsk"
            ]
        );
        assert_eq!(
            text_words("/INV/MT-2023-0611 SPARE PARTS"),
            ["INV", "MT-2023-0611", "SPARE", "PARTS"]
        );
    }
}
