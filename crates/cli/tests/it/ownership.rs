//! C4 end to end: the real SDN 2021-07 list and the EU FSF excerpt, synthetic registry
//! holdings from `tests/fixtures/holdings/`, `interdict import holdings-csv`, `interdict
//! ownership` and `GET /v1/ownership/{id}` (the OFAC 50 % rule direct, aggregated, through a
//! chain and around a cycle; the EU test before and after 2024-07-03; control; bad files).

use std::time::Duration;

use serde_json::Value;

use crate::server::Served;
use crate::support::{Cli, Run, list_file, repo};

/// A holdings fixture's path.
fn holdings(name: &str) -> String {
    repo()
        .join("tests/fixtures/holdings")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A database with the SDN list of July 2021, the EU FSF excerpt and `belarus.csv` imported;
/// returns the registry import's JSON.
fn setup(cli: &Cli) -> Value {
    cli.ok(&[
        "import",
        "ofac-csv",
        &list_file("ofac/sdn_csv_2021-07"),
        "--published",
        "2021-07-07",
    ]);
    cli.ok(&[
        "import",
        "eu-fsf-xml",
        &list_file("eu/fsf_1_1_excerpt_2020-04-15.xml"),
    ]);
    cli.ok(&["--json", "import", "holdings-csv", &holdings("belarus.csv")])
        .json()
}

/// `interdict ownership <id> --jurisdiction J [--as-of D] --json`.
fn ownership(cli: &Cli, id: &str, jurisdiction: &str, as_of: Option<&str>) -> Value {
    let mut args = vec!["--json", "ownership", id, "--jurisdiction", jurisdiction];
    if let Some(d) = as_of {
        args.extend(["--as-of", d]);
    }
    cli.ok(&args).json()
}

fn status(v: &Value) -> &str {
    v["status"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn ofac_fifty_percent_rule_on_the_sdn_list() {
    let cli = Cli::new().await;
    let imported = setup(&cli);
    assert_eq!(imported["created"], true);
    assert_eq!(imported["version"]["dataset"], "registry");
    assert_eq!(imported["version"]["format"], "holdings-csv");
    assert_eq!(imported["holdings"], 12);
    // Owners named by name resolve to the listed companies, exactly.
    let resolutions = imported["resolutions"].as_array().unwrap();
    let by_name = |text: &str| {
        resolutions
            .iter()
            .find(|r| r["text"] == text)
            .unwrap_or_else(|| panic!("no resolution of {text}: {imported}"))
    };
    assert_eq!(by_name("GRODNO AZOT OAO")["by"], "name");
    assert_eq!(by_name("GRODNO AZOT OAO")["party"]["id"], "ofac-12861");
    assert_eq!(by_name("NAFTAN OAO")["party"]["id"], "ofac-12860");
    assert_eq!(by_name("Polymir Trade LLC")["by"], "created");
    assert_eq!(by_name("Polymir Trade LLC")["party"]["schema"], "Company");

    // 60 % by NAFTAN OAO: blocked.
    let v = ownership(&cli, "registry-sixty-percent-trading-llc", "us", None);
    assert_eq!(status(&v), "owned", "{v}");
    assert_eq!(v["effect"], "blocked");
    assert_eq!(v["proof"]["rule"]["name"], "OFAC 50 Percent Rule");
    assert!(
        v["sentence"]
            .as_str()
            .unwrap()
            .contains("owned 60 % by NAFTAN OAO"),
        "{v}"
    );

    // 30 % NAFTAN + 25 % GRODNO AZOT: blocked by aggregation, and the text says so.
    let v = ownership(&cli, "registry-polymir-trade-llc", "us", Some("2021-07-15"));
    assert_eq!(status(&v), "owned", "{v}");
    let step = v["proof"]["steps"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(step["owners"].as_array().unwrap().len(), 2);
    assert_eq!(step["total"]["min"], 55.0);
    let listed: Vec<&str> = v["proof"]["listed_owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["party"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["ofac-12860", "ofac-12861"]);
    let text = cli.ok(&[
        "ownership",
        "registry-polymir-trade-llc",
        "--jurisdiction",
        "us",
    ]);
    assert!(
        text.stdout
            .contains("owned 55 % in aggregate by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("status: blocked by ownership"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("NAFTAN OAO —30 %→ Polymir Trade LLC"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("50 % or more"),
        "the rule and threshold: {}",
        text.stdout
    );

    // 30 % + 15 %: not blocked.
    let v = ownership(&cli, "registry-novopolotsk-service-llc", "us", None);
    assert_eq!(status(&v), "clear", "{v}");
    assert!(v["sentence"].as_str().unwrap().contains("45 %"), "{v}");

    // NAFTAN 50 % → X 50 % → Y: Y is blocked through X.
    let v = ownership(&cli, "registry-chain-y-llc", "us", None);
    assert_eq!(status(&v), "owned", "{v}");
    let path = v["proof"]["paths"][0]["hops"].as_array().unwrap();
    assert_eq!(path.len(), 2);
    assert_eq!(path[0]["owner"]["id"], "ofac-12860");
    assert_eq!(path[1]["asset"]["id"], "registry-chain-y-llc");

    // A (listed) owns 60 % of B, B owns 60 % of A: terminates, B blocked, A listed.
    let v = ownership(&cli, "registry-cycle-b-llc", "us", None);
    assert_eq!(status(&v), "owned", "{v}");
    assert_eq!(status(&ownership(&cli, "ofac-12862", "us", None)), "listed");

    // The listed company itself, and the EU person under the US rule.
    let v = ownership(&cli, "ofac-12860", "us", None);
    assert_eq!(status(&v), "listed");
    assert_eq!(v["list_entries"][0]["programme"], "BELARUS");
    assert_eq!(
        status(&ownership(&cli, "registry-half-owned-co", "us", None)),
        "clear"
    );

    // Before the list we hold was published, the view says what it lacks.
    let v = ownership(
        &cli,
        "registry-sixty-percent-trading-llc",
        "us",
        Some("2021-06-10"),
    );
    assert_eq!(status(&v), "clear", "{v}");
    assert!(
        v["gaps"][0].as_str().unwrap().contains("us_ofac_sdn"),
        "{v}"
    );

    // An unknown id is an error, not "clear".
    let r = cli.run(&["ownership", "ofac-99999999", "--jurisdiction", "us"]);
    assert!(!r.ok);
    assert!(r.stderr.contains("no entity ofac-99999999"), "{}", r.stderr);

    // Screening shows it: a match on the registry company carries its status and sentence.
    let m = cli
        .ok(&["--json", "match", "Polymir Trade", "--schema", "Company"])
        .json();
    let hit = m["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "registry-polymir-trade-llc")
        .unwrap_or_else(|| panic!("{m}"))
        .clone();
    assert_eq!(hit["ownership"][0]["status"], "owned", "{hit}");
    assert!(
        hit["ownership"][0]["sentence"]
            .as_str()
            .unwrap()
            .contains("in aggregate")
    );
}

#[tokio::test]
async fn eu_test_before_and_after_2024_07_03() {
    let cli = Cli::new().await;
    setup(&cli);
    // Exactly 50 %: not "owned" under the 2018 test (more than 50 %), owned under the 2024 one.
    let v = ownership(&cli, "registry-half-owned-co", "eu", Some("2021-05-15"));
    assert_eq!(status(&v), "clear", "{v}");
    assert_eq!(v["proof"]["rule"]["comparison"], "more_than");
    let v = ownership(&cli, "registry-half-owned-co", "eu", Some("2025-01-01"));
    assert_eq!(status(&v), "owned", "{v}");
    assert_eq!(v["proof"]["rule"]["comparison"], "at_least");

    // The same 50 % with the listed person appointing the board: controlled on both dates.
    let v = ownership(
        &cli,
        "registry-board-appointed-co",
        "eu",
        Some("2021-05-15"),
    );
    assert_eq!(status(&v), "controlled", "{v}");
    assert_eq!(v["effect"], "blocked", "control covers under the EU test");
    assert_eq!(v["proof"]["controlled"], true);
    assert!(
        v["sentence"]
            .as_str()
            .unwrap()
            .contains("appoints the majority of the board"),
        "{v}"
    );
    let v = ownership(
        &cli,
        "registry-board-appointed-co",
        "eu",
        Some("2025-01-01"),
    );
    assert_eq!(status(&v), "owned", "{v}");
    assert_eq!(v["proof"]["controlled"], true, "{v}");
    // The listing counts from its listing date; the person is EU-listed only.
    let v = ownership(&cli, "eu-fsf-eu-22-9", "eu", Some("2021-05-15"));
    assert_eq!(status(&v), "listed");
    assert_eq!(v["proof"]["listings"][0]["from"], "2003-07-08");
    assert_eq!(
        status(&ownership(&cli, "registry-board-appointed-co", "us", None)),
        "clear"
    );
}

#[tokio::test]
async fn bad_holdings_name_the_place_and_change_nothing() {
    let cli = Cli::new().await;
    setup(&cli);
    let before = cli.db.row_counts().await.unwrap();
    let r: Run = cli.run(&["import", "holdings-csv", &holdings("bad_percentage.csv")]);
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains("bad_percentage.csv:3: column 3 (percentage): not a percentage: \"3O\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    // A name that only nearly matches a listed company is refused, not guessed.
    let r = cli.run(&["import", "holdings-csv", &holdings("near_miss.csv")]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("near_miss.csv:2: column 1 (owner)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("nearly matches NAFTAN OAO (ofac-12860"),
        "{}",
        r.stderr
    );
    assert_eq!(
        cli.db.row_counts().await.unwrap(),
        before,
        "the store is unchanged"
    );
    // The same file again is a no-op.
    let again = cli
        .ok(&["--json", "import", "holdings-csv", &holdings("belarus.csv")])
        .json();
    assert_eq!(again["created"], false);
    assert_eq!(cli.db.row_counts().await.unwrap(), before);
}

#[tokio::test]
async fn the_api_gives_the_cli_proof() {
    let cli = Cli::new().await;
    setup(&cli);
    let server = Served::start(
        Some(&cli.db.url()),
        &["--open", "--poll-interval", "1"],
        &[],
    );
    server.wait_ready(Duration::from_secs(300));
    for (id, jurisdiction, as_of) in [
        ("registry-polymir-trade-llc", "us", None),
        ("registry-chain-y-llc", "us", Some("2021-07-15")),
        ("registry-board-appointed-co", "eu", Some("2021-05-15")),
    ] {
        let cli_json = ownership(&cli, id, jurisdiction, as_of);
        let mut path = format!("/v1/ownership/{id}?jurisdiction={jurisdiction}");
        if let Some(d) = as_of {
            path.push_str(&format!("&as_of={d}"));
        }
        let r = server.get(&path, None);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json(), cli_json, "the API and the CLI agree on {id}");
    }
    let r = server.get("/v1/ownership/ofac-99999999?jurisdiction=us", None);
    assert_eq!(r.status, 404, "{}", r.body);
    let r = server.get("/v1/ownership/ofac-12860?jurisdiction=uk", None);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("jurisdiction"), "{}", r.body);
    let doc = server.get("/openapi.json", None).json();
    assert!(
        doc["paths"]["/v1/ownership/{id}"]["get"].is_object(),
        "documented"
    );

    // `/match` results carry the status as an `ownership` explanation (yente clients ignore
    // features they do not know).
    let q = serde_json::json!({"queries": {"q": {"schema": "Company", "properties": {"name": ["Polymir Trade LLC"]}}}});
    let m = server.post("/match/default", None, &q).json();
    let hit = m["responses"]["q"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "registry-polymir-trade-llc")
        .unwrap_or_else(|| panic!("{m}"))
        .clone();
    let e = &hit["explanations"]["ownership"];
    assert_eq!(e["score"], 1.0, "{hit}");
    assert!(
        e["detail"]
            .as_str()
            .unwrap()
            .contains("owned 55 % in aggregate by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %"),
        "{e}"
    );
    assert!(
        e["candidate"]
            .as_str()
            .unwrap()
            .contains("US: blocked by ownership"),
        "{e}"
    );
}
