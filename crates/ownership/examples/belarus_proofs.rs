//! Print the proofs of the Belarus scenarios (issue 5), as the CLI will show them.
//!
//! ```text
//! cargo run -p interdict-ownership --example belarus_proofs [-- --json]
//! ```

use chrono::NaiveDate;
use interdict_ownership::{
    Assessment, Control, ControlKind, GraphBuilder, Holding, Jurisdiction, ListedSet, Listing,
    OwnershipError, Scope, Share,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let json = std::env::args().any(|a| a == "--json");
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d");
    let mut b = GraphBuilder::new();
    b.party("ofac-12860", Some("NAFTAN OAO"));
    b.party("ofac-12861", Some("GRODNO AZOT OAO"));
    b.party("ofac-9760", Some("LUKASHENKA, Alyaksandr Ryhorovich"));
    b.party(
        "by-minfin",
        Some("Ministry of Finance of the Republic of Belarus"),
    );
    for (owner, asset, share) in [
        ("ofac-12860", "Naftan Trading LLC", "60%"),
        ("ofac-12860", "Polymir Trade", "30%"),
        ("ofac-12861", "Polymir Trade", "25"),
        ("ofac-12860", "Novopolotsk Service", "30"),
        ("ofac-12861", "Novopolotsk Service", "15"),
        ("ofac-12860", "X", "50"),
        ("X", "Y", "50"),
        ("ofac-12860", "Range Co", "25-50"),
        ("ofac-9760", "Minsk Holding", "50"),
        ("by-minfin", "Belagroprombank", "70"),
    ] {
        b.party(asset, Some(asset));
        b.holding(Holding::new(owner, asset, Share::parse(share)?))?;
    }
    b.control(Control::new(
        "ofac-9760",
        "Minsk Holding",
        ControlKind::BoardMajority,
    ))?;
    let graph = b.build();
    let listings: ListedSet = [
        Listing::new("ofac-12860", Jurisdiction::Us, "BELARUS").since(day("2011-08-11")?),
        Listing::new("ofac-12861", Jurisdiction::Us, "BELARUS").since(day("2011-08-11")?),
        Listing::new("ofac-9760", Jurisdiction::Eu, "BLR").since(day("2020-11-06")?),
        Listing::new("by-minfin", Jurisdiction::Us, "BELARUS-EO14038-DIR1")
            .since(day("2021-12-02")?)
            .not_extending_by_ownership(),
    ]
    .into_iter()
    .collect();

    let cases = [
        (
            "Naftan Trading LLC",
            Scope::new(Jurisdiction::Us, day("2021-06-10")?),
        ),
        (
            "Polymir Trade",
            Scope::new(Jurisdiction::Us, day("2021-06-10")?),
        ),
        (
            "Novopolotsk Service",
            Scope::new(Jurisdiction::Us, day("2021-06-10")?),
        ),
        ("Y", Scope::new(Jurisdiction::Us, day("2021-06-10")?)),
        ("Range Co", Scope::new(Jurisdiction::Us, day("2021-06-10")?)),
        (
            "Minsk Holding",
            Scope::new(Jurisdiction::Eu, day("2021-05-15")?),
        ),
        (
            "Minsk Holding",
            Scope::new(Jurisdiction::Eu, day("2025-01-01")?),
        ),
        (
            "Minsk Holding",
            Scope::new(Jurisdiction::Us, day("2025-01-01")?),
        ),
        (
            "Belagroprombank",
            Scope::new(Jurisdiction::Us, day("2022-01-10")?),
        ),
        (
            "ofac-12860",
            Scope::new(Jurisdiction::Us, day("2021-06-10")?),
        ),
    ];
    for (id, scope) in cases {
        let a = Assessment::compute(&graph, &listings, &scope);
        let proof = a
            .proof(&graph, &listings, id)
            .map_err(|e: OwnershipError| e.to_string())?;
        if json {
            println!("{}", serde_json::to_string_pretty(&proof)?);
        } else {
            println!(
                "[{} {}] {}",
                scope.jurisdiction.code(),
                scope.as_of,
                proof.sentence
            );
            for p in &proof.paths {
                println!("    path: {}", p.render());
            }
            for n in &proof.notes {
                println!("    note: {n}");
            }
        }
    }
    Ok(())
}
