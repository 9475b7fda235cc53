//! Import benchmark: a synthetic list shaped like the 2023-12-28 OFAC SDN set (≈14,000 main
//! entries; with their sanctions, addresses and identity documents ≈60,000 entities).
//!
//! The backend is the one `INTERDICT_TEST_DATABASE` names (unset: SQLite in a temporary file);
//! every iteration imports into a fresh store, so only the import is timed.
//!
//! `cargo bench -p interdict-store --bench import`

#![allow(missing_docs)] // criterion_group! generates an undocumented function

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use interdict_model::{Entity, ImportMode, ListRecord, Schema};
use interdict_store::NewVersion;
use interdict_store::testing::test_store;

/// Main entries in the synthetic list, as in the 2023-12-28 SDN file.
const MAIN_ENTRIES: usize = 14_000;

/// A deterministic SDN-like list: persons, companies, vessels and aircraft with aliases,
/// remarks-derived properties, a sanction each, 1–2 addresses each and identity documents.
fn sdn_like(seed: u64) -> Vec<Entity> {
    let mut out = Vec::with_capacity(MAIN_ENTRIES * 5);
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let programs = [
        "SDGT",
        "BELARUS-EO14038",
        "RUSSIA-EO14024",
        "IRAN",
        "SDNTK",
        "CUBA",
    ];
    let countries = ["by", "ru", "ir", "cu", "ae", "cn", "tr", "ve"];
    for i in 0..MAIN_ENTRIES {
        let id = format!("ofac-{}", 10_000 + i);
        let kind = i % 100;
        let schema = match kind {
            0..45 => "Person",
            45..90 => "Company",
            90..98 => "Vessel",
            _ => "Airplane",
        };
        let mut e = Entity::new(&id, Schema::named(schema));
        let r = next();
        let country = countries[(r % 8) as usize];
        e.set(
            "name",
            format!("SYNTHETIC {schema} {i} {}", r % 10_007),
            Some("sdn.csv:SDN_Name"),
        );
        for a in 0..(1 + r % 3) {
            e.set(
                "alias",
                format!("ALIAS {a} OF {i} {}", r % 997),
                Some("alt.csv:alt_name"),
            );
        }
        e.set(
            "program",
            programs[(r % 6) as usize],
            Some("sdn.csv:Program"),
        );
        e.set("topics", "sanction", None);
        e.set(
            "notes",
            format!(
                "Linked To: ENTITY {}; Additional Sanctions Information - Subject to \
                     Secondary Sanctions; remark {r:x}",
                r % 14_000
            ),
            Some("sdn.csv:Remarks"),
        );
        match schema {
            "Person" => {
                e.set(
                    "birthDate",
                    format!("19{:02}-{:02}-{:02}", 40 + r % 50, 1 + r % 12, 1 + r % 28),
                    Some("sdn.csv:Remarks"),
                );
                e.set(
                    "birthPlace",
                    format!("City {}, Country", r % 300),
                    Some("sdn.csv:Remarks"),
                );
                e.set("nationality", country, Some("sdn.csv:Remarks"));
                e.set(
                    "gender",
                    if r % 2 == 0 { "male" } else { "female" },
                    Some("sdn.csv:Remarks"),
                );
                e.set("position", "Director", Some("sdn.csv:Title"));
            }
            "Company" => {
                e.set(
                    "registrationNumber",
                    format!("{}", r % 100_000_000),
                    Some("sdn.csv:Remarks"),
                );
                e.set(
                    "website",
                    format!("www.company{i}.example"),
                    Some("sdn.csv:Remarks"),
                );
                e.set("incorporationDate", "2001-05-04", Some("sdn.csv:Remarks"));
            }
            "Vessel" => {
                e.set(
                    "imoNumber",
                    format!("IMO {}", 9_000_000 + i),
                    Some("sdn.csv:Remarks"),
                );
                e.set("flag", country, Some("sdn.csv:Vess_flag"));
                e.set("type", "Crude Oil Tanker", Some("sdn.csv:Vess_type"));
                e.set("callSign", format!("UB{i}"), Some("sdn.csv:Call_Sign"));
            }
            _ => {
                e.set(
                    "serialNumber",
                    format!("{}", 20_000 + i),
                    Some("sdn.csv:Remarks"),
                );
                e.set("model", "Boeing 737", Some("sdn.csv:Remarks"));
            }
        }
        for a in 0..(1 + r % 2) {
            let mut addr = Entity::new(format!("{id}-addr-{a}"), Schema::named("Address"));
            addr.set(
                "full",
                format!("{} Street {a}, City {}, {country}", r % 500, r % 300),
                Some("add.csv:Address"),
            );
            addr.set("city", format!("City {}", r % 300), Some("add.csv:City"));
            addr.set("country", country, Some("add.csv:Country"));
            e.set("addressEntity", addr.id.clone(), Some("add.csv"));
            out.push(addr);
        }
        let mut s = Entity::new(format!("{id}-sanction"), Schema::named("Sanction"));
        s.set("entity", &id, Some("sdn.csv:ent_num"));
        s.set("authority", "Office of Foreign Assets Control", None);
        s.set(
            "program",
            programs[(r % 6) as usize],
            Some("sdn.csv:Program"),
        );
        s.set("listingDate", "2021-08-09", Some("sdn.csv:Remarks"));
        out.push(s);
        if schema == "Person" || schema == "Company" {
            for d in 0..(1 + r % 2) {
                let mut doc = Entity::new(format!("{id}-id-{d}"), Schema::named("Identification"));
                doc.set("holder", &id, Some("sdn.csv:Remarks"));
                doc.set(
                    "number",
                    format!("MP{}", r % 10_000_000 + d),
                    Some("sdn.csv:Remarks"),
                );
                doc.set("type", "Passport", Some("sdn.csv:Remarks"));
                doc.set("country", country, Some("sdn.csv:Remarks"));
                out.push(doc);
            }
        }
        out.push(e);
    }
    out
}

fn draft(sha: &str) -> NewVersion {
    NewVersion {
        dataset: "us_ofac_sdn".into(),
        format: "ofac-csv".into(),
        mode: ImportMode::Full,
        published: None,
        sha256: sha.into(),
        files: vec!["sdn.csv".into(), "alt.csv".into(), "add.csv".into()],
    }
}

/// The records an importer would yield, built before the clock starts: parsing is the
/// importer's cost, not the store's.
fn records(entities: &[Entity]) -> Vec<Result<ListRecord, std::io::Error>> {
    entities
        .iter()
        .cloned()
        .map(|e| Ok(ListRecord::Entity(e)))
        .collect()
}

fn bench_import(c: &mut Criterion) {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("tokio runtime: {e}"),
    };
    let v1 = sdn_like(1);
    // The next day's list: 1 % of main entries changed, 20 removed, 20 added.
    let mut v2 = v1.clone();
    for e in v2
        .iter_mut()
        .filter(|e| e.schema == Schema::named("Person"))
        .step_by(45)
    {
        e.set("alias", "NEW ALIAS", Some("alt.csv:alt_name"));
    }
    v2.truncate(v2.len() - 20);
    v2.extend(sdn_like(2).into_iter().take(20).map(|mut e| {
        e.id = format!("new-{}", e.id);
        e
    }));
    let backend = std::env::var("INTERDICT_TEST_DATABASE")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .map_or("sqlite", |_| "postgres");

    let mut group = c.benchmark_group(format!("import/{backend}"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(v1.len() as u64));
    group.bench_function(format!("sdn_like_{}_entities", v1.len()), |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let store = test_store().await;
                    let input = records(&v1);
                    let start = Instant::now();
                    let outcome = store.import(draft("v1"), input).await;
                    total += start.elapsed();
                    assert!(matches!(outcome, Ok(ref o) if o.created));
                }
                total
            })
        })
    });
    group.bench_function("next_day_1pct_changed", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let store = test_store().await;
                    assert!(store.import(draft("v1"), records(&v1)).await.is_ok());
                    let input = records(&v2);
                    let start = Instant::now();
                    let outcome = store.import(draft("v2"), input).await;
                    total += start.elapsed();
                    assert!(matches!(outcome, Ok(ref o) if o.created));
                }
                total
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
