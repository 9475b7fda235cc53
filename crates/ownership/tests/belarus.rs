//! The scenarios of issue 5 and `docs/belarus-program.md` §7: real listed entities (NAFTAN OAO,
//! SDN 12860; GRODNO AZOT OAO, SDN 12861; Lukashenka, SDN 9760, listed by the EU on
//! 2020-11-06), synthetic holdings.

use chrono::NaiveDate;
use interdict_model::{Entity, PartialDate, Schema};
use interdict_ownership::{
    Assessment, Control, ControlKind, Counted, Effect, GraphBuilder, Holding, Jurisdiction,
    ListedSet, Listing, Meets, OwnershipGraph, Period, Proof, Relation, Scope, Share, Status,
    explain, holdings_csv,
};

const NAFTAN: &str = "ofac-12860";
const GRODNO_AZOT: &str = "ofac-12861";
const LUKASHENKA: &str = "ofac-9760";
const MINFIN: &str = "by-minfin";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn pct(s: &str) -> Share {
    Share::parse(s).expect("share")
}

/// A graph with the real names, plus whatever holdings the test adds.
fn graph(holdings: &[(&str, &str, &str)]) -> OwnershipGraph {
    let mut b = GraphBuilder::new();
    b.party(NAFTAN, Some("NAFTAN OAO"));
    b.party(GRODNO_AZOT, Some("GRODNO AZOT OAO"));
    b.party(LUKASHENKA, Some("LUKASHENKA, Alyaksandr Ryhorovich"));
    b.party(
        MINFIN,
        Some("Ministry of Finance of the Republic of Belarus"),
    );
    for (owner, asset, share) in holdings {
        b.party(asset, Some(asset));
        b.holding(Holding::new(*owner, *asset, pct(share)))
            .expect("holding");
    }
    b.build()
}

/// NAFTAN and GRODNO AZOT on the SDN list (programme BELARUS, designated 2011-08-11), and
/// Lukashenka listed by the EU from 2020-11-06.
fn listings() -> ListedSet {
    [
        Listing::new(NAFTAN, Jurisdiction::Us, "BELARUS").since(day("2011-08-11")),
        Listing::new(GRODNO_AZOT, Jurisdiction::Us, "BELARUS").since(day("2011-08-11")),
        Listing::new(LUKASHENKA, Jurisdiction::Us, "BELARUS").since(day("2006-06-16")),
        Listing::new(LUKASHENKA, Jurisdiction::Eu, "BLR").since(day("2020-11-06")),
    ]
    .into_iter()
    .collect()
}

fn us(date: &str) -> Scope {
    Scope::new(Jurisdiction::Us, day(date))
}

fn eu(date: &str) -> Scope {
    Scope::new(Jurisdiction::Eu, day(date))
}

fn assess(g: &OwnershipGraph, l: &ListedSet, scope: &Scope, id: &str) -> (Status, Proof) {
    let a = Assessment::compute(g, l, scope);
    let status = a.status(g, l, id);
    let proof = a.proof(g, l, id).expect("proof");
    assert_eq!(proof.status, status, "the proof agrees with the assessment");
    assert_eq!(
        explain(g, l, scope, id).expect("explain").status,
        status,
        "and with a standalone proof"
    );
    (status, proof)
}

#[test]
fn sixty_percent_naftan_is_blocked_in_the_us() {
    let g = graph(&[(NAFTAN, "co-a", "60%")]);
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "co-a");
    assert_eq!(status, Status::Owned);
    assert_eq!(proof.effect, Effect::Blocked);
    assert!(
        proof
            .sentence
            .contains("as of 2021-06-10: owned 60 % by NAFTAN OAO."),
        "{}",
        proof.sentence
    );
    assert!(
        proof.sentence.contains("Listed: NAFTAN OAO (BELARUS)"),
        "{}",
        proof.sentence
    );
    assert_eq!(proof.paths.len(), 1);
    assert_eq!(proof.paths[0].render(), "NAFTAN OAO —60 %→ co-a");
    assert_eq!(proof.rule.name, "OFAC 50 Percent Rule");
    // Before the designation nothing is blocked.
    let (before, _) = assess(&g, &listings(), &us("2010-01-01"), "co-a");
    assert_eq!(before, Status::Clear);
}

#[test]
fn thirty_plus_twenty_five_is_blocked_by_aggregation() {
    let g = graph(&[(NAFTAN, "co-b", "30%"), (GRODNO_AZOT, "co-b", "25")]);
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "co-b");
    assert_eq!(status, Status::Owned);
    assert!(
        proof
            .sentence
            .contains("owned 55 % in aggregate by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %"),
        "{}",
        proof.sentence
    );
    let step = proof.steps.last().expect("step");
    assert_eq!(
        step.total,
        Share::exact(interdict_ownership::Percent::whole(55))
    );
    assert_eq!(step.meets, Meets::Definitely);
    let owners: Vec<(&str, String, Counted)> = step
        .owners
        .iter()
        .map(|o| (o.owner.label(), o.share.to_string(), o.counted))
        .collect();
    assert_eq!(
        owners,
        vec![
            ("NAFTAN OAO", "30 %".to_string(), Counted::Definitely),
            ("GRODNO AZOT OAO", "25 %".to_string(), Counted::Definitely)
        ]
    );
    let listed: Vec<&str> = proof
        .listed_owners
        .iter()
        .map(|o| o.party.id.as_str())
        .collect();
    assert_eq!(listed, vec![NAFTAN, GRODNO_AZOT]);
    assert_eq!(proof.paths.len(), 2);
}

#[test]
fn thirty_plus_fifteen_is_not() {
    let g = graph(&[(NAFTAN, "co-c", "30"), (GRODNO_AZOT, "co-c", "15")]);
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "co-c");
    assert_eq!(status, Status::Clear);
    assert_eq!(proof.effect, Effect::Clear);
    assert!(
        proof
            .sentence
            .contains("held 45 % in aggregate by covered persons, short of 50 %"),
        "{}",
        proof.sentence
    );
    assert_eq!(proof.steps.last().map(|s| s.meets), Some(Meets::No));
}

#[test]
fn a_two_level_chain_blocks_and_shows_its_path() {
    let g = graph(&[(NAFTAN, "X", "50"), ("X", "Y", "50")]);
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "Y");
    assert_eq!(status, Status::Owned);
    assert_eq!(proof.paths.len(), 1);
    assert_eq!(proof.paths[0].render(), "NAFTAN OAO —50 %→ X —50 %→ Y");
    assert!(
        proof
            .sentence
            .contains("owned 50 % by X; X is owned 50 % by NAFTAN OAO"),
        "{}",
        proof.sentence
    );
    let steps: Vec<&str> = proof.steps.iter().map(|s| s.entity.id.as_str()).collect();
    assert_eq!(steps, vec!["X", "Y"]);
    // Shares are not multiplied along the chain, and nothing flows through an unblocked company.
    let g = graph(&[(NAFTAN, "X", "49"), ("X", "Y", "100")]);
    assert_eq!(
        assess(&g, &listings(), &us("2021-06-10"), "Y").0,
        Status::Clear
    );
}

#[test]
fn eu_fifty_percent_before_and_after_2024_07_03_and_control() {
    let g = graph(&[(LUKASHENKA, "co-eu", "50")]);
    let l = listings();
    let (s2021, p2021) = assess(&g, &l, &eu("2021-05-15"), "co-eu");
    assert_eq!(s2021, Status::Clear, "{}", p2021.sentence);
    assert_eq!(
        p2021.rule.name,
        "EU ownership or control test (2018 Best Practices)"
    );
    assert!(
        p2021
            .notes
            .iter()
            .any(|n| n.contains("requires more than 50 %")),
        "{:?}",
        p2021.notes
    );
    let (s2025, p2025) = assess(&g, &l, &eu("2025-01-01"), "co-eu");
    assert_eq!(s2025, Status::Owned, "{}", p2025.sentence);
    assert_eq!(
        p2025.rule.name,
        "EU ownership or control test (2024 Best Practices)"
    );
    assert_eq!(p2025.effect, Effect::Blocked);

    // The same company, and the listed person appoints the board.
    let mut g = graph(&[(LUKASHENKA, "co-eu", "50")]);
    g.add_control(Control::new(
        LUKASHENKA,
        "co-eu",
        ControlKind::BoardMajority,
    ))
    .expect("control");
    let (s2021, p2021) = assess(&g, &l, &eu("2021-05-15"), "co-eu");
    assert_eq!(s2021, Status::Controlled, "{}", p2021.sentence);
    assert!(p2021.controlled);
    assert_eq!(
        p2021.effect,
        Effect::Blocked,
        "control counts under the EU test"
    );
    assert!(
        p2021
            .sentence
            .contains("appoints the majority of the board"),
        "{}",
        p2021.sentence
    );
    let (s2025, p2025) = assess(&g, &l, &eu("2025-01-01"), "co-eu");
    assert_eq!(s2025, Status::Owned);
    assert!(p2025.controlled, "flagged controlled on both dates");
    assert!(
        p2025.sentence.contains(
            "and controlled: LUKASHENKA, Alyaksandr Ryhorovich appoints the majority of the board"
        ),
        "{}",
        p2025.sentence
    );
}

#[test]
fn us_control_alone_flags_for_review() {
    let mut g = graph(&[(NAFTAN, "co-ctl", "10")]);
    g.add_control(Control::new(NAFTAN, "co-ctl", ControlKind::BoardMajority))
        .expect("control");
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "co-ctl");
    assert_eq!(status, Status::Controlled);
    assert_eq!(proof.effect, Effect::Review);
    assert!(
        proof.sentence.starts_with(
            "co-ctl is controlled — review: NAFTAN OAO appoints the majority of the board"
        ),
        "{}",
        proof.sentence
    );
    // Control does not pass blocking on under the OFAC rule.
    g.add_holding(Holding::new("co-ctl", "co-sub", pct("100")))
        .expect("holding");
    assert_eq!(
        assess(&g, &listings(), &us("2021-06-10"), "co-sub").0,
        Status::Clear
    );
    // It does under the EU test (EU-listed person).
    g.add_control(Control::new(LUKASHENKA, "co-ctl", ControlKind::DeFacto))
        .expect("control");
    let (status, proof) = assess(&g, &listings(), &eu("2025-01-01"), "co-sub");
    assert_eq!(status, Status::Owned, "{}", proof.sentence);
    assert_eq!(
        proof.paths[0].render(),
        "LUKASHENKA, Alyaksandr Ryhorovich —controls (de facto)→ co-ctl —100 %→ co-sub"
    );
}

#[test]
fn a_cycle_terminates_with_the_other_side_blocked() {
    let mut b = GraphBuilder::new();
    b.party("A", Some("A"));
    b.party("B", Some("B"));
    b.holding(Holding::new("A", "B", pct("60")))
        .expect("holding");
    b.holding(Holding::new("B", "A", pct("60")))
        .expect("holding");
    let g = b.build();
    let l: ListedSet = [Listing::new("A", Jurisdiction::Us, "BELARUS")]
        .into_iter()
        .collect();
    let (status, proof) = assess(&g, &l, &us("2021-06-10"), "B");
    assert_eq!(status, Status::Owned);
    assert_eq!(proof.paths.len(), 1);
    assert_eq!(proof.paths[0].render(), "A —60 %→ B");
    assert_eq!(assess(&g, &l, &us("2021-06-10"), "A").0, Status::Listed);
    // A ring of companies none of which is listed stays clear.
    let l = ListedSet::new();
    assert_eq!(assess(&g, &l, &us("2021-06-10"), "B").0, Status::Clear);
}

#[test]
fn holdings_outside_their_dates_do_not_count() {
    let mut b = GraphBuilder::new();
    b.party(NAFTAN, Some("NAFTAN OAO"));
    let sold = Period::new(
        Some(PartialDate::year(2015)),
        PartialDate::ymd(2020, 12, 31),
    );
    let later = Period::new(PartialDate::ymd(2022, 3, 1), None);
    let partial = Period::new(Some(PartialDate::year(2021)), None);
    b.holding(Holding::new(NAFTAN, "sold", pct("60")).during(sold))
        .expect("h");
    b.holding(Holding::new(NAFTAN, "later", pct("60")).during(later))
        .expect("h");
    b.holding(Holding::new(NAFTAN, "partial", pct("60")).during(partial))
        .expect("h");
    let g = b.build();
    let l = listings();
    assert_eq!(
        assess(&g, &l, &us("2020-12-31"), "sold").0,
        Status::Owned,
        "the end date is inclusive"
    );
    assert_eq!(assess(&g, &l, &us("2021-06-10"), "sold").0, Status::Clear);
    assert_eq!(assess(&g, &l, &us("2021-06-10"), "later").0, Status::Clear);
    assert_eq!(assess(&g, &l, &us("2022-03-01"), "later").0, Status::Owned);
    let (status, proof) = assess(&g, &l, &us("2021-06-10"), "partial");
    assert_eq!(
        status,
        Status::Review,
        "a start date of 2021 may or may not be before 2021-06-10"
    );
    assert!(
        proof
            .notes
            .iter()
            .any(|n| n.contains("partial start or end date")),
        "{:?}",
        proof.notes
    );
    assert_eq!(
        assess(&g, &l, &us("2022-01-01"), "partial").0,
        Status::Owned
    );
}

#[test]
fn a_range_gives_review_when_only_its_upper_bound_reaches_fifty() {
    let g = graph(&[
        (NAFTAN, "co-r", "25-50"),
        (GRODNO_AZOT, "co-r", "10"),
        (NAFTAN, "co-s", "50-75"),
        (NAFTAN, "co-t", "<50"),
    ]);
    let l = listings();
    let (status, proof) = assess(&g, &l, &us("2021-06-10"), "co-r");
    assert_eq!(status, Status::Review);
    assert_eq!(proof.effect, Effect::Review);
    let step = proof.steps.last().expect("step");
    assert_eq!(step.total.to_string(), "35–60 %");
    assert_eq!(step.meets, Meets::Possibly);
    assert!(
        proof
            .notes
            .iter()
            .any(|n| n.contains("the lower end decides a definite block")),
        "{:?}",
        proof.notes
    );
    assert!(
        proof
            .sentence
            .contains("owned 35–60 % in aggregate by NAFTAN OAO 25–50 % and GRODNO AZOT OAO 10 %"),
        "{}",
        proof.sentence
    );
    assert_eq!(
        assess(&g, &l, &us("2021-06-10"), "co-s").0,
        Status::Owned,
        "the lower bound reaches 50 %"
    );
    assert_eq!(
        assess(&g, &l, &us("2021-06-10"), "co-t").0,
        Status::Clear,
        "less than 50 % never reaches 50 %"
    );
    // A holding without a percentage can only ever flag a review.
    let g = graph(&[(NAFTAN, "co-u", "")]);
    assert_eq!(assess(&g, &l, &us("2021-06-10"), "co-u").0, Status::Review);
}

#[test]
fn directive_one_does_not_extend_by_ownership() {
    let g = graph(&[(MINFIN, "co-mof", "70")]);
    let mut l = listings();
    l.add(
        Listing::new(MINFIN, Jurisdiction::Us, "BELARUS-EO14038-DIR1")
            .since(day("2021-12-02"))
            .not_extending_by_ownership(),
    );
    let dir1 = us("2022-01-10").programmes(["BELARUS-EO14038-DIR1"]);
    let (status, proof) = assess(&g, &l, &dir1, "co-mof");
    assert_eq!(status, Status::Clear, "{}", proof.sentence);
    assert!(
        proof
            .sentence
            .contains("not counted: Ministry of Finance of the Republic of Belarus 70 %"),
        "{}",
        proof.sentence
    );
    assert_eq!(assess(&g, &l, &dir1, MINFIN).0, Status::Listed);
    // The same, said by the scope for a measure whose listings are not marked.
    let mut plain = listings();
    plain.add(Listing::new(
        MINFIN,
        Jurisdiction::Us,
        "BELARUS-EO14038-DIR1",
    ));
    let scope = us("2022-01-10")
        .programmes(["BELARUS-EO14038-DIR1"])
        .not_extending_by_ownership();
    let (status, proof) = assess(&g, &plain, &scope, "co-mof");
    assert_eq!(status, Status::Clear);
    assert!(
        proof.notes.iter().any(|n| n.contains("FAQ 943")),
        "{:?}",
        proof.notes
    );
    // Had the measure extended by ownership, the company would be covered.
    assert_eq!(
        assess(
            &g,
            &plain,
            &us("2022-01-10").programmes(["BELARUS-EO14038-DIR1"]),
            "co-mof"
        )
        .0,
        Status::Owned
    );
}

#[test]
fn eu_before_2024_does_not_aggregate_listed_persons() {
    let mut b = GraphBuilder::new();
    b.holding(Holding::new("eu-p1", "co-j", pct("30")))
        .expect("h");
    b.holding(Holding::new("eu-p2", "co-j", pct("30")))
        .expect("h");
    b.holding(Holding::new("eu-p1", "co-k", pct("30")))
        .expect("h");
    b.holding(Holding::new("eu-p1", "co-k-parent", pct("100")))
        .expect("h");
    b.holding(Holding::new("co-k-parent", "co-k", pct("30")))
        .expect("h");
    let g = b.build();
    let l: ListedSet = ["eu-p1", "eu-p2"]
        .into_iter()
        .map(|p| Listing::new(p, Jurisdiction::Eu, "BLR"))
        .collect();
    assert_eq!(assess(&g, &l, &eu("2021-05-15"), "co-j").0, Status::Clear);
    assert_eq!(assess(&g, &l, &eu("2025-01-01"), "co-j").0, Status::Owned);
    // One listed person's own group still adds up: 30 % directly and 30 % through a company it owns.
    let (status, proof) = assess(&g, &l, &eu("2021-05-15"), "co-k");
    assert_eq!(status, Status::Owned, "{}", proof.sentence);
}

#[test]
fn read_from_ftm_entities() {
    let mut entities = Vec::new();
    let mut naftan = Entity::new(NAFTAN, Schema::named("Company"));
    naftan.set("name", "NAFTAN OAO", None);
    entities.push(naftan);
    let mut sub = Entity::new("co-ftm", Schema::named("Company"));
    sub.set("name", "Naftan-Service LLC", None);
    entities.push(sub);
    let mut own = Entity::new("own-1", Schema::named("Ownership"));
    own.set("owner", NAFTAN, None);
    own.set("asset", "co-ftm", None);
    own.set("percentage", "51%", None);
    own.set("startDate", "2019-03-01", None);
    entities.push(own);
    let mut ctl = Entity::new("own-2", Schema::named("Ownership"));
    ctl.set("owner", GRODNO_AZOT, None);
    ctl.set("asset", "co-ftm", None);
    ctl.set("ownershipType", "control: voting rights", None);
    ctl.set("percentage", "60", None);
    entities.push(ctl);
    let (g, errors) = OwnershipGraph::from_entities(&entities);
    assert!(errors.is_empty());
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "co-ftm");
    assert_eq!(status, Status::Owned);
    assert!(proof.controlled);
    assert_eq!(
        proof.steps[0].owners[0].records[0].record.as_deref(),
        Some("own-1")
    );
    assert_eq!(
        assess(&g, &listings(), &us("2019-01-01"), "co-ftm").0,
        Status::Controlled
    );
}

#[test]
fn proofs_serialise_for_the_api_and_replay() {
    let g = graph(&[
        (NAFTAN, "X", "50"),
        ("X", "Y", "50"),
        (GRODNO_AZOT, "Y", "25-30"),
    ]);
    let (_, proof) = assess(&g, &listings(), &us("2021-06-10"), "Y");
    let json = serde_json::to_string_pretty(&proof).expect("json");
    let back: Proof = serde_json::from_str(&json).expect("back");
    assert_eq!(back, proof);
    let v: serde_json::Value = serde_json::from_str(&json).expect("value");
    assert_eq!(v["status"], "owned");
    assert_eq!(v["effect"], "blocked");
    assert_eq!(v["rule"]["comparison"], "at_least");
    assert_eq!(v["steps"][1]["total"]["min"], 75.0);
    // Replaying with the recorded rule gives the same proof.
    let replay = Scope {
        rule: back.rule.clone(),
        ..us("2021-06-10")
    };
    assert_eq!(
        explain(&g, &listings(), &replay, "Y").expect("replay"),
        proof
    );
}

#[test]
fn delisting_updates_incrementally_and_reports_what_changed() {
    let g = graph(&[
        (NAFTAN, "X", "50"),
        ("X", "Y", "50"),
        (GRODNO_AZOT, "Z", "60"),
    ]);
    let mut l = listings();
    let scope = us("2025-01-01");
    let mut a = Assessment::compute(&g, &l, &scope);
    let change = l.remove(NAFTAN, Jurisdiction::Us, "BELARUS");
    let report = a.update(&g, &l, &[change]);
    let changed: Vec<(&str, Status, Status)> = report
        .changed
        .iter()
        .map(|c| (c.entity.as_str(), c.before, c.after))
        .collect();
    assert_eq!(
        changed,
        vec![
            (NAFTAN, Status::Listed, Status::Clear),
            ("X", Status::Owned, Status::Clear),
            ("Y", Status::Owned, Status::Clear)
        ]
    );
    assert_eq!(
        report.region, 3,
        "Z, owned by GRODNO AZOT, was not looked at"
    );
    assert_eq!(a.status(&g, &l, "Z"), Status::Owned);
}

#[test]
fn holdings_csv_to_status() {
    let text = "owner,asset,percentage,start_date,end_date\n\
                NAFTAN OAO,Polymir Trade,30%,2019-01-01,\n\
                GRODNO AZOT OAO,Polymir Trade,25,2019,\n";
    let parsed = holdings_csv::parse_str("registry.csv", text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let mut resolver = |name: &str, _side: holdings_csv::Side| -> Result<String, String> {
        Ok(match name {
            "NAFTAN OAO" => NAFTAN.to_string(),
            "GRODNO AZOT OAO" => GRODNO_AZOT.to_string(),
            other => format!("new-{}", other.to_lowercase().replace(' ', "-")),
        })
    };
    let relations = parsed.resolve(&mut resolver).expect("resolved");
    let mut g = graph(&[]);
    for r in relations {
        match r {
            Relation::Holding(h) => {
                g.add_holding(h).expect("holding");
            }
            other => panic!("{other:?}"),
        }
    }
    g.set_name("new-polymir-trade", "Polymir Trade");
    let (status, proof) = assess(&g, &listings(), &us("2021-06-10"), "new-polymir-trade");
    assert_eq!(status, Status::Owned);
    assert!(
        proof
            .sentence
            .contains("Polymir Trade is blocked by ownership"),
        "{}",
        proof.sentence
    );
    assert_eq!(
        proof.steps[0].owners[0].records[0].record.as_deref(),
        Some("registry.csv:2")
    );
}
