//! The scorer's features and the index's filters on small hand-made lists.

use chrono::NaiveDate;
use interdict_matching::{
    EntityMeta, Filters, Index, IndexBuilder, IndexHandle, Options, Query, TextOptions,
};
use interdict_model::{Entity, Schema};

fn person(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(id, Schema::named("Person"));
    e.set("name", name, None);
    e
}

fn company(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(id, Schema::named("Company"));
    e.set("name", name, None);
    e
}

fn index(entities: Vec<(Entity, &str)>) -> Index {
    let mut b = IndexBuilder::new();
    for (e, ds) in entities {
        b.add(e, EntityMeta::dataset(ds));
    }
    b.build().expect("index")
}

fn all() -> Options {
    Options {
        limit: 20,
        cutoff: 0.0,
        ..Options::default()
    }
}

fn score(index: &Index, q: &Query, id: &str) -> f64 {
    index
        .search(q, &all())
        .into_iter()
        .find(|m| m.entity_id == id)
        .map(|m| m.score)
        .unwrap_or(0.0)
}

#[test]
fn legal_forms_weigh_little() {
    let i = index(vec![
        (company("naftan", "NAFTAN OAO"), "x"),
        (company("other", "NAFTAN TRADING HOUSE LLC"), "x"),
    ]);
    let q = Query::organization("Naftan");
    assert!(score(&i, &q, "naftan") > 0.9);
    // Another legal form of the same kind is the same legal form.
    assert!(score(&i, &Query::organization("Naftan OJSC"), "naftan") > 0.95);
    assert!(score(&i, &Query::organization("ОАО Нафтан"), "naftan") > 0.95);
    // A different legal form costs little; a different distinctive word costs a lot.
    assert!(score(&i, &Query::organization("Naftan LLC"), "naftan") > 0.85);
    assert!(score(&i, &q, "other") < 0.7);
}

#[test]
fn identifiers_are_strong_only_when_type_and_country_agree() {
    let mut e = person("p", "IVANOV, Ivan Ivanovich");
    e.set("passportNumber", "MP1234567", None);
    let mut doc = Entity::new("doc", Schema::named("Passport"));
    doc.set("holder", "p", None);
    doc.set("number", "MP 1234567", None);
    doc.set("country", "by", None);
    doc.set("type", "Passport", None);
    let mut b = IndexBuilder::new();
    b.add(e, EntityMeta::dataset("x"));
    b.add(doc, EntityMeta::dataset("x"));
    let i = b.build().unwrap();
    let strong = Query::person("Ivan Petrov").with_identifier(
        "mp-1234567",
        Some("passport"),
        Some("Belarus"),
    );
    let weak =
        Query::person("Ivan Petrov").with_identifier("MP1234567", Some("passport"), Some("ru"));
    let none = Query::person("Ivan Petrov");
    let (s, w, n) = (
        score(&i, &strong, "p"),
        score(&i, &weak, "p"),
        score(&i, &none, "p"),
    );
    assert!(s >= 0.9, "{s}");
    assert!(w > n && w < 0.9, "{w} {n}");
    let m = i.search(&strong, &all()).remove(0);
    assert_eq!(m.feature("identifier_match").map(|f| f.value), Some(1.0));
    // An identifier alone finds the entity.
    let mut id_only = Query::new(Schema::named("Person"), "");
    id_only.names.clear();
    id_only.identifiers = strong.identifiers.clone();
    assert_eq!(
        i.search(&id_only, &all())
            .first()
            .map(|m| m.entity_id.as_str()),
        Some("p")
    );
}

#[test]
fn birth_dates_years_ranges_and_gender() {
    let mut e = person("p", "SHEIMAN, Viktor Uladzimiravich");
    e.set("birthDate", "1958-05-26", None);
    e.set("gender", "male", None);
    let i = index(vec![(e, "x")]);
    let base = score(&i, &Query::person("Viktor Sheiman"), "p");
    let day = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1958-05-26"),
        "p",
    );
    let year = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1958"),
        "p",
    );
    let range = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1955..1960"),
        "p",
    );
    let swapped = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1958-05-26"),
        "p",
    );
    let off_by_one = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1959"),
        "p",
    );
    let far = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1975"),
        "p",
    );
    let outside = score(
        &i,
        &Query::person("Viktor Sheiman").with_birth_date("1970..1980"),
        "p",
    );
    assert!(
        day > year && year > base && range > base,
        "{day} {year} {range} {base}"
    );
    assert!(swapped >= year);
    assert!(
        off_by_one < base && far < off_by_one && far < 0.7,
        "{off_by_one} {far}"
    );
    assert!(outside < 0.7);
    let female = score(
        &i,
        &Query::person("Viktor Sheiman").with_gender("female"),
        "p",
    );
    assert!(female < base);
    let country = score(
        &i,
        &Query::person("Viktor Sheiman").with_country("Belarus"),
        "p",
    );
    assert!(country <= base + 1e-9, "no listed country: no effect");
}

#[test]
fn filters_are_applied() {
    let mut a = person("a", "KARPENKOV, Nikolai Nikolaevich");
    a.set("topics", "sanction", None);
    let b = person("b", "KARPENKOV, Nikolai");
    let mut builder = IndexBuilder::new();
    builder.add(
        a,
        EntityMeta {
            datasets: vec!["us_ofac_sdn".into()],
            last_change: NaiveDate::from_ymd_opt(2021, 6, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
            topics: vec![],
        },
    );
    builder.add(
        b,
        EntityMeta {
            datasets: vec!["eu_fsf".into()],
            last_change: NaiveDate::from_ymd_opt(2020, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)),
            topics: vec![],
        },
    );
    let i = builder.build().unwrap();
    let q = Query::person("Nikolai Karpenkov");
    let ids = |f: Filters| -> Vec<String> {
        let mut v: Vec<String> = i
            .search(
                &q,
                &Options {
                    filters: f,
                    ..all()
                },
            )
            .into_iter()
            .map(|m| m.entity_id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(Filters::default()), ["a", "b"]);
    assert_eq!(
        ids(Filters {
            include_datasets: vec!["eu_fsf".into()],
            ..Filters::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filters {
            exclude_datasets: vec!["eu_fsf".into()],
            ..Filters::default()
        }),
        ["a"]
    );
    assert_eq!(
        ids(Filters {
            topics: vec!["sanction".into()],
            ..Filters::default()
        }),
        ["a"]
    );
    assert_eq!(
        ids(Filters {
            exclude_entity_ids: vec!["a".into()],
            ..Filters::default()
        }),
        ["b"]
    );
    let since = NaiveDate::from_ymd_opt(2021, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
    assert_eq!(
        ids(Filters {
            changed_since: since,
            ..Filters::default()
        }),
        ["a"]
    );
    assert!(
        ids(Filters {
            exclude_schemata: vec![Schema::named("Person")],
            ..Filters::default()
        })
        .is_empty()
    );
    // A company query does not return people.
    assert!(
        i.search(&Query::organization("Nikolai Karpenkov"), &all())
            .is_empty()
    );
    assert_eq!(i.datasets().len(), 2);
    assert_eq!(i.dataset_entities("eu_fsf"), ["b"]);
}

#[test]
fn same_entity_from_two_datasets_is_merged() {
    let mut a = company("ofac-1", "BELSHINA OAO");
    a.set("country", "by", None);
    let mut b = company("ofac-1", "BELSHINA OAO");
    b.set("alias", "JSC BELSHINA", None);
    let mut builder = IndexBuilder::new();
    builder.add(a, EntityMeta::dataset("us_ofac_sdn"));
    builder.add(b, EntityMeta::dataset("us_ofac_cons"));
    let i = builder.build().unwrap();
    assert_eq!(i.len(), 1);
    assert_eq!(i.entity_datasets("ofac-1"), ["us_ofac_sdn", "us_ofac_cons"]);
    let e = i.entity("ofac-1").unwrap();
    assert!(e.has("alias") && e.has("country"));
}

#[test]
fn explanations_take_yentes_shape() {
    let mut e = person("p", "LUKASHENKA, Alyaksandr Hryhoryavich");
    e.set("birthDate", "1954-08-30", None);
    let i = index(vec![(e, "x")]);
    let m = i
        .search(
            &Query::person("Alexander Lukashenko").with_birth_date("1954"),
            &Options::default(),
        )
        .remove(0);
    let y = m.yente_explanations();
    assert!(y.contains_key("name_match") && y.contains_key("dob_match"));
    let json = serde_json::to_value(&y).unwrap();
    assert!(
        json["name_match"]["detail"]
            .as_str()
            .unwrap()
            .contains("'lukashenko'≈'lukashenka'")
    );
    assert_eq!(json["dob_match"]["candidate"], "1954-08-30");
    let n = m.name.unwrap();
    assert_eq!(n.listed_property, "name");
    assert!(
        n.unmatched_listed
            .iter()
            .any(|(w, role)| w == "hryhoryavich" && *role == "patronymic")
    );
}

#[test]
fn the_index_swaps_atomically() {
    let handle = IndexHandle::new(index(vec![(person("a", "ONE, First"), "x")]));
    let before = handle.load();
    let old = handle.swap(index(vec![(person("b", "TWO, Second"), "x")]));
    assert!(old.contains("a") && before.contains("a"));
    assert!(handle.load().contains("b") && !handle.load().contains("a"));
    // A search on the old snapshot still works after the swap.
    assert_eq!(
        before.search(&Query::person("First One"), &all())[0].entity_id,
        "a"
    );
}

#[test]
fn free_text_search() {
    let i = index(vec![
        (company("c", "BELARUSKALI OAO"), "x"),
        (person("p", "SHEIMAN, Viktor"), "x"),
    ]);
    let hits = i.search_text("belaruskali", &TextOptions::default());
    assert_eq!(hits[0].entity_id, "c");
    let hits = i.search_text("sheiman", &TextOptions::default());
    assert_eq!(hits[0].entity_id, "p");
}
