//! Malformed inputs: each gives an error that names the format, the exact field and the reason.

use interdict_dealings::{DealingError, ErrorKind, InputFormat, Tz, read, read_all};

fn example(name: &str) -> String {
    let path = format!(
        "{}/../../examples/decisions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fails(input: &str) -> DealingError {
    match read(input.as_bytes(), None, None) {
        Ok(d) => panic!("accepted: {d:?}"),
        Err(e) => e,
    }
}

fn ny() -> Option<Tz> {
    Some(chrono_tz::America::New_York)
}

/// Replace exactly one occurrence, so that a test cannot silently change nothing.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

// ---- pacs.008 -------------------------------------------------------------------------------

#[test]
fn pacs008_broken_xml() {
    let xml = example("naftan-pacs008.xml");
    let cut = &xml[..xml.find("<RmtInf>").unwrap()];
    let e = fails(cut);
    assert_eq!(e.format(), Some(InputFormat::Pacs008));
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.field.starts_with("line "), "{e}");
    let e = fails(&edit(&xml, "<Nm>NAFTAN OAO</Nm>", "<Nm>NAFTAN OAO</Name>"));
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.to_string().contains("not well-formed XML"), "{e}");
}

#[test]
fn pacs008_missing_mandatory_element() {
    let xml = example("naftan-pacs008.xml");
    let start = xml.find("<Cdtr>").unwrap();
    let end = xml.find("</Cdtr>").unwrap() + "</Cdtr>".len();
    let e = fails(&format!("{}{}", &xml[..start], &xml[end..]));
    assert_eq!(e.kind, ErrorKind::Missing);
    assert_eq!(e.field, "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr");
    assert_eq!(
        e.to_string(),
        "pacs.008 Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr: mandatory element is missing (pacs.008.001.08)"
    );
    let e = fails(&edit(
        &xml,
        r#"<IntrBkSttlmAmt Ccy="USD">"#,
        "<IntrBkSttlmAmt>",
    ));
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/IntrBkSttlmAmt/@Ccy"
    );
}

#[test]
fn pacs008_bad_bic() {
    let xml = example("naftan-pacs008.xml");
    let e = fails(&edit(
        &xml,
        "<BICFI>AKBBBY2XXXX</BICFI>\n            <Nm>",
        "<BICFI>DEUTDEFFXX</BICFI>\n            <Nm>",
    ));
    assert_eq!(
        e.to_string(),
        "pacs.008 Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI: \"DEUTDEFFXX\" is not a BIC (8 or 11 characters, found 10)"
    );
    let e = fails(&edit(
        &xml,
        "<BICFI>AKBBBY2XXXX</BICFI>\n            <Nm>",
        "<BICFI>AKBBQQ2X</BICFI>\n            <Nm>",
    ));
    assert!(
        e.reason.contains("\"QQ\" is not an ISO 3166 country"),
        "{e}"
    );
}

#[test]
fn pacs008_bad_iban_check_digits() {
    let xml = example("naftan-pacs008.xml");
    let e = fails(&edit(
        &xml,
        "BY89AKBB30120000418190000000",
        "BY88AKBB30120000418190000000",
    ));
    assert_eq!(e.kind, ErrorKind::Invalid);
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/CdtrAcct/Id/IBAN"
    );
    assert!(e.reason.contains("check digits \"88\" are wrong"), "{e}");
}

#[test]
fn pacs008_bad_country_and_date() {
    let xml = example("lukashenka-cyrillic-pacs008.xml");
    let e = fails(&edit(
        &xml,
        "<CtryOfBirth>BY</CtryOfBirth>",
        "<CtryOfBirth>XX</CtryOfBirth>",
    ));
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr/Id/PrvtId/DtAndPlcOfBirth/CtryOfBirth"
    );
    let e = fails(&edit(&xml, "1954-08-30", "1954-02-30"));
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr/Id/PrvtId/DtAndPlcOfBirth/BirthDt"
    );
}

#[test]
fn pacs008_unknown_element_is_refused_not_ignored() {
    let xml = example("naftan-pacs008.xml");
    let e = fails(&edit(
        &xml,
        "<Purp>",
        "<UltmateCdtr><Nm>Hidden Beneficiary Ltd</Nm></UltmateCdtr>\n        <Purp>",
    ));
    assert_eq!(e.kind, ErrorKind::Unknown);
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/UltmateCdtr"
    );
    assert!(e.reason.contains("not part of pacs.008.001.08"), "{e}");
    // An element of a later version is refused in an earlier one.
    let e = fails(&edit(
        &xml,
        "<PstCd>211440</PstCd>",
        "<UnitNb>7</UnitNb><PstCd>211440</PstCd>",
    ));
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/Cdtr/PstlAdr/UnitNb"
    );
}

#[test]
fn pacs008_party_present_but_unreadable() {
    let xml = example("naftan-pacs008.xml");
    let e = fails(&edit(
        &xml,
        "<Purp>",
        "<UltmtCdtr><CtryOfRes>BY</CtryOfRes></UltmtCdtr>\n        <Purp>",
    ));
    assert_eq!(e.kind, ErrorKind::Missing);
    assert_eq!(
        e.field,
        "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/UltmtCdtr"
    );
    assert!(e.reason.contains("names no one"), "{e}");
}

#[test]
fn pacs008_other_named_elements_become_parties() {
    let xml = example("remittance-only-pacs008.xml");
    let with_authority = edit(
        &xml,
        "<RmtInf>",
        "<RgltryRptg><Authrty><Nm>Central Bank of Latvia</Nm><Ctry>LV</Ctry></Authrty>\
         <Dtls><Inf>Goods of Belarusian origin</Inf></Dtls></RgltryRptg>\n      <RmtInf>",
    );
    let d = read(with_authority.as_bytes(), None, None).unwrap();
    let other = d
        .parties
        .iter()
        .find(|p| p.names == ["Central Bank of Latvia"])
        .expect("authority read as a party");
    assert_eq!(
        other.source.as_deref(),
        Some("Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/RgltryRptg/Authrty")
    );
    assert!(
        d.texts
            .iter()
            .any(|t| t.text == "Goods of Belarusian origin")
    );
}

#[test]
fn pacs008_supplementary_data_with_elements() {
    let xml = example("remittance-only-pacs008.xml");
    let with_sup = edit(
        &xml,
        "</CdtTrfTxInf>",
        "<SplmtryData><Envlp><x:Doc xmlns:x=\"urn:example\"><x:Note>Shipped for BELARUSKALI</x:Note></x:Doc></Envlp></SplmtryData>\n    </CdtTrfTxInf>",
    );
    let d = read(with_sup.as_bytes(), None, None).unwrap();
    let sup = d
        .texts
        .iter()
        .find(|t| t.kind == interdict_dealings::TextKind::Supplementary)
        .unwrap();
    assert_eq!(sup.text, "Shipped for BELARUSKALI");
    assert_eq!(
        sup.source.as_deref(),
        Some("Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/SplmtryData[0]")
    );
}

#[test]
fn pacs008_prefixed_namespace() {
    let xml = example("remittance-only-pacs008.xml");
    let body = &xml[xml.find("<Document").unwrap()..];
    let prefixed = body
        .replace("</", "\u{1}")
        .replace('<', "<p:")
        .replace('\u{1}', "</p:")
        .replacen("xmlns=", "xmlns:p=", 1);
    let d = read(prefixed.as_bytes(), None, None).unwrap();
    assert_eq!(d.parties.iter().filter(|p| !p.names.is_empty()).count(), 2);
}

#[test]
fn pacs008_time_zone() {
    let xml = example("remittance-only-pacs008.xml");
    let naive = edit(&xml, "2022-03-10T11:30:00+02:00", "2022-03-10T11:30:00");
    let e = fails(&naive);
    assert_eq!(e.kind, ErrorKind::NoTimeZone);
    assert_eq!(e.field, "Document/FIToFICstmrCdtTrf/GrpHdr/CreDtTm");
    let d = read(naive.as_bytes(), None, Some(chrono_tz::Europe::Riga)).unwrap();
    assert_eq!(d.as_of.utc().to_rfc3339(), "2022-03-10T09:30:00+00:00");
}

#[test]
fn pacs008_versions_and_types() {
    let xml = example("remittance-only-pacs008.xml");
    let e = fails(&edit(&xml, "xsd:pacs.008.001.10", "xsd:pacs.008.001.09"));
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert!(e.reason.contains("pacs.008.001.09 is not supported"), "{e}");
    let e = fails(&edit(&xml, "xsd:pacs.008.001.10", "xsd:pacs.009.001.10"));
    assert_eq!(e.kind, ErrorKind::Unsupported);
    let e = fails(&edit(
        &xml,
        r#" xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.10""#,
        "",
    ));
    assert_eq!(e.field, "Document/@xmlns");
    let env = example("naftan-pacs008.xml");
    let e = fails(&edit(
        &env,
        "<MsgDefIdr>pacs.008.001.08</MsgDefIdr>",
        "<MsgDefIdr>pacs.008.001.10</MsgDefIdr>",
    ));
    assert_eq!(e.field, "AppHdr/MsgDefIdr");
}

#[test]
fn pacs008_several_transactions() {
    let xml = example("remittance-only-pacs008.xml");
    let start = xml.find("<CdtTrfTxInf>").unwrap();
    let end = xml.find("</CdtTrfTxInf>").unwrap() + "</CdtTrfTxInf>".len();
    let second = xml[start..end]
        .replace("AD-2022-07-INV3", "AD-2022-07-INV4")
        .replace(
            "7d4c2b1a-0e9f-4a8b-b7c6-d5e4f3a2b1c0",
            "7d4c2b1a-0e9f-4a8b-b7c6-d5e4f3a2b1c1",
        );
    let two = format!("{}\n{second}{}", &xml[..end], &xml[end..])
        .replace("<NbOfTxs>1</NbOfTxs>", "<NbOfTxs>2</NbOfTxs>");
    let e = fails(&two);
    assert!(e.reason.contains("carries 2 transactions"), "{e}");
    let all = read_all(two.as_bytes(), None, None).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[1].parties[0].source.as_deref(),
        Some("Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Dbtr")
    );
}

// ---- MT103 ----------------------------------------------------------------------------------

#[test]
fn mt103_garbled_59() {
    let mt = example("naftan-mt103.txt");
    // Only an account, no beneficiary name.
    let e = fails(&edit(
        &mt,
        "NAFTAN OAO\nNOVOPOLOTSK\nVITEBSK REGION 211440 BY\n",
        "",
    ));
    assert_eq!(e.format(), Some(InputFormat::Mt103));
    assert_eq!(e.field, ":59:");
    // 59F with a line that has no number.
    let mt = example("listed-bank-intermediary-mt103.txt");
    let e = fails(&edit(&mt, "1/SERVICE OOO", "SERVICE OOO"));
    assert_eq!(e.field, ":59F:");
    assert!(
        e.reason.contains("line 3") && e.reason.contains("must start with a line number"),
        "{e}"
    );
    let e = fails(&edit(&mt, "3/BY/MINSK", "3/XX/MINSK"));
    assert_eq!(e.field, ":59F:");
    assert!(
        e.reason.contains("\"XX\" is not an ISO 3166 country code"),
        "{e}"
    );
    let e = fails(&edit(
        &mt,
        "2/PRITYTSKOGO 62\n3/BY/MINSK",
        "3/BY/MINSK\n2/PRITYTSKOGO 62",
    ));
    assert!(e.reason.contains("must be in order"), "{e}");
}

#[test]
fn mt103_non_swift_characters() {
    let mt = example("naftan-mt103.txt");
    let e = fails(&edit(&mt, "NAFTAN OAO", "НАФТАН ОАО"));
    assert_eq!(e.field, ":59:");
    assert!(e.reason.contains("not in the SWIFT X character set"), "{e}");
}

#[test]
fn mt103_bad_bic_and_iban() {
    let mt = example("listed-bank-intermediary-mt103.txt");
    let e = fails(&edit(&mt, ":56A:BLBBBY2X", ":56A:BLBBQQ2X"));
    assert_eq!(e.field, ":56A:");
    assert!(
        e.reason.contains("\"QQ\" is not an ISO 3166 country"),
        "{e}"
    );
    let e = fails(&edit(
        &mt,
        "/BY31PJCB30120000987650000000",
        "/BY32PJCB30120000987650000000",
    ));
    assert_eq!(e.field, ":59F:");
    assert!(e.reason.contains("check digits"), "{e}");
}

#[test]
fn mt103_missing_and_unknown_fields() {
    let mt = example("naftan-mt103.txt");
    let e = fails(&edit(&mt, ":32A:210301USD75000,00\n", ""));
    assert_eq!(e.kind, ErrorKind::Missing);
    assert_eq!(e.field, ":32A:");
    let e = fails(&edit(&mt, ":71A:SHA", ":71A:SHA\n:99Z:SOMETHING"));
    assert_eq!(e.kind, ErrorKind::Unknown);
    assert_eq!(e.field, ":99Z:");
    let e = fails(&edit(
        &mt,
        ":57A:AKBBBY2X",
        ":57A:AKBBBY2X\n:57D:ANOTHER BANK",
    ));
    assert_eq!(e.field, ":57D:");
    let e = fails(&edit(
        &mt,
        ":32A:210301USD75000,00",
        ":32A:210231USD75000,00",
    ));
    assert_eq!(e.field, ":32A:");
    let e = fails(&edit(&mt, "{2:I103", "{2:I202"));
    assert_eq!(e.kind, ErrorKind::Unsupported);
}

#[test]
fn mt103_time_zone() {
    let mt = example("naftan-mt103.txt");
    let no_time = edit(&mt, ":13C:/SNDTIME/1000-0500\n", "");
    let e = fails(&no_time);
    assert_eq!(e.kind, ErrorKind::NoTimeZone);
    assert_eq!(e.field, ":32A:");
    let d = read(no_time.as_bytes(), None, ny()).unwrap();
    assert_eq!(
        d.as_of.to_string(),
        "2021-03-01T00:00:00-05:00[America/New_York]"
    );
    // Block 4 alone is read too.
    let body = &mt[mt.find(":20:").unwrap()..];
    let d = read(body.as_bytes(), None, None).unwrap();
    assert_eq!(d.reference, "NAFTAN210301001");
}

#[test]
fn mt103_50f_details() {
    let mt = example("listed-bank-intermediary-mt103.txt");
    let person = edit(
        &mt,
        ":50F:/DE89370400440532013000\n1/HANSEATIC MACHINERY EXPORT GMBH\n2/GROSSE ELBSTRASSE 145\n3/DE/HAMBURG",
        ":50F:CCPT/BY/MP1234567\n1/YARMOSHINA LIDZIYA\n4/19530129\n5/BY/SLUTSK",
    );
    let d = read(person.as_bytes(), None, None).unwrap();
    let p = d
        .parties_with_role(interdict_dealings::PartyRole::Debtor)
        .next()
        .unwrap();
    assert_eq!(p.names, ["YARMOSHINA LIDZIYA"]);
    assert_eq!(p.birth_date.unwrap().to_string(), "1953-01-29");
    assert_eq!(p.birth_place.as_deref(), Some("SLUTSK, Belarus"));
    assert_eq!(p.identifiers[0].kind, "passport");
    assert_eq!(p.schema, interdict_dealings::PartySchema::Person);
    let e = fails(&edit(&person, "4/19530129", "4/19531329"));
    assert!(e.reason.contains("date of birth"), "{e}");
}

// ---- JSON -----------------------------------------------------------------------------------

#[test]
fn json_unknown_field() {
    let json = example("naftan-payment.json");
    let e = fails(&edit(
        &json,
        "\"role\": \"creditor\",",
        "\"role\": \"creditor\", \"counterpary\": \"x\",",
    ));
    assert_eq!(e.kind, ErrorKind::Unknown);
    assert_eq!(e.field, "parties[3].counterpary");
    assert!(
        e.to_string()
            .starts_with("JSON parties[3].counterpary: unknown field"),
        "{e}"
    );
    let e = fails(&edit(&json, "\"amount\"", "\"amout\""));
    assert_eq!(e.field, "amout");
    let e = fails(&edit(
        &json,
        "\"role\": \"creditor\",",
        "\"role\": \"creditr\",",
    ));
    assert_eq!(e.field, "parties[3].role");
}

#[test]
fn json_bad_values_name_their_path() {
    let json = example("naftan-payment.json");
    let e = fails(&edit(
        &json,
        "\"bic\": \"AKBBBY2X\"",
        "\"bic\": \"DEUTDEFFXX\"",
    ));
    assert_eq!(
        e.to_string(),
        "JSON parties[2].bic: \"DEUTDEFFXX\" is not a BIC (8 or 11 characters, found 10)"
    );
    let e = fails(&edit(
        &json,
        "BY89AKBB30120000418190000000",
        "BY88AKBB30120000418190000000",
    ));
    assert_eq!(e.field, "parties[3].account.iban");
    let e = fails(&edit(
        &json,
        "\"country\": \"by\"",
        "\"country\": \"Atlantis\"",
    ));
    assert_eq!(e.field, "parties[3].country");
    let e = fails(&edit(&json, "\"75000.00\"", "\"-5\""));
    assert_eq!(e.field, "amount.value");
    let e = fails(&edit(&json, "\"2019-11-15\"", "\"2019-11-31\""));
    assert_eq!(e.field, "contract_date");
    let e = fails(&edit(
        &json,
        "{\n  \"kind\"",
        "{\n  \"kind\": \"payment\",\n  \"kind\"",
    ));
    assert_eq!(e.kind, ErrorKind::Invalid);
}

#[test]
fn json_bad_isin_check_digit() {
    let json = example("eurobond-2031.json");
    let e = fails(&edit(
        &json,
        "\"isin\": \"XS2178857954\"",
        "\"isin\": \"XS2178857955\"",
    ));
    assert_eq!(e.field, "securities.instrument.isin");
    assert!(e.reason.contains("check digit is 5, expected 4"), "{e}");
}

#[test]
fn json_bad_goods_code() {
    let json = example("eu-potash-2021-06-20.json");
    let e = fails(&edit(&json, "\"3104 20\"", "\"3104 2\""));
    assert_eq!(e.field, "trade.goods[0].code");
    assert!(e.reason.contains("found 5"), "{e}");
}

#[test]
fn json_date_time_without_zone() {
    let json = example("naftan-payment.json");
    let naive = edit(
        &json,
        "2021-03-01T10:00:00[America/New_York]",
        "2021-03-01T10:00:00",
    );
    let e = fails(&naive);
    assert_eq!(e.kind, ErrorKind::NoTimeZone);
    assert_eq!(e.field, "as_of");
    let d = read(naive.as_bytes(), None, ny()).unwrap();
    assert_eq!(
        d.as_of.to_string(),
        "2021-03-01T10:00:00-05:00[America/New_York]"
    );
    let e = fails(&edit(
        &json,
        "2021-03-01T10:00:00[America/New_York]",
        "2021-03-01",
    ));
    assert!(e.reason.contains("time of day"), "{e}");
    let e = fails(&edit(
        &json,
        "2021-03-01T10:00:00[America/New_York]",
        "2021-03-01T10:00:00-04:00[America/New_York]",
    ));
    assert!(e.reason.contains("disagrees"), "{e}");
}

#[test]
fn json_kind_rules() {
    let json = example("naftan-payment.json");
    let e = fails(&edit(
        &json,
        "\"role\": \"creditor\",",
        "\"role\": \"counterparty\",",
    ));
    assert_eq!(e.field, "parties");
    assert!(e.reason.contains("role creditor"), "{e}");
    let e = fails(&edit(
        &json,
        "\"names\": [\n        \"NAFTAN OAO\"\n      ],",
        "\"names\": [\"  \"],",
    ));
    assert_eq!(e.field, "parties[3].names[0]");
    let order = example("directive1-mof-bond-issued-2021-12-10.json");
    let e = fails(&edit(
        &order,
        "\"maturity_date\": \"2022-12-10\"",
        "\"maturity_date\": \"2021-12-09\"",
    ));
    assert_eq!(e.field, "securities.instrument.maturity_date");
    let e = fails(&edit(
        &order,
        "\"role\": \"issuer\"",
        "\"role\": \"broker\"",
    ));
    assert!(e.reason.contains("issuer"), "{e}");
    let visa = example("yarmoshina-visa-cyrillic.json");
    let e = fails(&edit(
        &visa,
        "\"kind\": \"travel_application\"",
        "\"kind\": \"payment\"",
    ));
    assert_eq!(e.field, "travel");
}

#[test]
fn json_not_json() {
    let e = fails("{\"kind\": \"payment\",");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.field.starts_with("line 1"), "{e}");
    let e = read(b"[1, 2]", Some(InputFormat::Json), None).unwrap_err();
    assert_eq!(e.field, "(document)");
}

#[test]
fn unknown_format() {
    let e = fails("hello");
    assert_eq!(e.format(), None);
    assert!(
        e.to_string().starts_with("input (document): not XML"),
        "{e}"
    );
    assert!(read(b"", None, None).is_err());
}
