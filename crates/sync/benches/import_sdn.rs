//! The import of the real 2023-12-28 OFAC SDN CSV set (13,821 entries, 51,611 entities with
//! addresses, sanctions and documents) into a fresh embedded SQLite database: parse, hash,
//! and write one version in one transaction. Issue 2 aims at ≤ 1 s.
//!
//! `cargo bench -p interdict-sync --bench import_sdn`

#![allow(missing_docs)] // criterion_group! generates an undocumented function
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use interdict_lists::Format;
use interdict_store::Store;

fn sdn_2023() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/lists/ofac/sdn_csv_2023-12-28")
}

fn import(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("sdn_2023-12-28_into_sqlite", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                rt.block_on(async {
                    let store = Store::open(&dir.path().join("bench.db").to_string_lossy())
                        .await
                        .expect("open");
                    let outcome =
                        interdict_sync::import_files(&store, Format::OfacCsv, &[sdn_2023()], None)
                            .await
                            .expect("import");
                    assert_eq!(outcome.version.entity_count, 51_611);
                    store.close().await;
                });
                dir
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.bench_function("sdn_2023-12-28_parse_only", |b| {
        b.iter(|| {
            let import = interdict_lists::open(Format::OfacCsv, &[sdn_2023()]).expect("open");
            assert_eq!(import.count(), 51_611);
        });
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
