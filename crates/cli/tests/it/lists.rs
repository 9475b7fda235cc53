//! C1 on the real files: import, versions, diffs, as-of, history, export, bad input.

use crate::support::{Cli, list_file, repo};

/// Import the four SDN files of 2021-07, 2021-08-18, 2023-12-28 and 2024-05-03.
fn import_sdn_series(cli: &Cli) -> Vec<i64> {
    let sets = [
        ("ofac/sdn_csv_2021-07", "2021-07-07"),
        ("ofac/sdn_csv_snapshots/sdn_2021-08-18.csv", "2021-08-18"),
        ("ofac/sdn_csv_2023-12-28", "2023-12-28"),
        ("ofac/sdn_csv_snapshots/sdn_2024-05-03.csv", "2024-05-03"),
    ];
    sets.iter()
        .map(|(path, date)| {
            let r = cli.ok(&[
                "--json",
                "import",
                "ofac-csv",
                &list_file(path),
                "--published",
                date,
            ]);
            let v = r.json();
            assert_eq!(v["created"], true);
            v["version"]["id"].as_i64().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn sdn_series_diffs_as_of_and_history() {
    let cli = Cli::new().await;
    let ids = import_sdn_series(&cli);

    // Versions are listed with their dates and counts.
    let lists = cli.ok(&["--json", "lists"]).json();
    let versions = lists.as_array().unwrap();
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[0]["published"], "2021-07-07");
    assert_eq!(versions[0]["dataset"], "us_ofac_sdn");

    // Re-importing identical files is a no-op.
    let again = cli
        .ok(&[
            "--json",
            "import",
            "ofac-csv",
            &list_file("ofac/sdn_csv_2021-07"),
        ])
        .json();
    assert_eq!(again["created"], false);
    assert_eq!(again["version"]["id"].as_i64(), Some(ids[0]));
    assert_eq!(
        cli.ok(&["--json", "lists"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        4
    );

    // Belaruskali appears between 2021-07 and 2021-08-18, tagged BELARUS-EO.
    let diff = cli
        .ok(&["--json", "diff", &ids[0].to_string(), &ids[1].to_string()])
        .json();
    let added = diff
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ofac-32746")
        .expect("Belaruskali in the diff");
    assert_eq!(added["change"], "added");
    assert_eq!(added["caption"], "BELARUSKALI OAO");
    let text = cli
        .ok(&[
            "diff",
            &ids[0].to_string(),
            &ids[1].to_string(),
            "--main-only",
        ])
        .stdout;
    assert!(
        text.contains("+ ofac-32746 Organization BELARUSKALI OAO"),
        "{text}"
    );

    // The EO 14038 tag changes spelling from 2021-08-18 to 2023-12-28 (Inter Tobacco, 32733).
    let diff = cli
        .ok(&["--json", "diff", &ids[1].to_string(), &ids[2].to_string()])
        .json();
    let tobacco = diff
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ofac-32733")
        .unwrap();
    let program = tobacco["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["property"] == "program")
        .expect("program change");
    assert_eq!(program["removed"], serde_json::json!(["BELARUS-EO"]));
    assert_eq!(program["added"], serde_json::json!(["BELARUS-EO14038"]));

    // Lukashenka's patronymic spelling changes between 2021 and 2023.
    let history = cli.ok(&["--json", "history", "ofac-9760"]).json();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0]["change"]["change"], "added");
    let name_change = entries[2]["change"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["property"] == "name")
        .expect("the name changed in 2023-12-28");
    assert_eq!(
        name_change["removed"],
        serde_json::json!(["LUKASHENKA, Alyaksandr Hryhoryavich"])
    );
    assert_eq!(
        name_change["added"],
        serde_json::json!(["LUKASHENKA, Alyaksandr Ryhorovich"])
    );

    // As of a date: not yet listed on 2021-08-01, listed on 2021-09-01.
    let before = cli.run(&["show", "ofac-32746", "--as-of", "2021-08-01"]);
    assert!(!before.ok);
    assert!(
        before.stderr.contains("as of 2021-08-01"),
        "{}",
        before.stderr
    );
    let after = cli
        .ok(&["--json", "show", "ofac-32746", "--as-of", "2021-09-01"])
        .json();
    assert_eq!(
        after["entity"]["properties"]["program"][0]["v"],
        "BELARUS-EO"
    );
    assert_eq!(after["first_seen"], "2021-08-18");
    // …and the name on a date is the one the list then gave.
    let old = cli
        .ok(&["--json", "show", "ofac-9760", "--as-of", "2022-01-01"])
        .json();
    assert_eq!(
        old["entity"]["properties"]["name"][0]["v"],
        "LUKASHENKA, Alyaksandr Hryhoryavich"
    );
    assert_eq!(old["entity"]["properties"]["name"][0]["o"], "sdn.csv:name");

    // Export as of a date holds the version then in force.
    let export = cli
        .ok(&["export", "--format", "csv", "--as-of", "2021-07-31"])
        .stdout;
    assert!(!export.contains("BELARUSKALI"));
    assert_eq!(
        export.lines().count(),
        1 + 8976,
        "header plus every SDN entry of 2021-07"
    );
}

#[tokio::test]
async fn every_format_imports_and_lists() {
    let cli = Cli::new().await;
    let fixtures = repo().join("tests/fixtures/opensanctions");
    let cases: Vec<(&str, String, &str, i64)> = vec![
        (
            "ofac-xml",
            list_file("ofac/consolidated_2020-03-17/consolidated.xml"),
            "us_ofac_cons",
            375,
        ),
        (
            "un-xml",
            list_file("un/consolidated_2026-02-27.xml"),
            "un_sc_sanctions",
            1003,
        ),
        (
            "eu-fsf-xml",
            list_file("eu/fsf_1_1_excerpt_2020-04-15.xml"),
            "eu_fsf",
            7,
        ),
        (
            "uk-conlist",
            list_file("uk/ConList_2020-04-27.csv"),
            "gb_hmt_sanctions",
            2114,
        ),
        (
            "ofac-csv",
            list_file("ofac/consolidated_csv_2025-12"),
            "us_ofac_cons",
            442,
        ),
        (
            "ftm",
            fixtures
                .join("yente_t1_entities.ftm.json")
                .to_string_lossy()
                .into_owned(),
            "opensanctions",
            6,
        ),
    ];
    for (format, path, dataset, main_entities) in &cases {
        let v = cli.ok(&["--json", "import", format, path]).json();
        assert_eq!(v["version"]["dataset"], *dataset, "{format}");
        let csv = cli
            .ok(&["export", "--format", "csv", "--dataset", dataset])
            .stdout;
        assert_eq!(
            csv.lines().count() as i64 - 1,
            *main_entities,
            "{format}: main entities"
        );
    }
    // Advanced XML is the same publication as consolidated.xml: same ids, a new version.
    let adv = cli
        .ok(&[
            "--json",
            "import",
            "ofac-advanced-xml",
            &list_file("ofac/consolidated_2020-03-17/cons_advanced.xml"),
        ])
        .json();
    assert_eq!(adv["version"]["published"], "2020-03-17");
    let un = cli.ok(&["--json", "show", "un-cdi-001"]).json();
    assert_eq!(un["dataset"], "un_sc_sanctions");
    // Published dates come from the files where they have one.
    let versions = cli.ok(&["--json", "lists"]).json();
    let published: Vec<_> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["published"].clone())
        .collect();
    assert!(published.contains(&serde_json::json!("2026-02-27")));
    assert!(published.contains(&serde_json::json!("2020-04-27")));
}

#[tokio::test]
async fn bad_input_names_the_place_and_changes_nothing() {
    let cli = Cli::new().await;
    cli.ok(&[
        "import",
        "un-xml",
        &list_file("un/consolidated_2026-02-27.xml"),
    ]);
    let before = cli.ok(&["--json", "lists"]).stdout;
    let dir = tempfile::tempdir().unwrap();

    // A truncated XML file.
    let un = std::fs::read(list_file("un/consolidated_2026-02-27.xml")).unwrap();
    let truncated = dir.path().join("consolidated.xml");
    std::fs::write(&truncated, &un[..un.len() * 2 / 3]).unwrap();
    let r = cli.run(&["import", "un-xml", truncated.to_str().unwrap()]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("consolidated.xml") && r.stderr.contains("byte"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("database is unchanged"), "{}", r.stderr);

    // A wrong column count in an OFAC CSV.
    let sdn = dir.path().join("sdn.csv");
    std::fs::write(&sdn, "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\r\n").unwrap();
    let r = cli.run(&["import", "ofac-csv", sdn.to_str().unwrap()]);
    assert!(!r.ok);
    assert!(r.stderr.contains("sdn.csv:1"), "{}", r.stderr);

    // The wrong format for a file.
    let r = cli.run(&[
        "import",
        "eu-fsf-xml",
        &list_file("un/consolidated_2026-02-27.xml"),
    ]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("consolidated_2026-02-27.xml"),
        "{}",
        r.stderr
    );

    // An unknown format.
    let r = cli.run(&["import", "pdf", "x.pdf"]);
    assert!(!r.ok);
    assert!(r.stderr.contains("unknown format"), "{}", r.stderr);

    // Bad encoding: UTF-16 bytes given as FtM JSON lines.
    let ftm = dir.path().join("entities.ftm.json");
    std::fs::write(&ftm, [0xff, 0xfe, b'{', 0, b'}', 0, b'\n', 0]).unwrap();
    let r = cli.run(&["import", "ftm", ftm.to_str().unwrap()]);
    assert!(!r.ok);
    assert!(r.stderr.contains("entities.ftm.json:1"), "{}", r.stderr);

    assert_eq!(
        cli.ok(&["--json", "lists"]).stdout,
        before,
        "the store is exactly as before"
    );
}

#[tokio::test]
async fn ftm_delta_applies_to_the_previous_version() {
    let cli = Cli::new().await;
    let fixtures = repo().join("tests/fixtures/opensanctions");
    let delta = fixtures.join("yente_entities.delta.json");
    // A delta with deletes of entities the store never held is refused as a whole.
    let r = cli.run(&[
        "import",
        "ftm",
        delta.to_str().unwrap(),
        "--dataset",
        "os_delta",
    ]);
    assert!(!r.ok);
    assert!(r.stderr.contains("database is unchanged"), "{}", r.stderr);
    assert_eq!(
        cli.ok(&["--json", "lists"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
