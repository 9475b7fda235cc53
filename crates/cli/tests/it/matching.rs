//! C2 from the command line: `interdict match` on the Belarus scenarios of the product brief,
//! against the real 2021-07 SDN list.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use serde_json::Value;

use crate::support::{Cli, list_file};

fn score_of(v: &Value, id: &str) -> Option<(f64, bool)> {
    v["results"]
        .as_array()?
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| (r["score"].as_f64().unwrap_or(0.0), r["match"] == true))
}

#[tokio::test]
async fn match_finds_lukashenka_in_every_spelling_and_explains() {
    let cli = Cli::new().await;
    cli.ok(&[
        "import",
        "ofac-csv",
        &list_file("ofac/sdn_csv_2021-07"),
        "--published",
        "2021-07-07",
    ]);

    for name in [
        "Alexander Lukashenko",
        "Александр Лукашенко",
        "Аляксандр Лукашэнка",
        "Loukachenko Alexandre",
    ] {
        let v = cli
            .ok(&["--json", "match", name, "--schema", "Person"])
            .json();
        assert_eq!(v["results"][0]["id"], "ofac-9760", "{name}: {v}");
        assert_eq!(v["results"][0]["match"], true, "{name}: {v}");
        assert!(
            v["results"][0]["explanation"]
                .as_str()
                .is_some_and(|e| !e.is_empty()),
            "{v}"
        );
    }

    // The birth date lifts the score; a birth date of 1975 drops it below the alert line.
    let plain = cli
        .ok(&["--json", "match", "Alexander Lukashenko", "--cutoff", "0"])
        .json();
    let same = cli
        .ok(&[
            "--json",
            "match",
            "Alexander Lukashenko",
            "--birth-date",
            "1954-08-30",
            "--cutoff",
            "0",
        ])
        .json();
    let other = cli
        .ok(&[
            "--json",
            "match",
            "Alexander Lukashenko",
            "--birth-date",
            "1975",
            "--cutoff",
            "0",
        ])
        .json();
    let (p, _) = score_of(&plain, "ofac-9760").expect("plain");
    let (s, s_match) = score_of(&same, "ofac-9760").expect("same DOB");
    assert!(s > p && s_match, "{p} → {s}");
    assert!(
        score_of(&other, "ofac-9760").is_none_or(|(_, m)| !m),
        "{other}"
    );
    // The father clearly above his son (ent 9797), whose patronymic is not a given name.
    if let Some((son, _)) = score_of(&plain, "ofac-9797") {
        assert!(p > son + 0.1, "father {p}, son {son}");
    }

    // Readable text: the verdict, which names met word by word, which features fired.
    let text = cli
        .ok(&[
            "match",
            "Alexander Lukashenko",
            "--birth-date",
            "1954-08-30",
            "--country",
            "by",
        ])
        .stdout;
    for needle in [
        "1. ",
        "MATCH",
        "ofac-9760",
        "LUKASHENKA",
        "≈",
        "dob_match",
        "country_match",
        "us_ofac_sdn",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }

    // Bad flags are refused with a message.
    let r = cli.run(&["match", "x", "--schema", "Sanction"]);
    assert!(!r.ok && r.stderr.contains("--schema"), "{}", r.stderr);
    let r = cli.run(&["match", "x", "--birth-date", "soon"]);
    assert!(!r.ok && r.stderr.contains("--birth-date"), "{}", r.stderr);
}
