//! A small element tree over quick-xml, for what the typed ISO 20022 models cannot do: find the
//! `Document` inside an envelope, cut out `SplmtryData` (whose `xs:any` content mx20022 cannot
//! hold), hand mx20022 a clean un-prefixed document, name every element by its path, and check
//! that nothing in the input was dropped by the typed parse.

use std::collections::BTreeMap;

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// Deeper nesting than any ISO 20022 message needs; refusing it keeps recursion bounded.
const MAX_DEPTH: usize = 64;

/// An XML element: local name, namespace, attributes, text and children.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Local name, without prefix.
    pub name: String,
    /// Resolved namespace URI, if any.
    pub namespace: Option<String>,
    /// Attributes by local name (namespace declarations left out).
    pub attributes: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Character content (text and CDATA), entities resolved.
    pub text: String,
    /// 1-based line of the start tag, for messages.
    pub line: usize,
}

/// Why the bytes are not a well-formed document: line and reason.
#[derive(Debug, Clone)]
pub(crate) struct SyntaxError {
    pub line: usize,
    pub reason: String,
}

fn line_of(text: &str, offset: u64) -> usize {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)
        }
    }
}

/// Parse a whole document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, SyntaxError> {
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let err = |reader: &NsReader<&[u8]>, reason: String| SyntaxError {
        line: line_of(text, reader.buffer_position()),
        reason,
    };
    loop {
        let at = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (
                match ns {
                    ResolveResult::Bound(ns) => {
                        Some(String::from_utf8_lossy(ns.as_ref()).into_owned())
                    }
                    ResolveResult::Unbound => None,
                    ResolveResult::Unknown(prefix) => {
                        return Err(err(
                            &reader,
                            format!(
                                "namespace prefix {:?} is not declared",
                                String::from_utf8_lossy(&prefix)
                            ),
                        ));
                    }
                },
                event,
            ),
            Err(e) => return Err(err(&reader, e.to_string())),
        };
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(err(&reader, "content after the root element".to_string()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        &reader,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let element = open_element(&start, ns, line_of(text, at))
                    .map_err(|reason| err(&reader, reason))?;
                stack.push(element);
            }
            Event::Empty(start) => {
                if root.is_some() {
                    return Err(err(&reader, "content after the root element".to_string()));
                }
                let element = open_element(&start, ns, line_of(text, at))
                    .map_err(|reason| err(&reader, reason))?;
                close(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| err(&reader, "end tag without start tag".to_string()))?;
                close(&mut stack, &mut root, element);
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|e| err(&reader, e.to_string()))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(err(&reader, "text outside the root element".to_string())),
                }
            }
            Event::CData(c) => {
                let s = c.xml10_content().map_err(|e| err(&reader, e.to_string()))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    None => return Err(err(&reader, "CDATA outside the root element".to_string())),
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| err(&reader, e.to_string()))?;
                let c = resolve_entity(&name)
                    .ok_or_else(|| err(&reader, format!("unknown entity &{name};")))?;
                match stack.last_mut() {
                    Some(top) => top.text.push(c),
                    None => {
                        return Err(err(&reader, "entity outside the root element".to_string()));
                    }
                }
            }
            Event::DocType(_) => {
                return Err(err(
                    &reader,
                    "document type declarations are not accepted".to_string(),
                ));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(SyntaxError {
            line: line_of(text, text.len() as u64),
            reason: format!(
                "the document ends inside <{}>",
                stack.last().map_or("", |e| e.name.as_str())
            ),
        });
    }
    root.ok_or(SyntaxError {
        line: 1,
        reason: "no root element".to_string(),
    })
}

fn open_element(
    start: &quick_xml::events::BytesStart<'_>,
    namespace: Option<String>,
    line: usize,
) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = attr.key;
        if key.as_ref() == b"xmlns" || key.as_ref().starts_with(b"xmlns:") {
            continue;
        }
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .into_owned();
        attributes.push((
            String::from_utf8_lossy(key.local_name().as_ref()).into_owned(),
            value,
        ));
    }
    Ok(Element {
        name,
        namespace,
        attributes,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

fn close(stack: &mut [Element], root: &mut Option<Element>, mut element: Element) {
    if !element.children.is_empty() && element.text.trim().is_empty() {
        element.text.clear();
    }
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

impl Element {
    /// The first child with a local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children with a local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of a child, if the child exists.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// An attribute by local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// All text below this element, whitespace-collapsed, for screening content we cannot
    /// interpret (supplementary data).
    pub fn all_text(&self) -> String {
        let mut parts = Vec::new();
        self.collect_text(&mut parts);
        parts.join(" ")
    }

    fn collect_text(&self, parts: &mut Vec<String>) {
        let t = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            parts.push(t);
        }
        for c in &self.children {
            c.collect_text(parts);
        }
    }

    /// Depth-first search for the first element with a local name (this one included).
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }

    /// Write the element back as XML with local names only, leaving out children for which
    /// `skip` is true. Gives mx20022 a document free of prefixes and of content it cannot hold.
    pub fn to_xml(&self, out: &mut String, skip: &dyn Fn(&Element) -> bool) {
        out.push('<');
        out.push_str(&self.name);
        for (k, v) in &self.attributes {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&quick_xml::escape::escape(v.as_str()));
            out.push('"');
        }
        out.push('>');
        out.push_str(&quick_xml::escape::escape(self.text.as_str()));
        for c in &self.children {
            if !skip(c) {
                c.to_xml(out, skip);
            }
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }

    /// Count element paths (without indices) below and including this element, leaving out
    /// skipped subtrees.
    pub fn path_counts(
        &self,
        prefix: &str,
        counts: &mut BTreeMap<String, usize>,
        skip: &dyn Fn(&Element) -> bool,
    ) {
        let path = if prefix.is_empty() {
            self.name.clone()
        } else {
            format!("{prefix}/{}", self.name)
        };
        *counts.entry(path.clone()).or_default() += 1;
        for c in &self.children {
            if !skip(c) {
                c.path_counts(&path, counts, skip);
            }
        }
    }

    /// The first element, in document order, whose index-free path occurs more often here than
    /// in `kept`: the element a typed parse dropped. Returns its indexed path.
    /// Elements named in `always_indexed` get an index even when they occur once, as the
    /// schema lets them repeat (`CdtTrfTxInf[0]`).
    pub fn first_dropped(
        &self,
        kept: &BTreeMap<String, usize>,
        skip: &dyn Fn(&Element) -> bool,
        always_indexed: &[&str],
    ) -> Option<(String, &Element)> {
        let mut seen = BTreeMap::new();
        self.walk_dropped(
            &self.name,
            &self.name,
            kept,
            &mut seen,
            skip,
            always_indexed,
        )
    }

    fn walk_dropped<'a>(
        &'a self,
        path: &str,
        indexed: &str,
        kept: &BTreeMap<String, usize>,
        seen: &mut BTreeMap<String, usize>,
        skip: &dyn Fn(&Element) -> bool,
        always_indexed: &[&str],
    ) -> Option<(String, &'a Element)> {
        let count = seen.entry(path.to_string()).or_default();
        *count += 1;
        if *count > kept.get(path).copied().unwrap_or(0) {
            return Some((indexed.to_string(), self));
        }
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &self.children {
            if skip(c) {
                continue;
            }
            let i = index.entry(c.name.as_str()).or_default();
            let repeated = always_indexed.contains(&c.name.as_str())
                || self
                    .children_named(&c.name)
                    .filter(|x| !skip(x))
                    .nth(1)
                    .is_some();
            let child_indexed = if repeated {
                format!("{indexed}/{}[{i}]", c.name)
            } else {
                format!("{indexed}/{}", c.name)
            };
            *i += 1;
            let child_path = format!("{path}/{}", c.name);
            if let Some(found) = c.walk_dropped(
                &child_path,
                &child_indexed,
                kept,
                seen,
                skip,
                always_indexed,
            ) {
                return Some(found);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_namespaces_entities_and_empty_elements() {
        let doc = parse(
            r#"<?xml version="1.0"?><e:Env xmlns:e="urn:e"><D xmlns="urn:d"><A x="1&amp;2">a &amp; b&#233;</A><B/><![CDATA[<c>]]></D></e:Env>"#,
        )
        .unwrap();
        assert_eq!(doc.name, "Env");
        assert_eq!(doc.namespace.as_deref(), Some("urn:e"));
        let d = doc.child("D").unwrap();
        assert_eq!(d.namespace.as_deref(), Some("urn:d"));
        assert_eq!(d.child_text("A"), Some("a & bé"));
        assert_eq!(d.child("A").unwrap().attribute("x"), Some("1&2"));
        assert!(d.child("B").unwrap().children.is_empty());
        assert_eq!(d.text, "<c>");
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "<a><b></a>",
            "<a>",
            "<a/><b/>",
            "<!DOCTYPE a><a/>",
            "<a>&foo;</a>",
            "<p:a/>",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).unwrap_err().reason.contains("deeper"));
    }

    #[test]
    fn finds_dropped_elements() {
        let full = parse("<D><T><N>x</N><Q>y</Q></T><T><N>z</N><Nme>w</Nme></T></D>").unwrap();
        let kept = parse("<D><T><N>x</N><Q>y</Q></T><T><N>z</N></T></D>").unwrap();
        let mut counts = BTreeMap::new();
        kept.path_counts("", &mut counts, &|_| false);
        let (path, e) = full.first_dropped(&counts, &|_| false, &[]).unwrap();
        assert_eq!(e.name, "Nme");
        assert_eq!(path, "D/T[1]/Nme");
    }
}
