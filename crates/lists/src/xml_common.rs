//! What the four XML importers share: a streaming reader that hands out one list record's
//! element at a time as a small tree, and the value cleaning every list needs (dates, countries,
//! values a schema has no property for).
//!
//! The lists are large (the EU file is ~25 MB, OFAC's advanced file ~120 MB) but each record is
//! small, so importers walk the top levels as a stream and build a tree only for one record.
//! quick-xml checks that start and end tags match; this reader adds what quick-xml leaves to the
//! caller: a file that stops before its root element closes is an error, entity references are
//! resolved (only the five predefined ones and character references exist in these lists), and
//! only UTF-8 is accepted.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use interdict_model::{Entity, PartialDate, PropertyType, country_code};
use quick_xml::events::{BytesStart, Event};

use crate::{ImportError, Location};

/// Nesting below a record deeper than this is not a sanctions list: refusing it keeps tree
/// building and dropping (both recursive) far from the stack limit on hostile input.
const MAX_DEPTH: usize = 64;

/// A start tag: the element's local name, attributes and byte offset.
#[derive(Debug, Clone)]
pub(crate) struct Tag {
    /// Local name (namespace prefix removed).
    pub name: String,
    /// Attributes by local name, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Byte offset of the `<` that opens the tag.
    pub pos: u64,
    /// Whether it was written `<x/>` (no content, no end tag to read).
    pub empty: bool,
}

impl Tag {
    /// An attribute's value, trimmed; `None` when absent or blank.
    pub fn attr(&self, name: &str) -> Option<&str> {
        attr_in(&self.attrs, name)
    }
}

/// One element with everything inside it: the tree of one list record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Local name.
    pub name: String,
    /// Attributes by local name.
    pub attrs: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// The element's own text (character data and CDATA, references resolved).
    pub text: String,
    /// Byte offset of the start tag, for error messages.
    pub pos: u64,
}

impl Element {
    fn from_tag(tag: Tag) -> Self {
        Element {
            name: tag.name,
            attrs: tag.attrs,
            pos: tag.pos,
            ..Element::default()
        }
    }

    /// An attribute's value, trimmed; `None` when absent or blank.
    pub fn attr(&self, name: &str) -> Option<&str> {
        attr_in(&self.attrs, name)
    }

    /// The first child of that name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child of that name.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element's text, trimmed; `None` when blank.
    pub fn text(&self) -> Option<&str> {
        let t = self.text.trim();
        (!t.is_empty()).then_some(t)
    }

    /// The trimmed text of the first child of that name; `None` when absent or blank.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(Element::text)
    }
}

fn attr_in<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A pull reader over one XML list file that knows where it is and names the file in errors.
pub(crate) struct XmlReader<R> {
    inner: quick_xml::Reader<R>,
    buf: Vec<u8>,
    file: PathBuf,
    /// Elements opened and not yet closed.
    depth: usize,
    /// The root was written `<root/>`: its end is still to be reported by [`Self::next_child`].
    root_empty: bool,
}

/// An event the importers care about, owned and decoded.
enum Node {
    Open(Tag),
    Close,
    Text(String),
    Eof,
}

impl<R: BufRead> XmlReader<R> {
    /// A reader over `source`; `file` is only used to name the file in errors.
    pub fn new(file: &Path, source: R) -> Self {
        let mut inner = quick_xml::Reader::from_reader(source);
        let config = inner.config_mut();
        config.check_end_names = true;
        config.check_comments = true;
        config.trim_text(false);
        XmlReader {
            inner,
            buf: Vec::new(),
            file: file.to_path_buf(),
            depth: 0,
            root_empty: false,
        }
    }

    /// Give back the underlying source (to read the file a second time).
    pub fn into_inner(self) -> R {
        self.inner.into_inner()
    }

    /// An error at a byte offset of this file.
    pub fn error_at(&self, pos: u64, reason: impl Into<String>) -> ImportError {
        ImportError::new(&self.file, Location::Byte(pos), reason)
    }

    fn error_here(&self, reason: impl Into<String>) -> ImportError {
        self.error_at(self.inner.buffer_position(), reason)
    }

    /// The next event that matters, with depth bookkeeping and end-of-file checks.
    fn next_node(&mut self) -> Result<Node, ImportError> {
        let XmlReader {
            inner,
            buf,
            file,
            depth,
            ..
        } = self;
        let err = |pos: u64, reason: String| ImportError::new(&*file, Location::Byte(pos), reason);
        loop {
            buf.clear();
            let pos = inner.buffer_position();
            let event = match inner.read_event_into(buf) {
                Ok(ev) => ev,
                Err(e) => {
                    let reason = match e {
                        quick_xml::Error::Encoding(_) => format!("not valid UTF-8 text: {e}"),
                        _ => format!("not well-formed XML: {e}"),
                    };
                    return Err(err(inner.error_position(), reason));
                }
            };
            match event {
                Event::Start(start) => {
                    let tag =
                        decode_tag(&start, false, pos, inner.decoder()).map_err(|r| err(pos, r))?;
                    *depth += 1;
                    return Ok(Node::Open(tag));
                }
                Event::Empty(start) => {
                    let tag =
                        decode_tag(&start, true, pos, inner.decoder()).map_err(|r| err(pos, r))?;
                    return Ok(Node::Open(tag));
                }
                Event::End(_) => {
                    *depth = depth.saturating_sub(1);
                    return Ok(Node::Close);
                }
                Event::Text(text) => {
                    let text = text
                        .xml10_content()
                        .map_err(|e| err(pos, format!("not valid UTF-8 text: {e}")))?;
                    return Ok(Node::Text(text.into_owned()));
                }
                Event::CData(data) => {
                    let text = data
                        .decode()
                        .map_err(|e| err(pos, format!("not valid UTF-8 text: {e}")))?;
                    return Ok(Node::Text(text.into_owned()));
                }
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => {
                            let name = reference
                                .decode()
                                .map_err(|e| err(pos, format!("not valid UTF-8 text: {e}")))?;
                            match name.as_ref() {
                                "amp" => '&',
                                "lt" => '<',
                                "gt" => '>',
                                "quot" => '"',
                                "apos" => '\'',
                                other => {
                                    return Err(err(
                                        pos,
                                        format!("unknown entity reference &{other};"),
                                    ));
                                }
                            }
                        }
                        Err(e) => return Err(err(pos, format!("bad character reference: {e}"))),
                    };
                    return Ok(Node::Text(resolved.to_string()));
                }
                Event::Decl(decl) => {
                    if let Some(enc) = decl.encoding() {
                        let enc = enc.map_err(|e| err(pos, format!("bad XML declaration: {e}")))?;
                        let enc = String::from_utf8_lossy(&enc).to_ascii_lowercase();
                        if !matches!(enc.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii") {
                            return Err(err(
                                pos,
                                format!("the file declares encoding {enc:?}; only UTF-8 is read"),
                            ));
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => {
                    if *depth > 0 {
                        return Err(err(
                            inner.buffer_position(),
                            format!(
                                "the file ends inside an element ({depth} still open): truncated?"
                            ),
                        ));
                    }
                    return Ok(Node::Eof);
                }
            }
        }
    }

    /// Read up to the root element and check it is the one the format has.
    ///
    /// `namespaces` lists the default namespaces the format is published with; a root in another
    /// namespace is another format. A root without a namespace declaration is accepted.
    pub fn root(&mut self, expected: &str, namespaces: &[&str]) -> Result<Tag, ImportError> {
        loop {
            match self.next_node()? {
                Node::Open(tag) => {
                    if tag.name != expected {
                        return Err(self.error_at(
                            tag.pos,
                            format!(
                                "root element is <{}>, expected <{expected}>: wrong format?",
                                tag.name
                            ),
                        ));
                    }
                    if let Some(ns) = tag.attr("xmlns")
                        && !namespaces.contains(&ns)
                    {
                        return Err(self.error_at(
                            tag.pos,
                            format!("<{expected}> is in namespace {ns:?}, expected one of {namespaces:?}"),
                        ));
                    }
                    self.root_empty = tag.empty;
                    return Ok(tag);
                }
                Node::Text(t) if t.trim().is_empty() => {}
                Node::Text(_) => {
                    return Err(self.error_here("text before the root element: not XML?"));
                }
                Node::Close => return Err(self.error_here("end tag before any element")),
                Node::Eof => {
                    return Err(self.error_here("no root element: the file is empty or not XML"));
                }
            }
        }
    }

    /// The next child element of the element whose content is being read, or `None` at its end
    /// tag. Text between children is ignored.
    pub fn next_child(&mut self) -> Result<Option<Tag>, ImportError> {
        if std::mem::take(&mut self.root_empty) {
            return Ok(None);
        }
        loop {
            match self.next_node()? {
                Node::Open(tag) => return Ok(Some(tag)),
                Node::Close => return Ok(None),
                Node::Text(_) => {}
                Node::Eof => return Err(self.error_here("unexpected end of file: truncated?")),
            }
        }
    }

    /// Read the rest of an element whose start tag was just returned, as a tree.
    pub fn read_element(&mut self, tag: Tag) -> Result<Element, ImportError> {
        let empty = tag.empty;
        let mut stack = vec![Element::from_tag(tag)];
        if empty {
            return Ok(stack.pop().unwrap_or_default());
        }
        loop {
            match self.next_node()? {
                Node::Open(child) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.error_at(child.pos, "elements nested too deeply"));
                    }
                    if child.empty {
                        if let Some(parent) = stack.last_mut() {
                            parent.children.push(Element::from_tag(child));
                        }
                    } else {
                        stack.push(Element::from_tag(child));
                    }
                }
                Node::Text(t) => {
                    if let Some(current) = stack.last_mut() {
                        current.text.push_str(&t);
                    }
                }
                Node::Close => {
                    let done = stack.pop().unwrap_or_default();
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Node::Eof => return Err(self.error_here("unexpected end of file: truncated?")),
            }
        }
    }

    /// Skip the rest of an element whose start tag was just returned.
    pub fn skip(&mut self, tag: &Tag) -> Result<(), ImportError> {
        if tag.empty {
            return Ok(());
        }
        let mut open = 1usize;
        while open > 0 {
            match self.next_node()? {
                Node::Open(t) if !t.empty => open += 1,
                Node::Close => open -= 1,
                Node::Open(_) | Node::Text(_) => {}
                Node::Eof => return Err(self.error_here("unexpected end of file: truncated?")),
            }
        }
        Ok(())
    }

    /// After the root element closed: only comments and white space may follow.
    pub fn finish(&mut self) -> Result<(), ImportError> {
        loop {
            match self.next_node()? {
                Node::Eof => return Ok(()),
                Node::Text(t) if t.trim().is_empty() => {}
                Node::Open(t) => return Err(self.error_at(t.pos, "content after the root element")),
                Node::Text(_) | Node::Close => {
                    return Err(self.error_here("content after the root element"));
                }
            }
        }
    }
}

/// A start tag's name and attributes, decoded; the error is the reason, without place.
fn decode_tag(
    start: &BytesStart<'_>,
    empty: bool,
    pos: u64,
    decoder: quick_xml::encoding::Decoder,
) -> Result<Tag, String> {
    let name = std::str::from_utf8(start.local_name().into_inner())
        .map_err(|_| "element name is not valid UTF-8".to_string())?
        .to_string();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
        // `xmlns` and `xmlns:x` declarations keep their full name; other attributes lose their
        // namespace prefix.
        let raw_key = if attr.key.as_namespace_binding().is_some() {
            attr.key.into_inner()
        } else {
            attr.key.local_name().into_inner()
        };
        let key = std::str::from_utf8(raw_key)
            .map_err(|_| "attribute name is not valid UTF-8".to_string())?;
        let value = attr
            .decode_and_unescape_value(decoder)
            .map_err(|e| format!("bad value of {key} in <{name}>: {e}"))?;
        attrs.push((key.to_string(), value.into_owned()));
    }
    Ok(Tag {
        name,
        attrs,
        pos,
        empty,
    })
}

/// Provenance of a value: `file:field`, as an analyst would look for it in the source.
pub(crate) fn origin(file: &str, field: &str) -> String {
    format!("{file}:{field}")
}

/// Add a value, or, when the entity's schema has no such property (a website on a vessel, a
/// position on a company), keep it in `notes` as `label: value` so that nothing the list says is
/// lost. Values of country and date properties go through [`put_country`] and [`put_date`].
pub(crate) fn put(entity: &mut Entity, prop: &str, value: &str, origin: &str) {
    debug_assert!(
        interdict_model::Schema::all().any(|s| s.property_type(prop).is_some()),
        "no schema has property {prop}"
    );
    if entity.add(prop, value, Some(origin)).is_err() {
        note(entity, prop, value, origin);
    }
}

/// Keep a value the model has no place for in `notes`, labelled.
pub(crate) fn note(entity: &mut Entity, label: &str, value: &str, origin: &str) {
    if value.trim().is_empty() {
        return;
    }
    // Every schema the importers create derives from Thing or Interval, which have notes.
    let _ = entity.add("notes", format!("{label}: {value}"), Some(origin));
}

/// Add a country named or coded as the list writes it. An unknown country is kept as text in
/// `notes`; a country property the schema lacks (`jurisdiction` on a vessel) falls back to
/// `country`.
pub(crate) fn put_country(entity: &mut Entity, prop: &str, text: &str, origin: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let Some(code) = country_code(text) else {
        note(entity, prop, text, origin);
        return;
    };
    if entity.add(prop, code, Some(origin)).is_err()
        && entity.add("country", code, Some(origin)).is_err()
    {
        note(entity, prop, text, origin);
    }
}

/// Add a partial date; a property the schema lacks keeps it in `notes`.
pub(crate) fn put_date(entity: &mut Entity, prop: &str, date: PartialDate, origin: &str) {
    put(entity, prop, &date.to_string(), origin);
}

/// Add a value whose property type decides the cleaning: countries are coded, genders
/// normalised, the rest added as text.
pub(crate) fn put_typed(entity: &mut Entity, prop: &str, value: &str, origin: &str) {
    match entity.schema.property_type(prop) {
        Some(PropertyType::Country) => put_country(entity, prop, value, origin),
        Some(PropertyType::Gender) => match gender(value) {
            Some(g) => put(entity, prop, g, origin),
            None => note(entity, prop, value, origin),
        },
        Some(PropertyType::Date) => match parse_iso_prefix(value) {
            Some(d) => put_date(entity, prop, d, origin),
            None => note(entity, prop, value, origin),
        },
        _ => put(entity, prop, value, origin),
    }
}

/// FtM genders from what the lists write (`Male`, `M`, `female` …).
pub(crate) fn gender(text: &str) -> Option<&'static str> {
    match text.trim().to_ascii_lowercase().as_str() {
        "m" | "male" => Some("male"),
        "f" | "female" => Some("female"),
        _ => None,
    }
}

/// An ISO date at the start of a string (`2015-04-07`, `2015-04-07-04:00`,
/// `2020-04-15T15:29:22.497+02:00`, `1954`, `1954-08`); time and zone are dropped.
pub(crate) fn parse_iso_prefix(text: &str) -> Option<PartialDate> {
    let t = text.trim();
    let bytes = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        bytes
            .get(r)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let len = if digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
    {
        10
    } else if digits(0..4) && bytes.get(4) == Some(&b'-') && digits(5..7) && bytes.len() == 7 {
        7
    } else if digits(0..4) && bytes.len() == 4 {
        4
    } else {
        return None;
    };
    t.get(..len)?.parse().ok()
}

/// The dates a birth-date range stands for, for screening: a range of whole years gives every
/// year in it (`1951 to 1953` → 1951, 1952, 1953) so that a query's year matches any of them;
/// one whole year or month collapses to that year or month; any other range keeps its two ends.
/// Ranges over 20 years keep only their ends.
pub(crate) fn date_range(from: PartialDate, to: PartialDate) -> Vec<PartialDate> {
    let from_day = from.first_day();
    let to_day = to.last_day();
    if from_day == to_day {
        return vec![from];
    }
    let starts_year = from.month.is_none() || (from.month == Some(1) && from.day.unwrap_or(1) == 1);
    let ends_year = to.month.is_none() || (to.month == Some(12) && to.day.unwrap_or(31) == 31);
    if starts_year && ends_year && from.year <= to.year && to.year - from.year <= 20 {
        return (from.year..=to.year).map(PartialDate::year).collect();
    }
    if from.year == to.year && from.month.is_some() && from.month == to.month {
        let month = PartialDate {
            year: from.year,
            month: from.month,
            day: None,
        };
        if from_day == month.first_day() && to_day == month.last_day() {
            return vec![month];
        }
    }
    vec![from, to]
}

/// Join the non-empty parts with `sep`.
pub(crate) fn join_parts<'a>(
    parts: impl IntoIterator<Item = Option<&'a str>>,
    sep: &str,
) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// The parts of a postal address as a list gives them; any may be missing.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct AddressParts<'a> {
    /// The address on one line, when the list writes it so.
    pub full: Option<&'a str>,
    /// Street and number.
    pub street: Option<&'a str>,
    /// More street lines.
    pub street2: Option<&'a str>,
    /// Post office box.
    pub po_box: Option<&'a str>,
    /// City or town.
    pub city: Option<&'a str>,
    /// Postal code.
    pub postal_code: Option<&'a str>,
    /// Region.
    pub region: Option<&'a str>,
    /// State or province.
    pub state: Option<&'a str>,
    /// Country name or ISO code.
    pub country: Option<&'a str>,
    /// Notes on the address ("previous address").
    pub remarks: Option<&'a str>,
}

/// Attach an address to `holder`: an Address entity (id derived from the holder and the address
/// text) added to `batch`, with `addressEntity`, `address` and `country` on the holder. An
/// address that is only a country sets the holder's `country` and creates no Address.
pub(crate) fn attach_address(
    holder: &mut Entity,
    batch: &mut Batch,
    prefix: &str,
    parts: &AddressParts<'_>,
    origin: &str,
) {
    let country = parts.country.map(str::trim).filter(|c| !c.is_empty());
    let lines = join_parts(
        [
            parts.street,
            parts.street2,
            parts.po_box,
            parts.city,
            parts.postal_code,
            parts.region,
            parts.state,
        ],
        ", ",
    );
    let full = match parts.full.map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => f.to_string(),
        None if lines.is_empty() => {
            if let Some(c) = country {
                put_country(holder, "country", c, origin);
            }
            if let Some(r) = parts.remarks {
                note(holder, "address", r, origin);
            }
            return;
        }
        None => {
            // A country given as an ISO code is written out in the one-line address.
            let country_text =
                country.map(
                    |c| match country_code(c).and_then(interdict_model::country_name) {
                        Some(name) if c.len() <= 3 => name,
                        _ => c,
                    },
                );
            join_parts([Some(lines.as_str()), country_text], ", ")
        }
    };
    let id = interdict_model::id::derived_id(&format!("{prefix}-addr"), &[&holder.id, &full]);
    let mut address = Entity::new(id.clone(), interdict_model::Schema::named("Address"));
    put(&mut address, "full", &full, origin);
    for (prop, value) in [
        ("street", parts.street),
        ("street2", parts.street2),
        ("postOfficeBox", parts.po_box),
        ("city", parts.city),
        ("postalCode", parts.postal_code),
        ("region", parts.region),
        ("state", parts.state),
        ("remarks", parts.remarks),
    ] {
        if let Some(v) = value {
            put(&mut address, prop, v, origin);
        }
    }
    if let Some(c) = country {
        put_country(&mut address, "country", c, origin);
        put_country(holder, "country", c, origin);
    }
    put(holder, "addressEntity", &id, origin);
    put(holder, "address", &full, origin);
    batch.push(address);
}

/// An identity document as a list describes it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Document<'a> {
    /// A passport (Passport schema) rather than another identification.
    pub passport: bool,
    /// The document type as the list names it.
    pub kind: &'a str,
    /// The number.
    pub number: &'a str,
    /// Issuing country, name or ISO code.
    pub country: Option<&'a str>,
    /// Issuing authority.
    pub authority: Option<&'a str>,
    /// Issue date.
    pub issued: Option<PartialDate>,
    /// Expiry date.
    pub expires: Option<PartialDate>,
    /// Remarks on the document.
    pub summary: Option<&'a str>,
}

/// The Identification or Passport entity of a document held by `holder_id`; its id is derived
/// from the holder, type and number so that it is stable across versions.
pub(crate) fn document_entity(
    prefix: &str,
    holder_id: &str,
    doc: &Document<'_>,
    origin: &str,
) -> Entity {
    let schema = if doc.passport {
        "Passport"
    } else {
        "Identification"
    };
    let id = interdict_model::id::derived_id(
        &format!("{prefix}-id"),
        &[holder_id, doc.kind, doc.number],
    );
    let mut e = Entity::new(id, interdict_model::Schema::named(schema));
    put(&mut e, "holder", holder_id, origin);
    put(&mut e, "type", doc.kind, origin);
    put(&mut e, "number", doc.number, origin);
    if let Some(c) = doc.country {
        put_country(&mut e, "country", c, origin);
    }
    if let Some(a) = doc.authority {
        put(&mut e, "authority", a, origin);
    }
    if let Some(d) = doc.issued {
        put_date(&mut e, "startDate", d, origin);
    }
    if let Some(d) = doc.expires {
        put_date(&mut e, "endDate", d, origin);
    }
    if let Some(s) = doc.summary {
        put(&mut e, "summary", s, origin);
    }
    e
}

/// The published date of a list as a calendar day, if the file states a full date.
pub(crate) fn full_date(date: PartialDate) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(date.year, date.month?.into(), date.day?.into())
}

/// Exactly one input file: the XML formats are one file each.
pub(crate) fn single_file(paths: &[PathBuf]) -> Result<&PathBuf, ImportError> {
    match paths {
        [one] => Ok(one),
        [] => Err(ImportError::new("", Location::File, "no input file given")),
        [first, ..] => Err(ImportError::new(
            first,
            Location::File,
            format!(
                "this format is one XML file; {} files were given",
                paths.len()
            ),
        )),
    }
}

/// Open a file for buffered reading, naming it in the error.
pub(crate) fn open_file(path: &Path) -> Result<std::io::BufReader<std::fs::File>, ImportError> {
    let f = std::fs::File::open(path)
        .map_err(|e| ImportError::new(path, Location::File, format!("cannot read: {e}")))?;
    Ok(std::io::BufReader::with_capacity(1 << 16, f))
}

/// The records one list entry becomes: its main entity and the sanctions, addresses, documents
/// and relations attached to it. An id given twice (one address listed twice) is merged, so a
/// version never holds two entities with one id.
#[derive(Default)]
pub(crate) struct Batch {
    entities: Vec<Entity>,
}

impl Batch {
    /// Add an entity, merging it into an earlier one with the same id.
    pub fn push(&mut self, entity: Entity) {
        match self.entities.iter_mut().find(|e| e.id == entity.id) {
            Some(existing) => existing.merge(&entity),
            None => self.entities.push(entity),
        }
    }

    /// Put the entity with this id (the list entry's subject) before its attachments.
    pub fn main_first(mut self, id: &str) -> Self {
        if let Some(i) = self.entities.iter().position(|e| e.id == id) {
            let main = self.entities.remove(i);
            self.entities.insert(0, main);
        }
        self
    }

    /// The entities in the order they were first added.
    pub fn into_records(self) -> impl Iterator<Item = interdict_model::ListRecord> {
        self.entities
            .into_iter()
            .map(interdict_model::ListRecord::Entity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(xml: &str) -> XmlReader<&[u8]> {
        XmlReader::new(Path::new("t.xml"), xml.as_bytes())
    }

    #[test]
    fn reads_records_as_trees() {
        let mut r = reader(
            "<?xml version=\"1.0\"?><list xmlns=\"urn:x\"><e a=\"1 &amp; 2\">A &lt;b&gt; &#x41;<x/><y>t</y></e></list>",
        );
        let root = r.root("list", &["urn:x"]).unwrap();
        assert_eq!(root.attr("xmlns"), Some("urn:x"));
        let tag = r.next_child().unwrap().unwrap();
        let e = r.read_element(tag).unwrap();
        assert_eq!(e.attr("a"), Some("1 & 2"));
        assert_eq!(e.text(), Some("A <b> A"));
        assert_eq!(e.child_text("y"), Some("t"));
        assert!(e.child("x").is_some());
        assert!(r.next_child().unwrap().is_none());
        r.finish().unwrap();
    }

    #[test]
    fn truncation_wrong_root_and_encoding_are_errors() {
        let mut r = reader("<list><e>abc");
        r.root("list", &[]).unwrap();
        let tag = r.next_child().unwrap().unwrap();
        let err = r.read_element(tag).unwrap_err();
        assert!(matches!(err.location, Location::Byte(_)), "{err}");
        assert!(err.reason.contains("truncated"), "{err}");

        let mut r = reader("<list/>");
        assert!(r.root("list", &[]).unwrap().empty);
        assert!(r.next_child().unwrap().is_none());
        r.finish().unwrap();

        let err = reader("<other/>").root("list", &[]).unwrap_err();
        assert!(err.reason.contains("expected <list>"), "{err}");
        let err = reader("<list xmlns=\"urn:y\"/>")
            .root("list", &["urn:x"])
            .unwrap_err();
        assert!(err.reason.contains("namespace"), "{err}");
        let err = reader("<?xml version=\"1.0\" encoding=\"windows-1252\"?><list/>")
            .root("list", &[])
            .unwrap_err();
        assert!(err.reason.contains("UTF-8"), "{err}");
        let mut r = XmlReader::new(Path::new("t.xml"), &b"<list><e>\xff\xfe</e></list>"[..]);
        r.root("list", &[]).unwrap();
        let tag = r.next_child().unwrap().unwrap();
        assert!(r.read_element(tag).unwrap_err().reason.contains("UTF-8"));
        let mut r = reader("<list><e>&nbsp;</e></list>");
        r.root("list", &[]).unwrap();
        let tag = r.next_child().unwrap().unwrap();
        assert!(r.read_element(tag).unwrap_err().reason.contains("entity"));
    }

    #[test]
    fn iso_prefixes_and_ranges() {
        assert_eq!(
            parse_iso_prefix("2015-04-07-04:00").unwrap().to_string(),
            "2015-04-07"
        );
        assert_eq!(
            parse_iso_prefix("2020-04-15T15:29:22.497+02:00")
                .unwrap()
                .to_string(),
            "2020-04-15"
        );
        assert_eq!(parse_iso_prefix("1954").unwrap().to_string(), "1954");
        assert!(parse_iso_prefix("1954-13-01").is_none());
        assert!(parse_iso_prefix("19540").is_none());
        let y = |s: &str| s.parse::<PartialDate>().unwrap();
        let show = |v: Vec<PartialDate>| {
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(
            show(date_range(y("1976-01-01"), y("1978-12-31"))),
            "1976,1977,1978"
        );
        assert_eq!(show(date_range(y("1962-01-01"), y("1962-12-31"))), "1962");
        assert_eq!(
            show(date_range(y("1961-04-01"), y("1961-04-30"))),
            "1961-04"
        );
        assert_eq!(
            show(date_range(y("1954-08-30"), y("1954-08-30"))),
            "1954-08-30"
        );
        assert_eq!(
            show(date_range(y("1954-08-01"), y("1954-09-15"))),
            "1954-08-01,1954-09-15"
        );
        assert_eq!(show(date_range(y("1900"), y("1950"))), "1900,1950");
    }
}
