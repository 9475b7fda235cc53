//! The Belarus scenarios of the product brief on the real 2021-07 SDN list.

mod common;

use std::sync::OnceLock;

use interdict_matching::{Index, Options, Query};

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let t = std::time::Instant::now();
        let sdn = common::sdn_2021();
        let read = t.elapsed();
        let t = std::time::Instant::now();
        let index = common::build(&[("us_ofac_sdn", sdn)]);
        println!(
            "2021-07 SDN: read in {read:.2?}, indexed in {:.2?} ({} entities)",
            t.elapsed(),
            index.len()
        );
        index
    })
}

fn score_of(results: &[interdict_matching::Match], id: &str) -> f64 {
    results
        .iter()
        .find(|m| m.entity_id == id)
        .map(|m| m.score)
        .unwrap_or(0.0)
}

fn wide() -> Options {
    Options {
        limit: 20,
        cutoff: 0.0,
        ..Options::default()
    }
}

#[test]
fn every_spelling_finds_lukashenka() {
    for name in [
        "Alexander Lukashenko",
        "Александр Лукашенко",
        "Аляксандр Лукашэнка",
        "Loukachenko Alexandre",
        "Lukaschenko Alexander",
        "Łukaszenka Alaksandr",
        "Aliaksandr Lukashenka",
        "Lukašenka Aljaksandr",
        "Лукашенко Александр Григорьевич",
    ] {
        let r = index().search(&Query::person(name), &wide());
        assert_eq!(
            r.first().map(|m| m.entity_id.as_str()),
            Some("ofac-9760"),
            "{name}: {r:#?}"
        );
        assert!(r[0].is_match, "{name}: {}", r[0].score);
    }
}

#[test]
fn birth_date_lifts_and_a_different_one_drops() {
    let plain = score_of(
        &index().search(&Query::person("Alexander Lukashenko"), &wide()),
        "ofac-9760",
    );
    let same = score_of(
        &index().search(
            &Query::person("Alexander Lukashenko").with_birth_date("1954-08-30"),
            &wide(),
        ),
        "ofac-9760",
    );
    let other = score_of(
        &index().search(
            &Query::person("Alexander Lukashenko").with_birth_date("1975"),
            &wide(),
        ),
        "ofac-9760",
    );
    assert!(same > plain, "{same} > {plain}");
    assert!(plain >= 0.7, "{plain}");
    assert!(other < 0.7, "{other}");
    let exact_other = score_of(
        &index().search(
            &Query::person("LUKASHENKA, Alyaksandr Hryhoryavich").with_birth_date("1975"),
            &wide(),
        ),
        "ofac-9760",
    );
    assert!(exact_other < 0.7, "{exact_other}");
}

#[test]
fn father_clearly_above_son() {
    let r = index().search(&Query::person("Alexander Lukashenko"), &wide());
    let father = score_of(&r, "ofac-9760");
    let son = score_of(&r, "ofac-9797");
    assert!(father - son >= 0.2, "father {father} son {son}");
    assert!(son < 0.7, "son {son}");
    // Asking for the son finds the son.
    let r = index().search(&Query::person("Viktor Lukashenko"), &wide());
    assert_eq!(r[0].entity_id, "ofac-9797");
}

#[test]
fn explanation_names_the_words() {
    let r = index().search(&Query::person("Alexander Lukashenko"), &Options::default());
    let m = &r[0];
    let n = m.name.as_ref().expect("explained");
    // The best of the 34 listed spellings is the one shown.
    assert_eq!(n.listed_name, "LUKASHENKO, Alexander Hryhoryavich");
    assert!(
        n.unmatched_listed
            .iter()
            .any(|(_, role)| *role == "patronymic"),
        "{n:#?}"
    );
    let y = m.yente_explanations();
    assert!(
        y["name_match"]
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("'alexander'≈'alexander'")
    );
    // A Ukrainian spelling meets the Belarusian one through the given-name classes.
    let r = index().search(&Query::person("Oleksandr Lukashenko"), &Options::default());
    let n = r[0].name.as_ref().expect("explained");
    assert!(
        n.words
            .iter()
            .any(|w| w.query == "oleksandr" && w.method == "equivalent"),
        "{n:#?}"
    );
}

#[test]
fn belarusian_state_companies() {
    for (q, id) in [
        ("Naftan", "ofac-12860"),
        ("OJSC Naftan", "ofac-12860"),
        ("ОАО Нафтан", "ofac-12860"),
        ("Open Joint Stock Company Naftan", "ofac-12860"),
        ("Grodno Azot", "ofac-12861"),
        ("Belshina JSC", "ofac-12863"),
    ] {
        let r = index().search(&Query::organization(q), &wide());
        assert_eq!(
            r.first().map(|m| m.entity_id.as_str()),
            Some(id),
            "{q}: {r:#?}"
        );
        assert!(r[0].is_match, "{q}");
    }
}
