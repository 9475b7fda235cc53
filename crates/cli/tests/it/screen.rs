//! Batch screening: `interdict screen` on CSV and JSON lines, with bad rows that are reported
//! with their line numbers and do not stop or shorten the batch.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::fmt::Write as _;

use serde_json::Value;

use crate::support::{Cli, list_file};

fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .expect("results");
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[tokio::test]
async fn batch_screening_keeps_every_row_in_order() {
    let cli = Cli::new().await;
    cli.ok(&[
        "import",
        "ofac-csv",
        &list_file("ofac/sdn_csv_2021-07"),
        "--published",
        "2021-07-07",
    ]);
    let dir = tempfile::tempdir().unwrap();

    // CSV, columns guessed from the header; rows 4-6 are bad.
    let input = dir.path().join("customers.csv");
    std::fs::write(
        &input,
        "id,Full Name,Date of Birth,Nationality,Type\n\
         1,Alexander Lukashenko,30.08.1954,by,person\n\
         2,Jane Smithson,1980-01-01,gb,person\n\
         3,Naftan,,by,company\n\
         4,only two fields\n\
         5,Viktor Lukashenko,not a date,by,person\n\
         6,,1970,by,person\n\
         7,Ivan Petrovich Sidorov,1965,ru,person\n\
         8,\"Лукашенко Александр\",,,\n",
    )
    .unwrap();
    let out = dir.path().join("results.csv");
    let r = cli.run(&[
        "screen",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!r.ok, "bad rows make the exit status non-zero");
    assert!(r.stderr.contains("screened 8 rows"), "{}", r.stderr);
    assert!(r.stderr.contains("3 bad rows"), "{}", r.stderr);
    for line in ["line 5:", "line 6:", "line 7:"] {
        assert!(
            r.stderr.contains(line),
            "{line} not reported:\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("name=Full Name"),
        "the guessed mapping is shown: {}",
        r.stderr
    );
    let (header, rows) = read_csv(&out);
    assert_eq!(
        &header[..5],
        ["id", "Full Name", "Date of Birth", "Nationality", "Type"]
    );
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(rows.len(), 8, "every row is in the output");
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        ids,
        ["1", "2", "3", "4", "5", "6", "7", "8"],
        "in input order"
    );
    assert_eq!(rows[0][col("status")], "match");
    assert_eq!(rows[0][col("top_id")], "ofac-9760");
    assert_eq!(rows[1][col("status")], "clear");
    assert_eq!(rows[2][col("top_id")], "ofac-12860");
    assert_eq!(rows[3][col("status")], "error");
    assert_eq!(rows[3][col("line")], "5");
    assert!(
        rows[3][col("error")].contains("expected 5 fields"),
        "{:?}",
        rows[3]
    );
    assert!(
        rows[4][col("error")].contains("birth date"),
        "{:?}",
        rows[4]
    );
    assert!(rows[5][col("error")].contains("no name"), "{:?}", rows[5]);
    assert_eq!(rows[6][col("status")], "clear");
    assert_eq!(rows[7][col("top_id")], "ofac-9760");

    // JSON lines in and out, columns named by flags, the summary as JSON.
    let input = dir.path().join("parties.jsonl");
    std::fs::write(
        &input,
        "{\"ref\": \"a\", \"customer\": \"Alexander Lukashenko\", \"born\": \"1954-08-30\"}\n\
         this is not json\n\
         {\"ref\": \"c\", \"customer\": \"NAFTAN OAO\", \"kind\": \"company\"}\n",
    )
    .unwrap();
    let out = dir.path().join("parties.out.jsonl");
    let r = cli.run(&[
        "--json",
        "screen",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--name-column",
        "customer",
        "--birth-date-column",
        "born",
        "--schema-column",
        "kind",
        "--explain",
    ]);
    let summary: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr));
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["bad_rows"], 1);
    assert_eq!(summary["bad"][0]["line"], 2);
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["results"][0]["id"], "ofac-9760");
    assert!(
        lines[0]["results"][0]["explanation"].as_str().is_some(),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["status"], "error");
    assert!(lines[1]["error"].as_str().unwrap().contains("not JSON"));
    assert_eq!(lines[2]["input"]["ref"], "c");
    assert_eq!(lines[2]["results"][0]["id"], "ofac-12860");

    // A larger file through small chunks on two threads: complete and in order.
    let names = [
        "Alexander Lukashenko",
        "Maria Gonzalez",
        "Naftan",
        "Peter Miller",
        "Belshina",
    ];
    let mut big = String::from("ref,name\n");
    for i in 0..3000 {
        writeln!(big, "{i},{}", names[i % names.len()]).unwrap();
    }
    let input = dir.path().join("big.csv");
    std::fs::write(&input, big).unwrap();
    let out = dir.path().join("big.out.csv");
    cli.ok(&[
        "screen",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--threads",
        "2",
        "--chunk",
        "64",
    ]);
    let (header, rows) = read_csv(&out);
    let status = header.iter().position(|h| h == "status").unwrap();
    assert_eq!(rows.len(), 3000);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], i.to_string(), "row {i} out of order");
        let expected = if i % 5 == 1 || i % 5 == 3 {
            "clear"
        } else {
            "match"
        };
        assert_eq!(row[status], expected, "row {i}: {row:?}");
    }
}
