//! Every file under `examples/decisions/` parses, with the parties, dates and details its
//! scenario needs.

use interdict_dealings::{
    Account, CountrySource, Dealing, DealingKind, InputFormat, InstrumentKind, PartyRole,
    PartySchema, Perspective, PurposeCategory, Side, TextKind, TradeDirection, read, read_json,
    to_json,
};

fn example(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../examples/decisions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn load(name: &str) -> Dealing {
    read(&example(name), None, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn only(d: &Dealing, role: PartyRole) -> &interdict_dealings::Party {
    let mut it = d.parties_with_role(role);
    let p = it
        .next()
        .unwrap_or_else(|| panic!("no {role:?} in {}", d.reference));
    assert!(it.next().is_none(), "more than one {role:?}");
    p
}

fn utc(d: &Dealing) -> String {
    d.as_of.utc().to_rfc3339()
}

#[test]
fn every_example_file_is_tested_and_round_trips() {
    let dir = format!("{}/../../examples/decisions", env!("CARGO_MANIFEST_DIR"));
    let this = include_str!("examples.rs");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            continue;
        }
        count += 1;
        assert!(
            this.contains(&format!("\"{name}\"")),
            "{name} has no parse test"
        );
        let dealing = load(&name);
        let json = to_json(&dealing);
        let again = read_json(json.as_bytes(), None)
            .unwrap_or_else(|e| panic!("{name} round trip: {e}\n{json}"));
        assert_eq!(dealing, again, "{name} round trip");
    }
    assert!(count >= 28, "only {count} examples");
}

#[test]
fn naftan_payment_json() {
    let d = load("naftan-payment.json");
    assert_eq!(d.kind, DealingKind::Payment);
    assert_eq!(d.perspective, Some(Perspective::Us));
    assert_eq!(
        d.as_of.to_string(),
        "2021-03-01T10:00:00-05:00[America/New_York]"
    );
    assert_eq!(utc(&d), "2021-03-01T15:00:00+00:00");
    let amount = d.amount.as_ref().unwrap();
    assert_eq!(amount.currency.as_str(), "USD");
    assert!(amount.value > interdict_dealings::Amount::whole(50_000));
    let naftan = only(&d, PartyRole::Creditor);
    assert_eq!(naftan.names, ["NAFTAN OAO"]);
    assert_eq!(naftan.country.as_ref().unwrap().as_str(), "by");
    assert_eq!(naftan.source.as_deref(), Some("parties[3]"));
    assert_eq!(d.pre_existing_contract, Some(true));
    assert_eq!(d.contract_date.unwrap().to_string(), "2019-11-15");
    assert_eq!(d.source.as_ref().unwrap().format, InputFormat::Json);
}

#[test]
fn naftan_payment_dates() {
    let existing = load("naftan-payment-2021-05-15-existing-contract.json");
    assert_eq!(existing.pre_existing_contract, Some(true));
    let new = load("naftan-payment-2021-05-15-new-contract.json");
    assert_eq!(new.pre_existing_contract, Some(false));
    assert_eq!(new.contract_date.unwrap().to_string(), "2021-05-03");
    // GL 2H ends at 2021-06-03 00:01 EDT = 04:01 UTC: one example either side.
    assert_eq!(
        utc(&load("naftan-payment-2021-06-03T0000.json")),
        "2021-06-03T04:00:00+00:00"
    );
    assert_eq!(
        utc(&load("naftan-payment-2021-06-03T0002.json")),
        "2021-06-03T04:02:00+00:00"
    );
    assert_eq!(
        load("naftan-payment-2021-06-10.json")
            .as_of
            .local_date()
            .to_string(),
        "2021-06-10"
    );
    let sub = load("naftan-subsidiary-payment.json");
    assert_eq!(
        only(&sub, PartyRole::Creditor).names,
        ["NOVOPOLOTSK REFINERY LOGISTICS OOO"]
    );
}

#[test]
fn naftan_pacs008_in_envelope() {
    let d = load("naftan-pacs008.xml");
    let source = d.source.as_ref().unwrap();
    assert_eq!(source.format, InputFormat::Pacs008);
    assert_eq!(source.message_type.as_deref(), Some("pacs.008.001.08"));
    assert_eq!(
        source.as_of_field.as_deref(),
        Some("Document/FIToFICstmrCdtTrf/GrpHdr/CreDtTm")
    );
    assert_eq!(utc(&d), "2021-03-01T15:00:00+00:00");
    assert_eq!(d.reference, "5b3c1f7e-8a4d-4c2e-9f61-2d7a0c9e4b11");
    assert_eq!(d.amount.as_ref().unwrap().value.to_string(), "75000.00");
    let naftan = only(&d, PartyRole::Creditor);
    assert_eq!(naftan.names, ["NAFTAN OAO"]);
    assert_eq!(naftan.schema, PartySchema::Organisation);
    assert_eq!(naftan.town.as_deref(), Some("Novopolotsk"));
    assert_eq!(naftan.country.as_ref().unwrap().as_str(), "by");
    assert_eq!(naftan.country_from, Some(CountrySource::Stated));
    assert!(
        matches!(&naftan.account, Some(Account::Iban(i)) if i.as_str() == "BY89AKBB30120000418190000000")
    );
    assert_eq!(
        naftan.source.as_deref(),
        Some("Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr")
    );
    assert_eq!(naftan.identifiers[0].kind, "tax_id");
    let agent = only(&d, PartyRole::CreditorAgent);
    assert_eq!(agent.bic.as_ref().unwrap().institution(), "AKBBBY2X");
    assert_eq!(agent.names, ["JSC ASB Belarusbank"]);
    assert_eq!(
        only(&d, PartyRole::DebtorAgent)
            .country
            .as_ref()
            .unwrap()
            .as_str(),
        "us"
    );
    // The AppHdr's sender and receiver are the transaction's instructing and instructed agents.
    assert_eq!(d.parties_with_role(PartyRole::InstructingAgent).count(), 1);
    assert_eq!(d.texts[0].kind, TextKind::Remittance);
    assert_eq!(
        d.texts[0].source.as_deref(),
        Some("Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/RmtInf/Ustrd[0]")
    );
    assert_eq!(
        d.purpose.as_ref().unwrap().category,
        Some(PurposeCategory::Goods)
    );
}

#[test]
fn naftan_mt103() {
    let d = load("naftan-mt103.txt");
    assert_eq!(d.reference, "NAFTAN210301001");
    assert_eq!(utc(&d), "2021-03-01T15:00:00+00:00");
    assert_eq!(
        d.source.as_ref().unwrap().as_of_field.as_deref(),
        Some(":32A: value date + :13C:/SNDTIME/")
    );
    assert_eq!(d.amount.as_ref().unwrap().value.to_string(), "75000.00");
    let naftan = only(&d, PartyRole::Creditor);
    assert_eq!(naftan.names, ["NAFTAN OAO"]);
    assert_eq!(naftan.address, ["NOVOPOLOTSK", "VITEBSK REGION 211440 BY"]);
    assert_eq!(naftan.country.as_ref().unwrap().as_str(), "by");
    assert_eq!(naftan.source.as_deref(), Some(":59:"));
    let debtor = only(&d, PartyRole::Debtor);
    assert_eq!(debtor.country.as_ref().unwrap().as_str(), "us");
    assert!(matches!(&debtor.account, Some(Account::Other(a)) if a.id == "4401239876"));
    assert_eq!(
        only(&d, PartyRole::CreditorAgent)
            .bic
            .as_ref()
            .unwrap()
            .as_str(),
        "AKBBBY2X"
    );
    assert_eq!(
        only(&d, PartyRole::InstructedAgent).source.as_deref(),
        Some("{2:} receiver")
    );
    assert!(
        d.texts
            .iter()
            .any(|t| t.source.as_deref() == Some(":70:") && t.text.contains("VACUUM GAS OIL"))
    );
}

#[test]
fn lukashenka_cyrillic_pacs008() {
    let d = load("lukashenka-cyrillic-pacs008.xml");
    assert_eq!(
        d.source.as_ref().unwrap().message_type.as_deref(),
        Some("pacs.008.001.13")
    );
    let c = only(&d, PartyRole::Creditor);
    assert_eq!(c.names, ["Лукашенко Александр Григорьевич"]);
    assert_eq!(c.schema, PartySchema::Person);
    assert_eq!(c.birth_date.unwrap().to_string(), "1954-08-30");
    assert_eq!(c.birth_place.as_deref(), Some("Копысь, Belarus"));
    assert_eq!(c.town.as_deref(), Some("Минск"));
    assert!(c.address.contains(&"ул. Карла Маркса 38".to_string()));
    assert_eq!(only(&d, PartyRole::Debtor).names, ["ООО «Гомель-Инвест»"]);
    assert_eq!(d.amount.as_ref().unwrap().currency.as_str(), "BYN");
}

#[test]
fn lukashenko_romanised_mt103() {
    let d = load("lukashenko-romanised-mt103.txt");
    let c = only(&d, PartyRole::Creditor);
    assert_eq!(c.names, ["ALEXANDER LUKASHENKO"]);
    assert_eq!(c.country.as_ref().unwrap().as_str(), "by");
    assert_eq!(utc(&d), "2021-11-18T13:15:00+00:00");
}

#[test]
fn listed_bank_intermediary_mt103() {
    let d = load("listed-bank-intermediary-mt103.txt");
    // BELINVESTBANK's BIC, as in its SDN remarks ("SWIFT/BIC BLBBBY2X", ent 34752).
    let intermediary = only(&d, PartyRole::IntermediaryAgent);
    assert_eq!(intermediary.bic.as_ref().unwrap().as_str(), "BLBBBY2X");
    assert_eq!(intermediary.country.as_ref().unwrap().as_str(), "by");
    assert_eq!(intermediary.country_from, Some(CountrySource::Bic));
    assert_eq!(intermediary.source.as_deref(), Some(":56A:"));
    // 59F with a name continued on a second 1/ line (swift-mt-message 3.1.5 refuses it).
    let c = only(&d, PartyRole::Creditor);
    assert_eq!(c.names, ["MINSK TRACTOR SPARE PARTS SERVICE OOO"]);
    assert_eq!(c.town.as_deref(), Some("MINSK"));
    // 50F.
    let debtor = only(&d, PartyRole::Debtor);
    assert_eq!(debtor.names, ["HANSEATIC MACHINERY EXPORT GMBH"]);
    assert_eq!(debtor.country.as_ref().unwrap().as_str(), "de");
    assert_eq!(utc(&d), "2023-06-15T07:30:00+00:00");
}

#[test]
fn remittance_only_pacs008() {
    let d = load("remittance-only-pacs008.xml");
    assert_eq!(
        d.source.as_ref().unwrap().message_type.as_deref(),
        Some("pacs.008.001.10")
    );
    assert!(d.parties.iter().all(|p| {
        p.names
            .iter()
            .all(|n| !n.to_uppercase().contains("BELARUSKALI"))
    }));
    let remittance: Vec<_> = d
        .texts
        .iter()
        .filter(|t| t.kind == TextKind::Remittance)
        .collect();
    assert_eq!(remittance.len(), 2);
    assert!(remittance[0].text.contains("BELARUSKALI OAO"));
    assert_eq!(
        only(&d, PartyRole::Creditor).address,
        ["Brivibas iela 100", "LV-1011 Riga"]
    );
}

#[test]
fn belshina_import() {
    let d = load("belshina-import.json");
    assert_eq!(d.kind, DealingKind::TradeDeclaration);
    assert_eq!(only(&d, PartyRole::Producer).names, ["BELSHINA OAO"]);
    let trade = d.trade.as_ref().unwrap();
    assert_eq!(trade.direction, TradeDirection::Import);
    assert_eq!(trade.goods[0].code.as_ref().unwrap().digits(), "401170");
    assert_eq!(trade.goods[0].origin.as_ref().unwrap().as_str(), "by");
    assert_eq!(d.as_of.local_date().to_string(), "2021-07-01");
}

#[test]
fn eu_potash_contract_dates() {
    let potash: interdict_dealings::GoodsCode = "3104 20".parse().unwrap();
    for (name, contract) in [
        ("eu-potash-2021-06-20.json", "2021-06-20"),
        ("eu-potash-2021-06-28.json", "2021-06-28"),
    ] {
        let d = load(name);
        assert_eq!(d.perspective, Some(Perspective::Eu));
        assert_eq!(d.contract_date.unwrap().to_string(), contract);
        assert!(
            d.trade.as_ref().unwrap().goods[0]
                .code
                .as_ref()
                .unwrap()
                .within(&potash)
        );
    }
}

#[test]
fn directive1_orders() {
    let d = load("directive1-mof-bond-issued-2021-12-10.json");
    let order = d.securities.as_ref().unwrap();
    assert_eq!(order.side, Side::Buy);
    assert_eq!(order.instrument.kind, InstrumentKind::Bond);
    assert_eq!(order.instrument.tenor_days(), Some(365));
    assert_eq!(
        only(&d, PartyRole::Issuer).names,
        ["Ministry of Finance of the Republic of Belarus"]
    );
    let d = load("directive1-mof-bond-issued-2021-11-30.json");
    let i = &d.securities.as_ref().unwrap().instrument;
    assert_eq!(i.issue_date.unwrap().to_string(), "2021-11-30");
    assert_eq!(i.terms_agreed_date.unwrap().to_string(), "2021-11-30");
    let d = load("directive1-mof-60-day-paper.json");
    let i = &d.securities.as_ref().unwrap().instrument;
    assert_eq!(i.kind, InstrumentKind::CommercialPaper);
    assert_eq!(i.tenor_days(), Some(60));
    assert!(i.kind.is_debt());
    let d = load("directive1-mof-owned-company-bond.json");
    assert_eq!(
        only(&d, PartyRole::Issuer).names,
        ["BELARUSIAN INFRASTRUCTURE FINANCE OAO"]
    );
}

#[test]
fn eurobond_2031_real_isin() {
    let d = load("eurobond-2031.json");
    let i = &d.securities.as_ref().unwrap().instrument;
    assert_eq!(i.isin.as_ref().unwrap().as_str(), "XS2178857954");
    assert_eq!(i.issue_date.unwrap().to_string(), "2020-06-24");
}

#[test]
fn humanitarian_ngo_medicine() {
    let d = load("humanitarian-ngo-medicine.json");
    assert_eq!(
        d.purpose.as_ref().unwrap().category,
        Some(PurposeCategory::Medicine)
    );
    assert_eq!(
        only(&d, PartyRole::CreditorAgent)
            .bic
            .as_ref()
            .unwrap()
            .as_str(),
        "BLBBBY2X"
    );
    assert_eq!(utc(&d), "2023-04-12T12:00:00+00:00");
}

#[test]
fn yarmoshina_visa() {
    let d = load("yarmoshina-visa.json");
    assert_eq!(d.kind, DealingKind::TravelApplication);
    let t = only(&d, PartyRole::Traveller);
    assert_eq!(t.names.len(), 5);
    assert!(t.names.contains(&"Ермошина Лидия Михайловна".to_string()));
    assert_eq!(t.birth_date.unwrap().to_string(), "1953-01-29");
    assert_eq!(t.nationalities[0].as_str(), "by");
    assert_eq!(t.identifiers[0].kind, "passport");
    assert_eq!(
        d.travel
            .as_ref()
            .unwrap()
            .destination
            .as_ref()
            .unwrap()
            .as_str(),
        "us"
    );
    let d = load("yarmoshina-visa-cyrillic.json");
    let t = only(&d, PartyRole::Traveller);
    assert_eq!(t.names, ["Ермошина Лидия"]);
    assert_eq!(t.birth_date.unwrap().to_string(), "1953");
    assert_eq!(t.nationalities[0].as_str(), "by"); // written "BLR"
    assert_eq!(t.identifiers[0].country.as_ref().unwrap().as_str(), "by"); // written "Belarus"
}

#[test]
fn belaruskali_on_several_dates() {
    for (name, date) in [
        ("belaruskali-payment-2021-08-01.json", "2021-08-01"),
        ("belaruskali-payment-2021-09-01.json", "2021-09-01"),
        ("belaruskali-payment-2021-12-09.json", "2021-12-09"),
        ("belaruskali-payment-2025-12-16.json", "2025-12-16"),
    ] {
        let d = load(name);
        assert_eq!(d.as_of.local_date().to_string(), date);
        let c = only(&d, PartyRole::Creditor);
        assert_eq!(c.names, ["BELARUSKALI OAO"]);
        assert_eq!(c.identifiers[0].number, "600122610");
    }
}
