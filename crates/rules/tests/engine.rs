//! The engine on the scenario inputs of `examples/decisions/`, against a small index of the
//! listed parties they concern (as the SDN lists write them): fast checks of every rule, with
//! no database. The end-to-end tests on the real lists are in `crates/cli/tests/it/decisions.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use interdict_dealings::{AsOf, Dealing};
use interdict_matching::{EntityMeta, Index, IndexBuilder};
use interdict_model::{Entity, Schema};
use interdict_rules::{
    DecisionInput, Engine, Jurisdiction, ListBasis, ListView, Outcome, OwnershipData, Programmes,
    Selection, SpecificLicence,
};

fn engine() -> Engine {
    Engine::new(Programmes::bundled().expect("programmes")).expect("engine")
}

fn entity(id: &str, schema: &str, names: &[&str], tags: &[&str]) -> Entity {
    let mut e = Entity::new(id, Schema::named(schema));
    e.set("name", names[0], None);
    for n in &names[1..] {
        e.set("alias", n, None);
    }
    for t in tags {
        e.set("program", t, None);
    }
    e
}

/// The listed parties of the scenarios, as the SDN lists write them.
fn index() -> Index {
    let mut b = IndexBuilder::new();
    let sdn = |e: Entity| (e, EntityMeta::dataset("us_ofac_sdn"));
    let mut bank = entity(
        "ofac-34752",
        "Organization",
        &[
            "BELARUSSIAN BANK OF DEVELOPMENT AND RECONSTRUCTION BELINVESTBANK JOINT STOCK COMPANY",
            "BELINVESTBANK",
        ],
        &["BELARUS-EO14038"],
    );
    bank.set("swiftBic", "BLBBBY2X", None);
    let mut chair = entity(
        "ofac-9770",
        "Person",
        &[
            "YARMOSHINA, Lidziya Mihaulauna",
            "YERMOSHINA, Lidziya Mihaulauna",
        ],
        &["BELARUS"],
    );
    chair.set("birthDate", "1953-01-29", None);
    for (e, meta) in [
        sdn(entity(
            "ofac-12860",
            "Organization",
            &["NAFTAN OAO", "NAFTAN OJSC"],
            &["BELARUS"],
        )),
        sdn(entity(
            "ofac-12861",
            "Organization",
            &["GRODNO AZOT OAO"],
            &["BELARUS"],
        )),
        sdn(entity(
            "ofac-12863",
            "Organization",
            &["BELSHINA OAO", "BELSHINA OJSC"],
            &["BELARUS"],
        )),
        sdn(entity(
            "ofac-32746",
            "Organization",
            &["BELARUSKALI OAO"],
            &["BELARUS-EO"],
        )),
        sdn(bank),
        sdn(chair),
    ] {
        b.add(e, meta);
    }
    b.build().unwrap()
}

fn versions() -> Vec<ListBasis> {
    vec![ListBasis {
        dataset: "us_ofac_sdn".into(),
        version_id: 1,
        published: "2021-08-18".parse().ok(),
        effective: "2021-08-18".parse().unwrap(),
        sha256: "7044c060649fca4ba5fb5fa2e5abc2fce83044ceef4280035cdf69373df54770".into(),
        entities: 6,
        selection: Selection::InForce,
    }]
}

fn ownership(index: &Index) -> OwnershipData {
    let csv = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/belarus-holdings.csv"
    ))
    .unwrap();
    OwnershipData::from_holdings_csv("belarus-holdings.csv", &csv, |cell| {
        if index.contains(cell) {
            (
                cell.to_string(),
                index.entity(cell).map(|e| e.caption().to_string()),
            )
        } else {
            (
                format!("registry-{}", interdict_model::id::slug(cell)),
                Some(cell.to_string()),
            )
        }
    })
    .unwrap()
}

fn dealing(name: &str) -> Dealing {
    let path = format!(
        "{}/../../examples/decisions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    interdict_dealings::read(&std::fs::read(&path).unwrap(), None, None).unwrap()
}

struct World {
    engine: Engine,
    index: Index,
    versions: Vec<ListBasis>,
    ownership: OwnershipData,
}

impl World {
    fn new() -> World {
        let index = index();
        let ownership = ownership(&index);
        World {
            engine: engine(),
            index,
            versions: versions(),
            ownership,
        }
    }

    fn decide_with(
        &self,
        d: &Dealing,
        j: Jurisdiction,
        licences: &[SpecificLicence],
    ) -> interdict_rules::Decision {
        self.engine.decide(DecisionInput {
            dealing: d,
            perspective: j,
            input_notes: &[],
            lists: ListView {
                index: &self.index,
                versions: &self.versions,
            },
            ownership: Some(&self.ownership),
            licences,
        })
    }

    fn decide(&self, name: &str) -> interdict_rules::Decision {
        self.decide_with(&dealing(name), Jurisdiction::Us, &[])
    }

    fn at(&self, name: &str, at: &str) -> interdict_rules::Decision {
        let mut d = dealing(name);
        d.as_of = AsOf::parse(at, None).unwrap();
        self.decide_with(&d, Jurisdiction::Us, &[])
    }
}

fn applied(d: &interdict_rules::Decision) -> Vec<&str> {
    d.licences
        .iter()
        .filter(|l| l.applies)
        .map(|l| l.number.as_str())
        .collect()
}

#[test]
fn naftan_through_gl_2g_gl_2h_and_the_block() {
    let w = World::new();
    let d = w.decide("naftan-payment.json");
    assert_eq!(d.outcome, Outcome::AllowUnderLicence);
    assert_eq!(applied(&d), ["GL 2G"]);
    assert_eq!(d.obligations[0].due.unwrap().to_string(), "2021-03-31");
    assert!(d.headline.contains("Report it to U.S. Department of State"));
    assert!(d.to_string().starts_with("DECISION: ALLOW_UNDER_LICENCE\n"));

    let d = w.decide("naftan-payment-2021-05-15-existing-contract.json");
    assert_eq!(applied(&d), ["GL 2H"]);
    let d = w.decide("naftan-payment-2021-05-15-new-contract.json");
    assert_eq!(d.outcome, Outcome::Block);
    assert!(d.obligations.is_empty() || d.obligations[0].kind == "blocked property report");

    // The minute of GL 2H's expiry, in New York and in Minsk (UTC+3).
    assert_eq!(
        w.decide("naftan-payment-2021-06-03T0000.json").outcome,
        Outcome::AllowUnderLicence
    );
    assert_eq!(
        w.decide("naftan-payment-2021-06-03T0002.json").outcome,
        Outcome::Block
    );
    assert_eq!(
        w.at(
            "naftan-payment-2021-06-03T0000.json",
            "2021-06-03T07:01:00[Europe/Minsk]"
        )
        .outcome,
        Outcome::AllowUnderLicence
    );
    assert_eq!(
        w.at(
            "naftan-payment-2021-06-03T0000.json",
            "2021-06-03T07:01:01[Europe/Minsk]"
        )
        .outcome,
        Outcome::Block
    );

    let d = w.decide("naftan-payment-2021-06-10.json");
    assert_eq!(d.outcome, Outcome::Block);
    assert_eq!(d.obligations[0].due.unwrap().to_string(), "2021-06-25");
    assert_eq!(d.obligations[0].citation, "31 CFR 501.603");
}

#[test]
fn the_subsidiary_by_aggregation() {
    let w = World::new();
    let d = w.decide("naftan-subsidiary-payment.json");
    assert_eq!(d.outcome, Outcome::AllowUnderLicence);
    assert_eq!(applied(&d), ["GL 2G"]);
    let gl = d.licences.iter().find(|l| l.number == "GL 2G").unwrap();
    assert!(
        gl.why
            .contains("owned 55 % by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %"),
        "{}",
        gl.why
    );
    let d = w.at(
        "naftan-subsidiary-payment.json",
        "2021-06-10T09:00:00[America/New_York]",
    );
    assert_eq!(d.outcome, Outcome::Block);
}

#[test]
fn belaruskali_gl_4_and_gl_13() {
    let w = World::new();
    assert_eq!(
        applied(&w.decide("belaruskali-payment-2021-09-01.json")),
        ["GL 4"]
    );
    let d = w.decide("belaruskali-payment-2021-12-09.json");
    assert_eq!(d.outcome, Outcome::Block);
    let gl5 = d.licences.iter().find(|l| l.number == "GL 5").unwrap();
    assert!(
        gl5.why
            .contains("does not authorise direct dealings with BELARUSKALI OAO (creditor here)"),
        "{}",
        gl5.why
    );
    let d = w.decide("belaruskali-payment-2025-12-16.json");
    assert_eq!(applied(&d), ["GL 13"]);
    assert!(
        d.caveats
            .iter()
            .any(|c| c.contains("GL 13 rests on an unconfirmed fact (verify)"))
    );
}

#[test]
fn directive_1() {
    let w = World::new();
    let d = w.decide("directive1-mof-bond-issued-2021-12-10.json");
    assert_eq!(d.outcome, Outcome::Reject);
    assert_eq!(
        d.obligations[0].due.unwrap().to_string(),
        "2022-01-31",
        "MLK day skipped"
    );
    for f in [
        "directive1-mof-bond-issued-2021-11-30.json",
        "directive1-mof-60-day-paper.json",
        "directive1-mof-owned-company-bond.json",
        "eurobond-2031.json",
    ] {
        assert_eq!(w.decide(f).outcome, Outcome::Allow, "{f}");
    }
    let d = w.decide("directive1-mof-owned-company-bond.json");
    assert!(
        d.measures[0]
            .why
            .contains("owned 70 % by Ministry of Finance of the Republic of Belarus 70 %"),
        "{}",
        d.measures[0].why
    );
    // A pre-cut-off bond whose terms were modified after the cut-off is new debt (FAQ 942).
    let mut modified = dealing("directive1-mof-bond-issued-2021-11-30.json");
    if let Some(s) = modified.securities.as_mut() {
        s.instrument.terms_agreed_date = "2021-12-05".parse().ok();
    }
    assert_eq!(
        w.decide_with(&modified, Jurisdiction::Us, &[]).outcome,
        Outcome::Reject
    );
    // A maturity not stated is for review.
    let mut unknown = dealing("directive1-mof-bond-issued-2021-12-10.json");
    if let Some(s) = unknown.securities.as_mut() {
        s.instrument.maturity_date = None;
    }
    assert_eq!(
        w.decide_with(&unknown, Jurisdiction::Us, &[]).outcome,
        Outcome::Review
    );
}

#[test]
fn belshina_travel_bic_and_text() {
    let w = World::new();
    assert_eq!(w.decide("belshina-import.json").outcome, Outcome::Block);
    let d = w.decide("yarmoshina-visa.json");
    assert_eq!(d.outcome, Outcome::Reject);
    assert!(d.headline.starts_with("Refuse the application"));
    let d = w.at(
        "listed-bank-intermediary-mt103.txt",
        "2023-06-15T09:30:00+02:00",
    );
    assert_eq!(d.outcome, Outcome::Block);
    let d = w.decide("remittance-only-pacs008.xml");
    assert_eq!(d.outcome, Outcome::Review);
    let d = w.at(
        "humanitarian-ngo-medicine.json",
        "2024-01-15T14:00:00[Europe/Berlin]",
    );
    assert_eq!(d.outcome, Outcome::AllowUnderLicence);
    assert!(d.caveats.iter().any(|c| c.contains("verify")));
}

#[test]
fn eu_potash_grandfathering_and_missing_lists() {
    let w = World::new();
    // The EU perspective's lists are not in this index: the parties cannot be screened.
    let d = w.decide_with(&dealing("eu-potash-2021-06-20.json"), Jurisdiction::Eu, &[]);
    assert_eq!(d.outcome, Outcome::Review);
    assert!(d.review[0].contains("No list of the EU perspective"));
    assert!(d.measures[0].why.contains("grandfathered"));
    let d = w.decide_with(&dealing("eu-potash-2021-06-28.json"), Jurisdiction::Eu, &[]);
    assert_eq!(d.outcome, Outcome::Reject);
    assert!(d.headline.contains("verify"));
}

#[test]
fn specific_licences() {
    let w = World::new();
    let payment = dealing("naftan-payment-2021-06-10.json");
    let mut licence = SpecificLicence {
        id: Some(1),
        number: "BELARUS-2021-0001".into(),
        jurisdiction: Jurisdiction::Us,
        holder: "GULF COAST LUBRICANTS TRADING LLC".into(),
        parties: vec!["ofac-12860".into()],
        programmes: vec!["us-belarus".into()],
        amount_cap: Some("20000".into()),
        currency: Some("USD".into()),
        valid_from: "2021-06-05".parse().unwrap(),
        valid_until: None,
        conditions: vec![],
        created_at: None,
        revoked_at: None,
        revocation_reason: None,
    };
    let d = w.decide_with(&payment, Jurisdiction::Us, std::slice::from_ref(&licence));
    assert_eq!(d.outcome, Outcome::AllowUnderLicence);
    assert_eq!(applied(&d), ["BELARUS-2021-0001"]);
    licence.amount_cap = Some("10000".into());
    let d = w.decide_with(&payment, Jurisdiction::Us, std::slice::from_ref(&licence));
    assert_eq!(d.outcome, Outcome::Block);
    licence.amount_cap = None;
    licence.currency = None;
    licence.revoked_at = "2021-06-09T00:00:00Z".parse().ok();
    let d = w.decide_with(&payment, Jurisdiction::Us, std::slice::from_ref(&licence));
    assert_eq!(d.outcome, Outcome::Block);
    licence.revoked_at = None;
    licence.holder = "Someone Else Ltd".into();
    let d = w.decide_with(&payment, Jurisdiction::Us, std::slice::from_ref(&licence));
    assert_eq!(d.outcome, Outcome::Block);
    assert!(
        d.licences
            .iter()
            .any(|l| l.why.contains("no party of the dealing is its holder"))
    );
}

#[test]
fn a_decision_is_replayable_byte_for_byte() {
    let w = World::new();
    for f in [
        "naftan-subsidiary-payment.json",
        "directive1-mof-owned-company-bond.json",
        "remittance-only-pacs008.xml",
    ] {
        let a = w.decide(f);
        let b = w.decide(f);
        assert_eq!(a.canonical_json(), b.canonical_json(), "{f}");
        let back: interdict_rules::Decision = serde_json::from_str(&a.canonical_json()).unwrap();
        assert_eq!(back, a, "{f}: the JSON form reads back");
        let again = w.decide_with(
            &back.dealing,
            back.perspective,
            &back.basis.specific_licences,
        );
        assert_eq!(
            again.canonical_json(),
            a.canonical_json(),
            "{f}: replayed from its record"
        );
    }
}
