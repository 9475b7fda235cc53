//! The ownership graph: parties, and between each owner and asset the holdings and control
//! relations recorded, with associations kept aside for context.
//!
//! Entities are numbered densely on the way in so that the rules walk arrays, not hash maps;
//! the public API speaks entity ids. The graph is read through `&self` only; edits are explicit
//! calls that return the [`Change`] an [`crate::Assessment`] needs to catch up.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use interdict_model::Entity;

use crate::listing::Change;
use crate::period::{Activity, Period};
use crate::relation::{
    Association, Control, ControlKind, Holding, ReadIssue, Relation, RelationError,
    relation_from_entity,
};
use crate::share::{Percent, Share, Sum, UNITS_PER_PERCENT};

/// Dense number of a party in one graph.
pub(crate) type Node = u32;

const FULL: u64 = 100 * UNITS_PER_PERCENT as u64;

/// What a holding record keeps beyond share and period; boxed because most records in a large
/// registry have none of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HoldingMeta {
    pub class: Option<Box<str>>,
    pub record: Option<Box<str>>,
    pub source: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HoldingRecord {
    pub share: Share,
    pub period: Period,
    pub span: Span,
    pub meta: Option<Box<HoldingMeta>>,
}

impl HoldingRecord {
    fn class(&self) -> Option<&str> {
        self.meta.as_ref().and_then(|m| m.class.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ControlRecord {
    pub kind: ControlKind,
    pub votes: Option<Share>,
    pub period: Period,
    pub span: Span,
    pub record: Option<Box<str>>,
    pub source: Option<Box<str>>,
}

/// A period as day numbers, so that the rules compare integers instead of building calendar
/// dates for every holding they look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    possible_from: i32,
    certain_from: i32,
    certain_to: i32,
    possible_to: i32,
}

impl Span {
    fn of(p: &Period) -> Span {
        let n = |d: NaiveDate| d.num_days_from_ce();
        Span {
            possible_from: p.start.map_or(i32::MIN, |s| n(s.first_day())),
            certain_from: p.start.map_or(i32::MIN, |s| n(s.last_day())),
            certain_to: p.end.map_or(i32::MAX, |e| n(e.first_day())),
            possible_to: p.end.map_or(i32::MAX, |e| n(e.last_day())),
        }
    }

    /// The same answer as [`Period::activity`], on a day number.
    fn activity(&self, day: i32) -> Activity {
        if day < self.possible_from || day > self.possible_to {
            Activity::Inactive
        } else if day >= self.certain_from && day <= self.certain_to {
            Activity::Certain
        } else {
            Activity::Uncertain
        }
    }
}

/// Which end of the uncertainty the rules read: the lower end decides a definite block, the
/// upper end whether something may be blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Bound {
    Definite,
    Possible,
}

/// Everything recorded between one owner and one asset.
#[derive(Debug, Clone, Default)]
pub(crate) struct Link {
    pub owner: Node,
    pub asset: Node,
    pub holdings: Vec<HoldingRecord>,
    pub controls: Vec<ControlRecord>,
}

fn counts(activity: Activity, bound: Bound) -> bool {
    match bound {
        Bound::Definite => activity == Activity::Certain,
        Bound::Possible => activity != Activity::Inactive,
    }
}

impl Link {
    /// The share of the asset the owner holds on `day`, at the given end of the uncertainty.
    ///
    /// Definite: for each share class the largest certainly-in-force lower bound (two records
    /// of one class may be the same fact from two sources), summed over classes. Possible: the
    /// sum of every possibly-in-force upper bound. Both capped at 100 %.
    pub fn amount(&self, day: NaiveDate, bound: Bound) -> Sum {
        let day = day.num_days_from_ce();
        let mut sum = Sum::default();
        match bound {
            Bound::Definite => {
                for (i, h) in self.holdings.iter().enumerate() {
                    if !counts(h.span.activity(day), bound) {
                        continue;
                    }
                    // Only the first record of each class speaks for it: take the class maximum.
                    let class = h.class();
                    if self.holdings[..i]
                        .iter()
                        .any(|o| o.class() == class && counts(o.span.activity(day), bound))
                    {
                        continue;
                    }
                    let best = self.holdings[i..]
                        .iter()
                        .filter(|o| o.class() == class && counts(o.span.activity(day), bound))
                        .map(|o| (o.share.min.units(), o.share.min_exclusive))
                        .max()
                        .unwrap_or((0, false));
                    sum.add(Sum {
                        units: u64::from(best.0),
                        open: best.1,
                    });
                }
            }
            Bound::Possible => {
                for h in &self.holdings {
                    if counts(h.span.activity(day), bound) {
                        sum.add(Sum {
                            units: u64::from(h.share.max.units()),
                            open: h.share.max_exclusive,
                        });
                    }
                }
            }
        }
        if sum.units >= FULL {
            sum = Sum {
                units: FULL,
                open: false,
            };
        }
        sum
    }

    /// Whether the owner controls the asset on `day`, at the given end of the uncertainty.
    /// Voting rights with a stated share control only above 50 %.
    pub fn controls(&self, day: NaiveDate, bound: Bound) -> bool {
        if self.controls.is_empty() {
            return false;
        }
        let day = day.num_days_from_ce();
        self.controls.iter().any(|c| {
            counts(c.span.activity(day), bound)
                && c.votes.is_none_or(|v| match bound {
                    Bound::Definite => {
                        v.min > Percent::FIFTY || (v.min == Percent::FIFTY && v.min_exclusive)
                    }
                    Bound::Possible => v.max > Percent::FIFTY,
                })
        })
    }
}

/// The ownership graph of a registry: who holds what of whom, who controls whom, when.
///
/// Built once with a [`GraphBuilder`] (or [`OwnershipGraph::from_entities`]) and then read;
/// [`OwnershipGraph::add_holding`], [`OwnershipGraph::add_control`] and
/// [`OwnershipGraph::remove_between`] edit it and return the [`Change`] that assessments
/// computed on it need in order to catch up incrementally.
#[derive(Debug, Clone, Default)]
pub struct OwnershipGraph {
    ids: Vec<Box<str>>,
    names: Vec<Option<Box<str>>>,
    index: HashMap<Box<str>, Node>,
    links: Vec<Link>,
    free_links: Vec<u32>,
    out: Vec<Vec<u32>>,
    inn: Vec<Vec<u32>>,
    associations: Vec<Association>,
    associations_of: HashMap<Node, Vec<u32>>,
    holding_count: usize,
    control_count: usize,
    issues: Vec<ReadIssue>,
}

impl OwnershipGraph {
    /// An empty graph.
    pub fn new() -> OwnershipGraph {
        OwnershipGraph::default()
    }

    /// Build a graph from FtM entities (parties, `Ownership`, `Directorship`, `Family`,
    /// `Associate`, `UnknownLink`), under the conventions of [`crate::relation`]. Relations
    /// that cannot be read are returned beside the graph; soft issues are in
    /// [`OwnershipGraph::issues`].
    pub fn from_entities<'a>(
        entities: impl IntoIterator<Item = &'a Entity>,
    ) -> (OwnershipGraph, Vec<RelationError>) {
        let mut b = GraphBuilder::new();
        let mut errors = Vec::new();
        for e in entities {
            if let Err(err) = b.entity(e) {
                errors.push(err);
            }
        }
        (b.build(), errors)
    }

    /// The number of parties.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the graph has no party.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The number of holding records.
    pub fn holding_count(&self) -> usize {
        self.holding_count
    }

    /// The number of control records.
    pub fn control_count(&self) -> usize {
        self.control_count
    }

    /// Whether the graph knows the entity.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The display name of an entity, if one was given.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.node(id).and_then(|n| self.name_of(n))
    }

    /// Every entity id, in the graph's internal order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(|s| &**s)
    }

    /// Soft problems met while reading FtM entities (kept relations, conservative readings).
    pub fn issues(&self) -> &[ReadIssue] {
        &self.issues
    }

    /// The holdings in `asset`, with their owners, as recorded.
    pub fn owners_of(&self, asset: &str) -> Vec<Holding> {
        let Some(a) = self.node(asset) else {
            return Vec::new();
        };
        self.inn[a as usize]
            .iter()
            .flat_map(|&l| self.holdings_in(l))
            .collect()
    }

    /// The holdings of `owner`, as recorded.
    pub fn holdings_of(&self, owner: &str) -> Vec<Holding> {
        let Some(o) = self.node(owner) else {
            return Vec::new();
        };
        self.out[o as usize]
            .iter()
            .flat_map(|&l| self.holdings_in(l))
            .collect()
    }

    /// The control relations over `asset`, as recorded.
    pub fn controllers_of(&self, asset: &str) -> Vec<Control> {
        let Some(a) = self.node(asset) else {
            return Vec::new();
        };
        self.inn[a as usize]
            .iter()
            .flat_map(|&l| self.controls_in(l))
            .collect()
    }

    /// The associations (directorships without control, family, associates, "linked to") an
    /// entity takes part in, on either end.
    pub fn associations_of(&self, id: &str) -> Vec<&Association> {
        let Some(n) = self.node(id) else {
            return Vec::new();
        };
        self.associations_of
            .get(&n)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.associations.get(i as usize))
            .collect()
    }

    /// Give or change an entity's display name (adding the entity if it is new).
    pub fn set_name(&mut self, id: &str, name: &str) {
        let n = self.intern(id);
        self.names[n as usize] = Some(name.into());
    }

    /// Add a holding. Returns the change for assessments.
    pub fn add_holding(&mut self, h: Holding) -> Result<Change, RelationError> {
        if h.owner == h.asset {
            return Err(RelationError::SelfLoop {
                id: h.record.unwrap_or_default(),
                owner: h.owner,
            });
        }
        let change = Change::HoldingAdded {
            owner: h.owner.clone(),
            asset: h.asset.clone(),
        };
        let (o, a) = (self.intern(&h.owner), self.intern(&h.asset));
        let l = self.link_between(o, a);
        self.links[l as usize].holdings.push(holding_record(h));
        self.holding_count += 1;
        Ok(change)
    }

    /// Add a control relation. Returns the change for assessments.
    pub fn add_control(&mut self, c: Control) -> Result<Change, RelationError> {
        if c.controller == c.asset {
            return Err(RelationError::SelfLoop {
                id: c.record.unwrap_or_default(),
                owner: c.controller,
            });
        }
        let change = Change::HoldingAdded {
            owner: c.controller.clone(),
            asset: c.asset.clone(),
        };
        let (o, a) = (self.intern(&c.controller), self.intern(&c.asset));
        let l = self.link_between(o, a);
        self.links[l as usize].controls.push(control_record(c));
        self.control_count += 1;
        Ok(change)
    }

    /// Add an association.
    pub fn add_association(&mut self, a: Association) {
        let (f, t) = (self.intern(&a.from), self.intern(&a.to));
        let i = self.associations.len() as u32;
        self.associations.push(a);
        self.associations_of.entry(f).or_default().push(i);
        if t != f {
            self.associations_of.entry(t).or_default().push(i);
        }
    }

    /// Add what an FtM entity says (see [`crate::relation`]); `Ok(None)` when it changes
    /// nothing the rules read.
    pub fn apply_entity(&mut self, e: &Entity) -> Result<Option<Change>, RelationError> {
        let (relation, issues) = relation_from_entity(e)?;
        self.issues.extend(issues);
        Ok(match relation {
            Relation::Holding(h) => Some(self.add_holding(h)?),
            Relation::Control(c) => Some(self.add_control(c)?),
            Relation::Association(a) => {
                self.add_association(a);
                None
            }
            Relation::Party { id, name } => {
                self.set_name(&id, &name);
                None
            }
            Relation::Ignored => None,
        })
    }

    /// Remove every holding and control relation between `owner` and `asset` (a divestment,
    /// a corrected record). `None` if there were none.
    pub fn remove_between(&mut self, owner: &str, asset: &str) -> Option<Change> {
        let (o, a) = (self.node(owner)?, self.node(asset)?);
        let l = self.find_link(o, a)?;
        let link = std::mem::take(&mut self.links[l as usize]);
        self.holding_count -= link.holdings.len();
        self.control_count -= link.controls.len();
        remove_value(&mut self.out[o as usize], l);
        remove_value(&mut self.inn[a as usize], l);
        self.free_links.push(l);
        Some(Change::Holding {
            owner: owner.to_string(),
            asset: asset.to_string(),
        })
    }

    // ----- crate-internal access by dense number -----

    pub(crate) fn node(&self, id: &str) -> Option<Node> {
        self.index.get(id).copied()
    }

    pub(crate) fn id_of(&self, n: Node) -> &str {
        self.ids.get(n as usize).map(|s| &**s).unwrap_or("")
    }

    pub(crate) fn name_of(&self, n: Node) -> Option<&str> {
        self.names.get(n as usize).and_then(|s| s.as_deref())
    }

    pub(crate) fn out_links(&self, n: Node) -> &[u32] {
        self.out.get(n as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn in_links(&self, n: Node) -> &[u32] {
        self.inn.get(n as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    pub(crate) fn link(&self, l: u32) -> &Link {
        &self.links[l as usize]
    }

    pub(crate) fn holdings_in(&self, l: u32) -> impl Iterator<Item = Holding> + '_ {
        let link = &self.links[l as usize];
        link.holdings.iter().map(move |r| Holding {
            owner: self.id_of(link.owner).to_string(),
            asset: self.id_of(link.asset).to_string(),
            share: r.share,
            period: r.period,
            class: r
                .meta
                .as_ref()
                .and_then(|m| m.class.as_deref().map(str::to_string)),
            record: r
                .meta
                .as_ref()
                .and_then(|m| m.record.as_deref().map(str::to_string)),
            source: r
                .meta
                .as_ref()
                .and_then(|m| m.source.as_deref().map(str::to_string)),
        })
    }

    pub(crate) fn controls_in(&self, l: u32) -> impl Iterator<Item = Control> + '_ {
        let link = &self.links[l as usize];
        link.controls.iter().map(move |r| Control {
            controller: self.id_of(link.owner).to_string(),
            asset: self.id_of(link.asset).to_string(),
            kind: r.kind,
            votes: r.votes,
            period: r.period,
            record: r.record.as_deref().map(str::to_string),
            source: r.source.as_deref().map(str::to_string),
        })
    }

    pub(crate) fn association_ids(&self, n: Node) -> &[u32] {
        self.associations_of
            .get(&n)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub(crate) fn association(&self, i: u32) -> Option<&Association> {
        self.associations.get(i as usize)
    }

    fn intern(&mut self, id: &str) -> Node {
        if let Some(&n) = self.index.get(id) {
            return n;
        }
        let n = self.ids.len() as Node;
        self.ids.push(id.into());
        self.names.push(None);
        self.out.push(Vec::new());
        self.inn.push(Vec::new());
        self.index.insert(id.into(), n);
        n
    }

    fn find_link(&self, o: Node, a: Node) -> Option<u32> {
        let (out, inn) = (&self.out[o as usize], &self.inn[a as usize]);
        if out.len() <= inn.len() {
            out.iter()
                .copied()
                .find(|&l| self.links[l as usize].asset == a)
        } else {
            inn.iter()
                .copied()
                .find(|&l| self.links[l as usize].owner == o)
        }
    }

    fn link_between(&mut self, o: Node, a: Node) -> u32 {
        if let Some(l) = self.find_link(o, a) {
            return l;
        }
        let link = Link {
            owner: o,
            asset: a,
            holdings: Vec::new(),
            controls: Vec::new(),
        };
        let l = match self.free_links.pop() {
            Some(l) => {
                self.links[l as usize] = link;
                l
            }
            None => {
                self.links.push(link);
                (self.links.len() - 1) as u32
            }
        };
        self.out[o as usize].push(l);
        self.inn[a as usize].push(l);
        l
    }
}

fn remove_value(v: &mut Vec<u32>, x: u32) {
    if let Some(i) = v.iter().position(|&y| y == x) {
        v.swap_remove(i);
    }
}

fn boxed(s: Option<String>) -> Option<Box<str>> {
    s.map(String::into_boxed_str)
}

fn holding_record(h: Holding) -> HoldingRecord {
    let meta = (h.class.is_some() || h.record.is_some() || h.source.is_some()).then(|| {
        Box::new(HoldingMeta {
            class: boxed(h.class),
            record: boxed(h.record),
            source: boxed(h.source),
        })
    });
    HoldingRecord {
        share: h.share,
        period: h.period,
        span: Span::of(&h.period),
        meta,
    }
}

fn control_record(c: Control) -> ControlRecord {
    ControlRecord {
        kind: c.kind,
        votes: c.votes,
        period: c.period,
        span: Span::of(&c.period),
        record: boxed(c.record),
        source: boxed(c.source),
    }
}

enum Pending {
    Holding(HoldingRecord),
    Control(ControlRecord),
}

/// Collects parties and relations, then builds the graph in one pass (sorting the relations by
/// owner and asset instead of looking each pair up), which is what makes a registry of
/// millions of holdings load in seconds.
#[derive(Default)]
pub struct GraphBuilder {
    graph: OwnershipGraph,
    pending: Vec<(Node, Node, Pending)>,
    associations: Vec<Association>,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new() -> GraphBuilder {
        GraphBuilder::default()
    }

    /// Name a party (adding it if new).
    pub fn party(&mut self, id: &str, name: Option<&str>) -> &mut Self {
        let n = self.graph.intern(id);
        if let Some(name) = name {
            self.graph.names[n as usize] = Some(name.into());
        }
        self
    }

    /// Add a holding.
    pub fn holding(&mut self, h: Holding) -> Result<&mut Self, RelationError> {
        if h.owner == h.asset {
            return Err(RelationError::SelfLoop {
                id: h.record.unwrap_or_default(),
                owner: h.owner,
            });
        }
        let (o, a) = (self.graph.intern(&h.owner), self.graph.intern(&h.asset));
        self.pending
            .push((o, a, Pending::Holding(holding_record(h))));
        Ok(self)
    }

    /// Add a control relation.
    pub fn control(&mut self, c: Control) -> Result<&mut Self, RelationError> {
        if c.controller == c.asset {
            return Err(RelationError::SelfLoop {
                id: c.record.unwrap_or_default(),
                owner: c.controller,
            });
        }
        let (o, a) = (
            self.graph.intern(&c.controller),
            self.graph.intern(&c.asset),
        );
        self.pending
            .push((o, a, Pending::Control(control_record(c))));
        Ok(self)
    }

    /// Add an association.
    pub fn association(&mut self, a: Association) -> &mut Self {
        self.associations.push(a);
        self
    }

    /// Add what an FtM entity says (see [`crate::relation`]); soft issues are kept for
    /// [`OwnershipGraph::issues`].
    pub fn entity(&mut self, e: &Entity) -> Result<&mut Self, RelationError> {
        let (relation, issues) = relation_from_entity(e)?;
        self.graph.issues.extend(issues);
        match relation {
            Relation::Holding(h) => {
                self.holding(h)?;
            }
            Relation::Control(c) => {
                self.control(c)?;
            }
            Relation::Association(a) => {
                self.association(a);
            }
            Relation::Party { id, name } => {
                self.party(&id, Some(&name));
            }
            Relation::Ignored => {}
        }
        Ok(self)
    }

    /// Build the graph.
    pub fn build(self) -> OwnershipGraph {
        let GraphBuilder {
            mut graph,
            mut pending,
            associations,
        } = self;
        pending.sort_by_key(|(o, a, _)| (*o, *a));
        let n = graph.ids.len();
        let mut out_deg = vec![0u32; n];
        let mut in_deg = vec![0u32; n];
        let mut prev: Option<(Node, Node)> = None;
        for (o, a, _) in &pending {
            if prev != Some((*o, *a)) {
                out_deg[*o as usize] += 1;
                in_deg[*a as usize] += 1;
                prev = Some((*o, *a));
            }
        }
        graph.out = out_deg
            .iter()
            .map(|&d| Vec::with_capacity(d as usize))
            .collect();
        graph.inn = in_deg
            .iter()
            .map(|&d| Vec::with_capacity(d as usize))
            .collect();
        for (o, a, p) in pending {
            let last = graph
                .links
                .last()
                .filter(|l| l.owner == o && l.asset == a)
                .is_some();
            if !last {
                let l = graph.links.len() as u32;
                graph.links.push(Link {
                    owner: o,
                    asset: a,
                    holdings: Vec::new(),
                    controls: Vec::new(),
                });
                graph.out[o as usize].push(l);
                graph.inn[a as usize].push(l);
            }
            let Some(link) = graph.links.last_mut() else {
                continue;
            };
            match p {
                Pending::Holding(h) => {
                    link.holdings.push(h);
                    graph.holding_count += 1;
                }
                Pending::Control(c) => {
                    link.controls.push(c);
                    graph.control_count += 1;
                }
            }
        }
        for a in associations {
            graph.add_association(a);
        }
        graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn duplicate_records_are_max_below_and_sum_above() {
        let mut b = GraphBuilder::new();
        b.holding(Holding::new("a", "x", Share::parse("30").unwrap()))
            .unwrap();
        b.holding(Holding::new("a", "x", Share::parse("30").unwrap()))
            .unwrap();
        let mut other_class = Holding::new("a", "x", Share::parse("10").unwrap());
        other_class.class = Some("preferred".into());
        b.holding(other_class).unwrap();
        let g = b.build();
        assert_eq!(g.holding_count(), 3);
        let l = g.link(g.in_links(g.node("x").unwrap())[0]);
        let d = day("2025-01-01");
        assert_eq!(l.amount(d, Bound::Definite).units, 40 * 10_000);
        assert_eq!(l.amount(d, Bound::Possible).units, 70 * 10_000);
    }

    #[test]
    fn spans_agree_with_periods() {
        let mut rng = crate::synthetic::Rng::new(3);
        for _ in 0..5_000 {
            let p = crate::synthetic::random_period(&mut rng);
            let d = NaiveDate::from_ymd_opt(
                1999 + rng.below(28) as i32,
                1 + rng.below(12) as u32,
                1 + rng.below(28) as u32,
            )
            .unwrap();
            assert_eq!(
                Span::of(&p).activity(d.num_days_from_ce()),
                p.activity(d),
                "{p:?} {d}"
            );
        }
    }

    #[test]
    fn edits_keep_adjacency_consistent() {
        let mut g = GraphBuilder::new().build();
        g.add_holding(Holding::new("a", "x", Share::exact(Percent::whole(60))))
            .unwrap();
        g.add_control(Control::new("a", "x", ControlKind::BoardMajority))
            .unwrap();
        g.add_holding(Holding::new("b", "x", Share::exact(Percent::whole(10))))
            .unwrap();
        assert_eq!(g.owners_of("x").len(), 2);
        assert_eq!(g.controllers_of("x").len(), 1);
        assert_eq!(
            g.remove_between("a", "x"),
            Some(Change::Holding {
                owner: "a".into(),
                asset: "x".into()
            })
        );
        assert_eq!(g.owners_of("x").len(), 1);
        assert_eq!(g.holding_count(), 1);
        assert_eq!(g.control_count(), 0);
        assert_eq!(g.remove_between("a", "x"), None);
        g.add_holding(Holding::new("c", "x", Share::exact(Percent::whole(5))))
            .unwrap();
        assert_eq!(g.owners_of("x").len(), 2);
        assert!(
            g.add_holding(Holding::new("x", "x", Share::UNKNOWN))
                .is_err()
        );
    }
}
