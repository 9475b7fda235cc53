//! The store's test suite. It runs on SQLite by default and on PostgreSQL with
//! `INTERDICT_TEST_DATABASE=postgres://…`; every test gets a fresh store of its own.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use interdict_model::{Entity, EntityChange, ImportMode, ListRecord, PropertyChange, Schema};
use interdict_store::testing::{RowCounts, test_store};
use interdict_store::{NewVersion, Store, StoreError};

type Records = Vec<Result<ListRecord, std::io::Error>>;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn person(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(id, Schema::named("Person"));
    e.set("name", name, Some("sdn.csv:name"));
    e.set("birthDate", "1954-08-30", Some("sdn.csv:remarks"));
    e
}

fn company(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(id, Schema::named("Company"));
    e.set("name", name, Some("sdn.csv:name"));
    e.set("country", "by", Some("add.csv:country"));
    e
}

fn sanction(id: &str, target: &str, program: &str) -> Entity {
    let mut e = Entity::new(id, Schema::named("Sanction"));
    e.set("entity", target, Some("sdn.csv:ent_num"));
    e.set("program", program, Some("sdn.csv:program"));
    e
}

fn full(entities: Vec<Entity>) -> Records {
    entities
        .into_iter()
        .map(|e| Ok(ListRecord::Entity(e)))
        .collect()
}

fn draft(dataset: &str, sha: &str, published: Option<&str>, mode: ImportMode) -> NewVersion {
    NewVersion {
        dataset: dataset.into(),
        format: "ofac-csv".into(),
        mode,
        published: published.map(date),
        sha256: sha.into(),
        files: vec!["sdn.csv".into(), "alt.csv".into()],
    }
}

fn v1_entities() -> Vec<Entity> {
    vec![
        person("ofac-9760", "LUKASHENKA, Alyaksandr Hryhoryavich"),
        company("ofac-100", "BELSHINA OAO"),
        sanction("ofac-sanc-9760", "ofac-9760", "BELARUS"),
    ]
}

fn v2_entities() -> Vec<Entity> {
    vec![
        person("ofac-9760", "LUKASHENKA, Alyaksandr Ryhorovich"),
        company("ofac-32746", "BELARUSKALI OAO"),
        sanction("ofac-sanc-9760", "ofac-9760", "BELARUS"),
    ]
}

/// v1 (2021-07-01) and v2 (2021-08-18) of us_ofac_sdn; returns their ids.
async fn two_versions(store: &Store) -> (i64, i64) {
    let d1 = draft("us_ofac_sdn", "sha-1", Some("2021-07-01"), ImportMode::Full);
    let v1 = store.import(d1, full(v1_entities())).await.unwrap();
    let d2 = draft("us_ofac_sdn", "sha-2", Some("2021-08-18"), ImportMode::Full);
    let v2 = store.import(d2, full(v2_entities())).await.unwrap();
    assert!(v1.created && v2.created);
    (v1.version.id, v2.version.id)
}

#[tokio::test]
async fn import_records_a_version_that_reads_back() {
    let store = test_store().await;
    let outcome = store
        .import(
            draft("us_ofac_sdn", "sha-1", Some("2021-07-01"), ImportMode::Full),
            full(v1_entities()),
        )
        .await
        .unwrap();
    assert!(outcome.created);
    let v = &outcome.version;
    assert_eq!(v.entity_count, 3);
    assert_eq!(v.published, Some(date("2021-07-01")));
    assert_eq!(v.files, vec!["sdn.csv", "alt.csv"]);
    assert_eq!(store.version(v.id).await.unwrap().as_ref(), Some(v));
    assert_eq!(store.versions().await.unwrap(), vec![v.clone()]);
    assert_eq!(
        store.latest_version("us_ofac_sdn").await.unwrap().as_ref(),
        Some(v)
    );
    assert_eq!(store.datasets().await.unwrap(), vec!["us_ofac_sdn"]);
    assert_eq!(store.version(v.id + 100).await.unwrap(), None);

    let entities: Vec<Entity> = store
        .entities(v.id)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let mut expected = v1_entities();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        entities, expected,
        "bodies round-trip with provenance, sorted by id"
    );
    assert!(matches!(
        store.entities(v.id + 100).await,
        Err(StoreError::VersionNotFound(_))
    ));

    // Reopening sees the same data.
    let again = store.reopen().await.unwrap();
    assert_eq!(again.versions().await.unwrap(), vec![v.clone()]);
}

#[tokio::test]
async fn diff_shows_added_removed_and_property_changes() {
    let store = test_store().await;
    let (v1, v2) = two_versions(&store).await;
    let changes = store.diff(v1, v2).await.unwrap();
    assert_eq!(
        changes,
        vec![
            EntityChange::Removed {
                id: "ofac-100".into(),
                schema: Schema::named("Company"),
                caption: "BELSHINA OAO".into()
            },
            EntityChange::Added {
                id: "ofac-32746".into(),
                schema: Schema::named("Company"),
                caption: "BELARUSKALI OAO".into()
            },
            EntityChange::Changed {
                id: "ofac-9760".into(),
                schema: Schema::named("Person"),
                caption: "LUKASHENKA, Alyaksandr Ryhorovich".into(),
                old_schema: None,
                properties: vec![PropertyChange {
                    property: "name".into(),
                    added: vec!["LUKASHENKA, Alyaksandr Ryhorovich".into()],
                    removed: vec!["LUKASHENKA, Alyaksandr Hryhoryavich".into()],
                }],
            },
        ]
    );
    // Backwards, added and removed swap.
    let back = store.diff(v2, v1).await.unwrap();
    assert!(matches!(&back[0], EntityChange::Added { id, .. } if id == "ofac-100"));
    assert!(store.diff(v1, v1).await.unwrap().is_empty());
    assert!(matches!(
        store.diff(v1, 999).await,
        Err(StoreError::VersionNotFound(999))
    ));
}

#[tokio::test]
async fn diff_refuses_versions_of_different_datasets() {
    let store = test_store().await;
    let (v1, _) = two_versions(&store).await;
    let un = store
        .import(
            draft("un_sc_sanctions", "sha-un", None, ImportMode::Full),
            full(vec![company("un-1", "X")]),
        )
        .await
        .unwrap();
    let err = store.diff(v1, un.version.id).await.unwrap_err();
    assert!(matches!(err, StoreError::DatasetMismatch { .. }));
    assert!(err.to_string().contains("us_ofac_sdn") && err.to_string().contains("un_sc_sanctions"));
}

#[tokio::test]
async fn as_of_picks_the_version_in_force() {
    let store = test_store().await;
    let (v1, v2) = two_versions(&store).await;
    let at = |d: &'static str| {
        let store = &store;
        async move {
            store
                .version_as_of("us_ofac_sdn", date(d))
                .await
                .unwrap()
                .map(|v| v.id)
        }
    };
    assert_eq!(at("2021-06-30").await, None);
    assert_eq!(at("2021-07-01").await, Some(v1));
    assert_eq!(at("2021-08-17").await, Some(v1));
    assert_eq!(at("2021-08-18").await, Some(v2));
    assert_eq!(at("2030-01-01").await, Some(v2));
    assert_eq!(
        store
            .version_as_of("nope", date("2030-01-01"))
            .await
            .unwrap(),
        None
    );

    let then = store
        .entity("ofac-9760", Some(date("2021-07-15")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        then.entity.first("name"),
        Some("LUKASHENKA, Alyaksandr Hryhoryavich")
    );
    assert_eq!(then.version_id, v1);
    let now = store.entity("ofac-9760", None).await.unwrap().unwrap();
    assert_eq!(
        now.entity.first("name"),
        Some("LUKASHENKA, Alyaksandr Ryhorovich")
    );
    assert_eq!(now.version_id, v2);
    assert_eq!(now.dataset, "us_ofac_sdn");

    // Belaruskali appears with v2, Belshina is gone from it.
    assert!(
        store
            .entity("ofac-32746", Some(date("2021-07-15")))
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.entity("ofac-32746", None).await.unwrap().is_some());
    assert!(
        store
            .entity("ofac-100", Some(date("2021-07-15")))
            .await
            .unwrap()
            .is_some()
    );
    assert!(store.entity("ofac-100", None).await.unwrap().is_none());
    assert!(
        store
            .entity("ofac-100", Some(date("2021-01-01")))
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.entity("unknown", None).await.unwrap().is_none());

    let as_of: Vec<_> = store
        .entities_as_of(date("2021-07-15"))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(as_of.iter().all(|e| e.version_id == v1));
    assert_eq!(as_of.len(), 3);
}

#[tokio::test]
async fn back_filled_older_file_does_not_become_latest() {
    let store = test_store().await;
    let d2 = draft("us_ofac_sdn", "sha-2", Some("2021-08-18"), ImportMode::Full);
    let v2 = store.import(d2, full(v2_entities())).await.unwrap().version;
    let d1 = draft("us_ofac_sdn", "sha-1", Some("2021-07-01"), ImportMode::Full);
    let v1 = store.import(d1, full(v1_entities())).await.unwrap().version;
    assert!(v1.id > v2.id);
    assert_eq!(
        store.latest_version("us_ofac_sdn").await.unwrap(),
        Some(v2.clone())
    );
    let dated: Vec<i64> = store
        .dataset_versions("us_ofac_sdn")
        .await
        .unwrap()
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(dated, vec![v1.id, v2.id]);
    // Re-importing the newest file is still a no-op.
    let again = store
        .import(
            draft("us_ofac_sdn", "sha-2", Some("2021-08-18"), ImportMode::Full),
            full(v2_entities()),
        )
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.version, v2);
}

#[tokio::test]
async fn stored_entity_dates_and_history() {
    let store = test_store().await;
    let (v1, v2) = two_versions(&store).await;
    // v3 (2021-09-01): nothing changes but a value's provenance.
    let mut v3_entities = v2_entities();
    v3_entities[0].properties.get_mut("birthDate").unwrap()[0].origin = Some("elsewhere".into());
    let v3 = store
        .import(
            draft("us_ofac_sdn", "sha-3", Some("2021-09-01"), ImportMode::Full),
            full(v3_entities),
        )
        .await
        .unwrap()
        .version
        .id;

    let e = store.entity("ofac-9760", None).await.unwrap().unwrap();
    assert_eq!(e.version_id, v3);
    assert_eq!(e.first_seen, date("2021-07-01"));
    assert_eq!(e.last_seen, date("2021-09-01"));
    assert_eq!(
        e.last_change,
        date("2021-08-18"),
        "a provenance change is not a change"
    );
    assert_eq!(
        e.entity.properties["birthDate"][0].origin.as_deref(),
        Some("elsewhere")
    );
    let old = store
        .entity("ofac-9760", Some(date("2021-08-01")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (old.first_seen, old.last_seen, old.last_change),
        (date("2021-07-01"), date("2021-07-01"), date("2021-07-01"))
    );

    let history = store.history("ofac-9760").await.unwrap();
    let ids: Vec<i64> = history.iter().map(|h| h.version.id).collect();
    assert_eq!(ids, vec![v1, v2, v3]);
    assert!(
        matches!(&history[0].change, Some(EntityChange::Added { caption, .. }) if caption.contains("Hryhoryavich"))
    );
    let Some(EntityChange::Changed { properties, .. }) = &history[1].change else {
        panic!("expected a change in v2: {:?}", history[1])
    };
    assert_eq!(properties.len(), 1);
    assert_eq!(properties[0].property, "name");
    assert_eq!(history[2].change, None);

    let gone = store.history("ofac-100").await.unwrap();
    assert_eq!(gone.len(), 2);
    assert!(matches!(gone[0].change, Some(EntityChange::Added { .. })));
    assert!(
        matches!(&gone[1].change, Some(EntityChange::Removed { caption, .. }) if caption == "BELSHINA OAO")
    );
    assert_eq!(gone[1].version.id, v2);
    assert!(store.history("nobody").await.unwrap().is_empty());

    // v3 stored no new record for the unchanged company and sanction.
    let counts = store.row_counts().await.unwrap();
    assert_eq!(counts.versions, 3);
    assert_eq!(counts.records, 3 + 2 + 1);
    assert_eq!(counts.memberships, 9);
}

#[tokio::test]
async fn reimport_of_any_earlier_input_is_a_no_op() {
    let store = test_store().await;
    let (v1, v2) = two_versions(&store).await;
    let before = store.row_counts().await.unwrap();
    let consumed = AtomicUsize::new(0);
    let records = v2_entities().into_iter().map(|e| {
        consumed.fetch_add(1, Ordering::Relaxed);
        Ok::<_, std::io::Error>(ListRecord::Entity(e))
    });
    let outcome = store
        .import(
            draft("us_ofac_sdn", "sha-2", Some("2021-08-18"), ImportMode::Full),
            records,
        )
        .await
        .unwrap();
    assert!(!outcome.created);
    assert_eq!(outcome.version.id, v2);
    assert_eq!(
        consumed.load(Ordering::Relaxed),
        0,
        "the input is not even read"
    );
    assert_eq!(store.row_counts().await.unwrap(), before);

    // An earlier input imported again (e.g. a sync that re-fetched an old copy) is a no-op too:
    // it returns the version that input made and writes nothing.
    let outcome = store
        .import(
            draft("us_ofac_sdn", "sha-1", Some("2021-09-01"), ImportMode::Full),
            full(v1_entities()),
        )
        .await
        .unwrap();
    assert!(!outcome.created);
    assert_eq!(outcome.version.id, v1);
    assert_eq!(store.row_counts().await.unwrap(), before);
}

#[tokio::test]
async fn a_failing_stream_rolls_everything_back() {
    let store = test_store().await;
    let (_, v2) = two_versions(&store).await;
    let before = store.row_counts().await.unwrap();
    let records = (0..1000).map(|i| {
        if i == 500 {
            Err(std::io::Error::other(
                "sdn.csv line 501: wrong column count",
            ))
        } else {
            Ok(ListRecord::Entity(sanction(
                &format!("x-{i}"),
                "ofac-9760",
                "SDGT",
            )))
        }
    });
    let err = store
        .import(
            draft("us_ofac_sdn", "sha-bad", None, ImportMode::Full),
            records,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Record { index: 500, .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("us_ofac_sdn") && msg.contains("500") && msg.contains("line 501"),
        "{msg}"
    );
    assert_eq!(store.row_counts().await.unwrap(), before);
    assert_eq!(
        store
            .latest_version("us_ofac_sdn")
            .await
            .unwrap()
            .unwrap()
            .id,
        v2
    );

    // On an empty store too: no version, no rows.
    let empty = test_store().await;
    let records = (0..1000).map(|i| {
        if i == 500 {
            Err(std::io::Error::other("boom"))
        } else {
            Ok(ListRecord::Entity(person(
                &format!("p-{i}"),
                &format!("Person {i}"),
            )))
        }
    });
    assert!(
        empty
            .import(draft("d", "s", None, ImportMode::Full), records)
            .await
            .is_err()
    );
    assert_eq!(empty.row_counts().await.unwrap(), RowCounts::default());
    assert!(empty.versions().await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_records_and_drafts_are_errors_not_panics() {
    let store = test_store().await;
    let records = vec![Ok::<_, std::io::Error>(ListRecord::Entity(Entity::new(
        " ",
        Schema::named("Person"),
    )))];
    let err = store
        .import(draft("d", "s", None, ImportMode::Full), records)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InvalidRecord { index: 0, .. }),
        "{err}"
    );
    let err = store
        .import(draft("", "s", None, ImportMode::Full), Records::new())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidDraft { .. }));
    let err = store
        .import(draft("d", "", None, ImportMode::Full), Records::new())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidDraft { .. }));
    let records: Records = vec![Ok(ListRecord::Delete("ofac-1".into()))];
    let err = store
        .import(draft("d", "s", None, ImportMode::Full), records)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DeleteInFullImport { .. }));
    assert!(err.to_string().contains("ofac-1"));
    assert_eq!(store.row_counts().await.unwrap(), RowCounts::default());
    // An empty full list is a valid (empty) version.
    let v = store
        .import(draft("d", "s", None, ImportMode::Full), Records::new())
        .await
        .unwrap();
    assert_eq!(v.version.entity_count, 0);
}

#[tokio::test]
async fn duplicate_ids_in_one_import_are_merged() {
    let store = test_store().await;
    let mut a = Entity::new("ofac-1", Schema::named("LegalEntity"));
    a.set("name", "NAFTAN", Some("sdn.csv:name"));
    let mut b = Entity::new("ofac-1", Schema::named("Company"));
    b.set("alias", "NOVOPOLOTSK REFINERY", Some("alt.csv:1"));
    let v = store
        .import(draft("d", "s", None, ImportMode::Full), full(vec![a, b]))
        .await
        .unwrap();
    assert_eq!(v.version.entity_count, 1);
    let e = store.entity("ofac-1", None).await.unwrap().unwrap().entity;
    assert_eq!(e.schema, Schema::named("Company"));
    assert_eq!(e.first("alias"), Some("NOVOPOLOTSK REFINERY"));
    assert_eq!(e.first("name"), Some("NAFTAN"));
}

#[tokio::test]
async fn delta_adds_modifies_and_deletes() {
    let store = test_store().await;
    let base = store
        .import(
            draft("os", "sha-1", Some("2024-01-01"), ImportMode::Full),
            full(v1_entities()),
        )
        .await
        .unwrap()
        .version;
    let records: Records = vec![
        Ok(ListRecord::Entity(person(
            "ofac-9760",
            "LUKASHENKA, Alyaksandr Ryhorovich",
        ))),
        Ok(ListRecord::Entity(company("ofac-32746", "BELARUSKALI OAO"))),
        Ok(ListRecord::Delete("ofac-100".into())),
        // Added and deleted within the same delta.
        Ok(ListRecord::Entity(company("tmp-1", "TEMP"))),
        Ok(ListRecord::Delete("tmp-1".into())),
    ];
    let delta = store
        .import(
            draft("os", "sha-2", Some("2024-01-02"), ImportMode::Delta),
            records,
        )
        .await
        .unwrap()
        .version;
    assert_eq!(delta.entity_count, 3);
    let ids: Vec<String> = store
        .entities(delta.id)
        .await
        .unwrap()
        .map_ok(|e| e.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, vec!["ofac-32746", "ofac-9760", "ofac-sanc-9760"]);
    let changes = store.diff(base.id, delta.id).await.unwrap();
    let kinds: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| match c {
            EntityChange::Added { id, .. } => ("added", id.as_str()),
            EntityChange::Removed { id, .. } => ("removed", id.as_str()),
            EntityChange::Changed { id, .. } => ("changed", id.as_str()),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("removed", "ofac-100"),
            ("added", "ofac-32746"),
            ("changed", "ofac-9760")
        ]
    );

    // Deleting an id the latest version does not hold aborts the whole delta.
    let before = store.row_counts().await.unwrap();
    let records: Records = vec![
        Ok(ListRecord::Entity(company("ofac-5", "NEW"))),
        Ok(ListRecord::Delete("ofac-100".into())),
    ];
    let err = store
        .import(draft("os", "sha-3", None, ImportMode::Delta), records)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::UnknownDelete { entity_id, index: 1, .. } if entity_id == "ofac-100"),
        "{err}"
    );
    assert!(err.to_string().contains("\"ofac-100\""));
    assert_eq!(store.row_counts().await.unwrap(), before);

    // A delta on a dataset with no version starts from nothing.
    let first = store
        .import(
            draft("fresh", "sha-x", None, ImportMode::Delta),
            full(vec![company("c-1", "C")]),
        )
        .await
        .unwrap();
    assert_eq!(first.version.entity_count, 1);
}

#[tokio::test]
async fn reverted_content_reuses_its_record() {
    let store = test_store().await;
    let a = person("p-1", "A");
    let b = person("p-1", "B");
    for (i, e) in [a.clone(), b, a].into_iter().enumerate() {
        let published = format!("2024-01-0{}", i + 1);
        let d = draft("d", &format!("sha-{i}"), Some(&published), ImportMode::Full);
        store.import(d, full(vec![e])).await.unwrap();
    }
    assert_eq!(store.row_counts().await.unwrap().records, 2);
    let e = store.entity("p-1", None).await.unwrap().unwrap();
    assert_eq!(e.entity.first("name"), Some("A"));
    assert_eq!(e.last_change, date("2024-01-03"));
    let history = store.history("p-1").await.unwrap();
    assert_eq!(history.len(), 3);
    assert!(history.iter().all(|h| h.change.is_some()));
}

#[tokio::test]
async fn referencing_finds_sanctions_and_links() {
    let store = test_store().await;
    let (_, _) = two_versions(&store).await;
    let mut address = Entity::new("ofac-addr-1", Schema::named("Address"));
    address.set("full", "Minsk", Some("add.csv:address"));
    let mut owner = Entity::new("ofac-own-1", Schema::named("Ownership"));
    owner.set("owner", "ofac-9760", Some("sdn.csv:remarks"));
    owner.set("asset", "ofac-32746", Some("sdn.csv:remarks"));
    let mut lukashenka = person("ofac-9760", "LUKASHENKA, Alyaksandr Ryhorovich");
    lukashenka.set("addressEntity", "ofac-addr-1", Some("add.csv"));
    let mut entities = v2_entities();
    entities[0] = lukashenka;
    entities.push(address);
    entities.push(owner);
    store
        .import(
            draft("us_ofac_sdn", "sha-3", Some("2021-09-01"), ImportMode::Full),
            full(entities),
        )
        .await
        .unwrap();

    let refs = store.referencing("ofac-9760", None).await.unwrap();
    let ids: Vec<&str> = refs.iter().map(|r| r.entity.id.as_str()).collect();
    assert_eq!(ids, vec!["ofac-own-1", "ofac-sanc-9760"]);
    assert!(refs.iter().all(|r| r.dataset == "us_ofac_sdn"));
    let refs = store.referencing("ofac-addr-1", None).await.unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].entity.id, "ofac-9760");
    // As of v1's time the ownership did not exist yet.
    let then = store
        .referencing("ofac-9760", Some(date("2021-07-02")))
        .await
        .unwrap();
    let ids: Vec<&str> = then.iter().map(|r| r.entity.id.as_str()).collect();
    assert_eq!(ids, vec!["ofac-sanc-9760"]);
    assert!(
        store
            .referencing("ofac-9760", Some(date("2000-01-01")))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.referencing("nobody", None).await.unwrap().is_empty());
}

#[tokio::test]
async fn current_entities_cover_the_latest_version_of_each_dataset() {
    let store = test_store().await;
    let (_, v2) = two_versions(&store).await;
    let un = store
        .import(
            draft("un_sc_sanctions", "sha-un", None, ImportMode::Full),
            full(vec![company("ofac-100", "SHARED ID")]),
        )
        .await
        .unwrap()
        .version;
    let current: Vec<_> = store
        .current_entities()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let got: Vec<(&str, i64, &str)> = current
        .iter()
        .map(|e| (e.dataset.as_str(), e.version_id, e.entity.id.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("un_sc_sanctions", un.id, "ofac-100"),
            ("us_ofac_sdn", v2, "ofac-32746"),
            ("us_ofac_sdn", v2, "ofac-9760"),
            ("us_ofac_sdn", v2, "ofac-sanc-9760"),
        ]
    );
    let current_ids: Vec<i64> = store
        .current_versions()
        .await
        .unwrap()
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(current_ids, vec![un.id, v2]);
    // The same id in two datasets: both are found, the most recently seen first.
    let both = store
        .entity_in_datasets("ofac-100", Some(date("2021-07-15")))
        .await
        .unwrap();
    assert_eq!(
        both.len(),
        1,
        "un_sc_sanctions was imported today, after 2021-07-15"
    );
    let now = store.entity_in_datasets("ofac-100", None).await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].dataset, "un_sc_sanctions");
}

#[tokio::test]
async fn large_imports_span_several_statements() {
    let store = test_store().await;
    let n = 20_000;
    let entities: Vec<Entity> = (0..n)
        .flat_map(|i| {
            let p = person(&format!("p-{i}"), &format!("Person {i}"));
            let s = sanction(&format!("s-{i}"), &format!("p-{i}"), "SDGT");
            [p, s]
        })
        .collect();
    let v1 = store
        .import(
            draft("big", "sha-1", Some("2024-01-01"), ImportMode::Full),
            full(entities.clone()),
        )
        .await
        .unwrap()
        .version;
    assert_eq!(v1.entity_count, 2 * n);
    let counts = store.row_counts().await.unwrap();
    assert_eq!(
        (counts.records, counts.memberships, counts.references),
        (2 * n, 2 * n, n)
    );
    let mut changed = entities;
    changed[0].set("alias", "Someone", None);
    changed.truncate(2 * n as usize - 2);
    let v2 = store
        .import(
            draft("big", "sha-2", Some("2024-01-02"), ImportMode::Full),
            full(changed),
        )
        .await
        .unwrap()
        .version;
    let counts = store.row_counts().await.unwrap();
    assert_eq!(counts.records, 2 * n + 1);
    assert_eq!(store.diff(v1.id, v2.id).await.unwrap().len(), 3);
    assert_eq!(store.referencing("p-7", None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn open_accepts_paths_urls_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/interdict.db");
    let store = Store::open(&nested.to_string_lossy()).await.unwrap();
    assert!(nested.exists(), "file and parent directories are created");
    store
        .import(
            draft("d", "s", None, ImportMode::Full),
            full(vec![company("c", "C")]),
        )
        .await
        .unwrap();
    store.close().await;
    let url = format!("sqlite://{}", nested.display());
    let again = Store::open(&url).await.unwrap();
    assert_eq!(again.versions().await.unwrap().len(), 1);
    assert!(
        dir.path().join("a/b/interdict.db-wal").exists()
            || dir.path().join("a/b/interdict.db-shm").exists(),
        "WAL mode"
    );

    let memory = Store::open("sqlite::memory:").await.unwrap();
    memory
        .import(
            draft("d", "s", None, ImportMode::Full),
            full(vec![company("c", "C")]),
        )
        .await
        .unwrap();
    assert_eq!(memory.versions().await.unwrap().len(), 1);
    let other = Store::open("sqlite::memory:").await.unwrap();
    assert!(
        other.versions().await.unwrap().is_empty(),
        "each in-memory store is private"
    );

    for bad in ["mysql://localhost/x", "", "http://x"] {
        let err = Store::open(bad).await.unwrap_err();
        assert!(
            matches!(err, StoreError::UnsupportedUrl { .. }),
            "{bad}: {err}"
        );
    }
    let err = Store::open("postgres://nobody@127.0.0.1:1/none")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Connect {
                backend: "postgres",
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn the_backend_follows_the_environment() {
    let store = test_store().await;
    let wanted = match std::env::var("INTERDICT_TEST_DATABASE") {
        Ok(url) if url.starts_with("postgres") => interdict_store::Backend::Postgres,
        _ => interdict_store::Backend::Sqlite,
    };
    assert_eq!(store.backend(), wanted);
    // The URL of a test store opens the same database (what CLI tests pass as --database).
    store
        .import(
            draft("d", "s", None, ImportMode::Full),
            full(vec![company("c", "C")]),
        )
        .await
        .unwrap();
    let same = Store::open(&store.url()).await.unwrap();
    assert_eq!(same.backend(), wanted);
    assert_eq!(same.versions().await.unwrap().len(), 1);
}
