//! The derived status of every entity of a graph for one scope (jurisdiction, programmes, day,
//! rule), kept up to date incrementally.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::OwnershipError;
use crate::engine::{Ctx, Dense, NodeMap, NodeSet, Reason, Scratch, Sparse};
use crate::graph::{Bound, Node, OwnershipGraph};
use crate::listing::{Change, ListedSet, Scope};
use crate::proof::{Known, Proof, build_proof};
use crate::rule::{Aggregation, ControlEffect, Jurisdiction, Rule};

/// What the rules say about one entity, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Blocked by listing: the entity itself is listed in scope.
    Listed,
    /// Blocked by ownership: owned to the threshold by listed persons, directly or through
    /// entities that are themselves owned or (where control counts) controlled.
    Owned,
    /// Controlled by listed persons without being owned: under OFAC a flag for review, under
    /// the EU test covered (a rebuttable presumption).
    Controlled,
    /// May be owned or controlled: only upper bounds (ranges, unknown percentages, partial
    /// dates, owners themselves under review) reach the threshold. Never a definite block.
    Review,
    /// Neither listed nor owned nor controlled by listed persons.
    Clear,
}

/// What a status means for a dealing, in a given jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Blocked property: no dealing without a licence.
    Blocked,
    /// An analyst must decide.
    Review,
    /// Nothing from ownership or control.
    Clear,
}

impl Status {
    /// What the status means under a rule: control blocks only where control counts.
    pub fn effect(self, rule: &Rule) -> Effect {
        match self {
            Status::Listed | Status::Owned => Effect::Blocked,
            Status::Controlled if rule.control == ControlEffect::Covers => Effect::Blocked,
            Status::Controlled | Status::Review => Effect::Review,
            Status::Clear => Effect::Clear,
        }
    }

    /// The status in words (`blocked by ownership`, `controlled — review`).
    pub fn describe(self, rule: &Rule) -> &'static str {
        match (self, rule.control) {
            (Status::Listed, _) => "blocked by listing",
            (Status::Owned, _) => "blocked by ownership",
            (Status::Controlled, ControlEffect::FlagForReview) => "controlled — review",
            (Status::Controlled, ControlEffect::Covers) => "covered by control",
            (Status::Review, _) => "possibly owned — review",
            (Status::Clear, _) => "clear",
        }
    }
}

/// One entity's state in an assessment, packed in a byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct State(u8);

impl State {
    pub(crate) const LISTED: u8 = 1;
    pub(crate) const SEED: u8 = 2;
    pub(crate) const DEFINITE: u8 = 4;
    pub(crate) const POSSIBLE: u8 = 8;
    pub(crate) const OWNED: u8 = 16;
    pub(crate) const CONTROLLED: u8 = 32;
    /// Under a rule where control only flags: a possibly covered person controls the entity.
    pub(crate) const FLAGGED: u8 = 64;

    pub(crate) fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
    pub(crate) fn set(&mut self, bit: u8, on: bool) {
        if on {
            self.0 |= bit;
        } else {
            self.0 &= !bit;
        }
    }
    pub(crate) fn reason(self) -> Reason {
        if self.has(Self::OWNED) {
            Reason::Owned
        } else if self.has(Self::CONTROLLED) {
            Reason::Controlled
        } else {
            Reason::None
        }
    }
    pub(crate) fn set_reason(&mut self, r: Reason) {
        self.set(Self::OWNED, r == Reason::Owned);
        self.set(Self::CONTROLLED, r == Reason::Controlled);
    }
}

/// A status that an update changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The entity id.
    pub entity: String,
    /// Its status before the update.
    pub before: Status,
    /// Its status after the update.
    pub after: Status,
}

/// What an incremental update did, for monitoring and for the benchmark.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateReport {
    /// Entities whose derivation the change could affect (its downstream closure).
    pub region: usize,
    /// Entities whose stored state the update changed (cleared, re-derived, newly covered).
    pub touched: usize,
    /// Entities whose status changed, to re-screen or alert on.
    pub changed: Vec<StatusChange>,
}

/// The derived status of every entity of a graph for one [`Scope`].
///
/// Computing it walks only the listed persons, what they own or control and what that owns
/// or controls; reading an entity's status is a look at its state and its direct owners. An
/// update after a listing or a holding changed recomputes only the change's downstream
/// closure, and gives the same result as computing afresh (tested on random graphs).
#[derive(Debug, Clone)]
pub struct Assessment {
    scope: Scope,
    state: Vec<State>,
    /// Under an aggregated test: when each entity joined the definite and the possible
    /// derivation ([`NOT_JOINED`] if it did not). Every member's threshold is met by members
    /// that joined before it, so a proof is a walk up these numbers.
    order: [Vec<u32>; 2],
    next_order: u32,
    /// How many entities are possibly covered: an update whose region is a large part of
    /// them is cheaper done afresh.
    possible_count: usize,
}

/// The order of an entity that is not a member.
const NOT_JOINED: u32 = u32::MAX;

fn bound_index(b: Bound) -> usize {
    match b {
        Bound::Definite => 0,
        Bound::Possible => 1,
    }
}

impl Assessment {
    /// Derive the status of every entity of `graph` in `scope`.
    pub fn compute(graph: &OwnershipGraph, listings: &ListedSet, scope: &Scope) -> Assessment {
        let ordered = scope.rule.aggregation == Aggregation::Aggregated;
        let orders = if ordered { graph.len() } else { 0 };
        let mut a = Assessment {
            scope: scope.clone(),
            state: vec![State::default(); graph.len()],
            order: [vec![NOT_JOINED; orders], vec![NOT_JOINED; orders]],
            next_order: 0,
            possible_count: 0,
        };
        let mut seeds = Vec::new();
        for l in listings.iter() {
            if !scope.counts(l) {
                continue;
            }
            let Some(v) = graph.node(&l.entity) else {
                continue;
            };
            let st = &mut a.state[v as usize];
            st.set(State::LISTED, true);
            if l.extends_by_ownership && scope.extends_by_ownership && !st.has(State::SEED) {
                st.set(State::SEED, true);
                seeds.push(v);
            }
        }
        seeds.sort_unstable();
        let mut journal = NodeMap::default();
        a.derive(graph, &seeds, &[], &mut journal, true);
        if scope.rule.control == ControlEffect::FlagForReview {
            let mut flagged = Vec::new();
            for (v, st) in a.state.iter().enumerate() {
                if st.has(State::POSSIBLE) {
                    for &l in graph.out_links(v as Node) {
                        let link = graph.link(l);
                        if link.controls(scope.as_of, Bound::Possible) {
                            flagged.push(link.asset);
                        }
                    }
                }
            }
            for v in flagged {
                a.state[v as usize].set(State::FLAGGED, true);
            }
        }
        a
    }

    /// The scope the assessment answers for.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The jurisdiction.
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.scope.jurisdiction
    }

    /// The day.
    pub fn as_of(&self) -> NaiveDate {
        self.scope.as_of
    }

    /// The rule applied.
    pub fn rule(&self) -> &Rule {
        &self.scope.rule
    }

    /// The status of one entity. An id the graph does not know is listed or clear.
    pub fn status(&self, graph: &OwnershipGraph, listings: &ListedSet, id: &str) -> Status {
        match graph.node(id) {
            Some(v) if (v as usize) < self.state.len() => self.status_of(v),
            _ if self.scope.listings_of(listings, id).next().is_some() => Status::Listed,
            _ => Status::Clear,
        }
    }

    /// The status of every entity of the graph, in the graph's order.
    pub fn statuses<'g>(
        &'g self,
        graph: &'g OwnershipGraph,
    ) -> impl Iterator<Item = (&'g str, Status)> + 'g {
        (0..self.state.len().min(graph.len()) as Node)
            .map(move |v| (graph.id_of(v), self.status_of(v)))
    }

    /// How many entities have each status: `[listed, owned, controlled, review, clear]`.
    pub fn counts(&self, graph: &OwnershipGraph) -> [usize; 5] {
        let mut c = [0usize; 5];
        for (_, s) in self.statuses(graph) {
            c[s as usize] += 1;
        }
        c
    }

    /// The proof for one entity: paths, percentages, aggregation, listed owners, rule, and a
    /// sentence. Uses the assessment to re-derive only the entity's relevant upstream.
    pub fn proof(
        &self,
        graph: &OwnershipGraph,
        listings: &ListedSet,
        id: &str,
    ) -> Result<Proof, OwnershipError> {
        let state = |w: Node| self.get(w);
        let order = |w: Node, b: Bound| {
            self.order[bound_index(b)]
                .get(w as usize)
                .copied()
                .filter(|&o| o != NOT_JOINED)
        };
        let ordered = self.scope.rule.aggregation == Aggregation::Aggregated;
        let known = Known {
            state: &state,
            order: ordered.then_some(&order as &dyn Fn(Node, Bound) -> Option<u32>),
        };
        build_proof(graph, listings, &self.scope, id, Some(known))
    }

    /// Catch up with changes already applied to `graph` and `listings` (the [`Change`]s their
    /// edits returned), recomputing only what they can affect.
    ///
    /// Additions under an aggregated test continue the fixed point. Removals under an
    /// aggregated test drop, in join order, only the entities that lost their support (the
    /// stored join order makes that exact: an entity that still meets the test with members
    /// that joined before it stays, and so does what it supports). Under an individual test
    /// the region is each change's downstream closure among the entities that were possibly
    /// covered; it is cleared and re-derived, which is exact because nothing outside the region
    /// depended on it.
    pub fn update(
        &mut self,
        graph: &OwnershipGraph,
        listings: &ListedSet,
        changes: &[Change],
    ) -> UpdateReport {
        if self.next_order > u32::MAX / 2 {
            // Join numbers run out after billions of updates: start afresh.
            return self.recompute(graph, listings);
        }
        let mut journal: NodeMap<State> = NodeMap::default();
        let mut origins = Vec::new();
        if self.scope.rule.aggregation == Aggregation::Aggregated {
            for o in &mut self.order {
                o.resize(graph.len(), NOT_JOINED);
            }
        }
        if self.state.len() < graph.len() {
            // Entities new to the graph may have been listed before they had relations.
            let old = self.state.len();
            self.state.resize(graph.len(), State::default());
            for v in old as Node..graph.len() as Node {
                let (listed, extends) = self.scope.listed(listings, graph.id_of(v));
                if listed {
                    let mut st = self.get(v);
                    st.set(State::LISTED, true);
                    st.set(State::SEED, extends);
                    self.put(v, st, &mut journal);
                    origins.push(v);
                }
            }
        }
        for c in changes {
            match c {
                Change::Listing { entity } | Change::ListingAdded { entity } => {
                    let Some(v) = graph.node(entity) else {
                        continue;
                    };
                    let (listed, extends) = self.scope.listed(listings, entity);
                    let mut st = self.get(v);
                    st.set(State::LISTED, listed);
                    st.set(State::SEED, extends);
                    self.put(v, st, &mut journal);
                    origins.push(v);
                }
                Change::Holding { asset, .. } | Change::HoldingAdded { asset, .. } => {
                    if let Some(a) = graph.node(asset) {
                        origins.push(a);
                    }
                }
            }
        }
        // The region: downstream of the origins through entities that were possibly covered.
        let mut region: Vec<Node> = Vec::new();
        let mut in_region = NodeSet::default();
        for &o in &origins {
            if in_region.insert(o) {
                region.push(o);
            }
        }
        // Under an aggregated test, additions only add coverage: the fixed point simply goes
        // on from the origins, with nothing to delete; removals drop only what lost its
        // support. Under an individual test the region is the origins' downstream closure
        // among possibly covered entities, cleared and re-derived.
        let monotone = self.scope.rule.aggregation == Aggregation::Aggregated
            && changes.iter().all(Change::is_addition);
        let aggregated = self.scope.rule.aggregation == Aggregation::Aggregated;
        let mut rerun: Vec<Node> = Vec::new();
        if aggregated && !monotone {
            // Removals: walk down from the origins in the order entities joined, and drop
            // only those that lost their support (no longer meet the test with members that
            // joined before them); whatever keeps its support keeps its place, and so does
            // everything it supports. What was dropped may join again below.
            let rule = self.scope.rule.clone();
            let ctx = Ctx {
                graph,
                rule: &rule,
                day: self.scope.as_of,
            };
            for bound in [Bound::Definite, Bound::Possible] {
                let (bit, oi) = match bound {
                    Bound::Definite => (State::DEFINITE, 0),
                    Bound::Possible => (State::POSSIBLE, 1),
                };
                let mut heap = BinaryHeap::new();
                for &o in &origins {
                    if let Some(&ord) = self.order[oi]
                        .get(o as usize)
                        .filter(|&&ord| ord != NOT_JOINED)
                    {
                        heap.push(Reverse((ord, o)));
                    }
                }
                while let Some(Reverse((ord, x))) = heap.pop() {
                    if self.order[oi].get(x as usize) != Some(&ord) {
                        continue;
                    }
                    let supported = self.get(x).has(State::SEED) || {
                        let order = &self.order[oi];
                        let earlier = |w: Node| order.get(w as usize).is_some_and(|&ow| ow < ord);
                        ctx.reason(x, bound, &earlier) != Reason::None
                    };
                    if supported {
                        continue;
                    }
                    self.order[oi][x as usize] = NOT_JOINED;
                    let mut st = self.get(x);
                    st.set(bit, false);
                    if bound == Bound::Definite {
                        st.set_reason(Reason::None);
                    }
                    self.put(x, st, &mut journal);
                    if in_region.insert(x) {
                        region.push(x);
                    }
                    for &l in graph.out_links(x) {
                        let y = graph.link(l).asset;
                        if let Some(&oy) = self.order[oi]
                            .get(y as usize)
                            .filter(|&&oy| oy != NOT_JOINED && oy > ord)
                        {
                            heap.push(Reverse((oy, y)));
                        }
                    }
                }
            }
        } else if !monotone {
            let mut i = 0;
            while i < region.len() {
                let u = region[i];
                i += 1;
                for &l in graph.out_links(u) {
                    let w = graph.link(l).asset;
                    if self.get(w).has(State::POSSIBLE) && in_region.insert(w) {
                        region.push(w);
                    }
                }
            }
            if region.len() > 4_096 && region.len() * 3 > self.possible_count {
                // The change reaches a large part of what is covered (a conglomerate was listed or
                // delisted): computing afresh costs less than deleting and re-deriving. The
                // listing bits written so far are put back so that the report compares with the
                // state before the update.
                for (v, st) in journal {
                    if let Some(slot) = self.state.get_mut(v as usize) {
                        *slot = st;
                    }
                }
                let mut report = self.recompute(graph, listings);
                report.region = region.len();
                return report;
            }
            // Under an individual test, the listed persons whose groups reach the region must be
            // re-run whole: find them upstream, through possibly covered owners, before clearing.
            if self.scope.rule.aggregation == Aggregation::Individual {
                let mut seen = in_region.clone();
                let mut stack = region.clone();
                while let Some(v) = stack.pop() {
                    if self.get(v).has(State::SEED) {
                        rerun.push(v);
                    }
                    for &l in graph.in_links(v) {
                        let w = graph.link(l).owner;
                        if self.get(w).has(State::POSSIBLE) && seen.insert(w) {
                            stack.push(w);
                        }
                    }
                }
                rerun.sort_unstable();
            }
            for &v in &region {
                for o in &mut self.order {
                    if let Some(slot) = o.get_mut(v as usize) {
                        *slot = NOT_JOINED;
                    }
                }
                let mut st = self.get(v);
                st.set(State::DEFINITE, false);
                st.set(State::POSSIBLE, false);
                st.set_reason(Reason::None);
                self.put(v, st, &mut journal);
            }
        }
        let seeds: Vec<Node> = match self.scope.rule.aggregation {
            Aggregation::Aggregated => region
                .iter()
                .copied()
                .filter(|&v| self.get(v).has(State::SEED))
                .collect(),
            Aggregation::Individual => rerun,
        };
        // Array state pays off once the region is a sizeable part of the registry.
        let dense = region.len() > graph.len() / 256;
        self.derive(graph, &seeds, &region, &mut journal, dense);
        if self.scope.rule.control == ControlEffect::FlagForReview {
            // A control flag reads the entity's controllers: it may move for the region (its
            // relations changed) and for the direct assets of anything whose state moved.
            let mut targets: NodeSet = region.iter().copied().collect();
            for &v in journal.keys() {
                targets.insert(v);
                for &l in graph.out_links(v) {
                    targets.insert(graph.link(l).asset);
                }
            }
            let mut targets: Vec<Node> = targets.into_iter().collect();
            targets.sort_unstable();
            for v in targets {
                let flag = control_flag(graph, &self.scope, v, &|w| self.get(w));
                let mut st = self.get(v);
                st.set(State::FLAGGED, flag);
                self.put(v, st, &mut journal);
            }
        }

        // Statuses are read from the stored states alone, so the journal's old states give
        // every status before the update.
        let candidates: Vec<Node> = journal.keys().copied().collect();
        let mut changed = Vec::new();
        let mut sorted = candidates;
        sorted.sort_unstable();
        for v in sorted {
            let before = stored_status(journal.get(&v).copied().unwrap_or_default());
            let after = stored_status(self.get(v));
            if before != after {
                changed.push(StatusChange {
                    entity: graph.id_of(v).to_string(),
                    before,
                    after,
                });
            }
        }
        UpdateReport {
            region: region.len(),
            touched: journal.len(),
            changed,
        }
    }

    /// Compute afresh and report every status that moved.
    fn recompute(&mut self, graph: &OwnershipGraph, listings: &ListedSet) -> UpdateReport {
        let fresh = Assessment::compute(graph, listings, &self.scope);
        let changed: Vec<StatusChange> = (0..graph.len() as Node)
            .filter_map(|v| {
                let (before, after) = (stored_status(self.get(v)), stored_status(fresh.get(v)));
                (before != after).then(|| StatusChange {
                    entity: graph.id_of(v).to_string(),
                    before,
                    after,
                })
            })
            .collect();
        *self = fresh;
        UpdateReport {
            region: graph.len(),
            touched: graph.len(),
            changed,
        }
    }

    fn stamp(&mut self, v: Node, b: Bound) {
        if let Some(slot) = self.order[bound_index(b)].get_mut(v as usize) {
            *slot = self.next_order;
            self.next_order += 1;
        }
    }

    /// Check the stored derivation orders: every member's threshold is met by members that
    /// joined before it (or it is listed).
    #[cfg(test)]
    pub(crate) fn orders_are_well_founded(&self, graph: &OwnershipGraph) -> bool {
        if self.scope.rule.aggregation != Aggregation::Aggregated {
            return true;
        }
        let ctx = Ctx {
            graph,
            rule: &self.scope.rule,
            day: self.scope.as_of,
        };
        [Bound::Definite, Bound::Possible].into_iter().all(|b| {
            let order = &self.order[bound_index(b)];
            (0..graph.len() as Node).all(|v| {
                let ov = order[v as usize];
                let bit = if b == Bound::Definite {
                    State::DEFINITE
                } else {
                    State::POSSIBLE
                };
                if (ov == NOT_JOINED) == self.get(v).has(bit) {
                    return false;
                }
                ov == NOT_JOINED
                    || self.get(v).has(State::SEED)
                    || ctx.reason(v, b, &|w| order[w as usize] < ov) != Reason::None
            })
        })
    }

    fn get(&self, v: Node) -> State {
        self.state.get(v as usize).copied().unwrap_or_default()
    }

    fn put(&mut self, v: Node, st: State, journal: &mut NodeMap<State>) {
        let Some(slot) = self.state.get_mut(v as usize) else {
            return;
        };
        if *slot != st {
            match (slot.has(State::POSSIBLE), st.has(State::POSSIBLE)) {
                (false, true) => self.possible_count += 1,
                (true, false) => self.possible_count = self.possible_count.saturating_sub(1),
                _ => {}
            }
            journal.entry(v).or_insert(*slot);
            *slot = st;
        }
    }

    /// Run the fixed points from `seeds`, testing `evaluate` first, and record who joined and
    /// why.
    fn derive(
        &mut self,
        graph: &OwnershipGraph,
        seeds: &[Node],
        evaluate: &[Node],
        journal: &mut NodeMap<State>,
        dense: bool,
    ) {
        let scope = self.scope.clone();
        let mut scratch = dense.then(|| Dense::new(graph.len()));
        let mut run = |bound: Bound,
                       pre: &dyn Fn(Node) -> bool,
                       seeds: &[Node],
                       evaluate: &[Node]| match &mut scratch {
            Some(d) => ctx_closure(graph, &scope, d, bound, pre, seeds, evaluate),
            None => ctx_closure(
                graph,
                &scope,
                &mut Sparse::default(),
                bound,
                pre,
                seeds,
                evaluate,
            ),
        };
        let ctx = Ctx {
            graph,
            rule: &scope.rule,
            day: scope.as_of,
        };
        match scope.rule.aggregation {
            Aggregation::Aggregated => {
                let joined_d = {
                    let state = &self.state;
                    let pre = |w: Node| {
                        state
                            .get(w as usize)
                            .is_some_and(|s| s.has(State::DEFINITE))
                    };
                    run(Bound::Definite, &pre, seeds, evaluate)
                };
                for &v in &joined_d {
                    let mut st = self.get(v);
                    st.set(State::DEFINITE, true);
                    self.put(v, st, journal);
                    self.stamp(v, Bound::Definite);
                }
                let joined_p = {
                    let state = &self.state;
                    let pre = |w: Node| {
                        state
                            .get(w as usize)
                            .is_some_and(|s| s.has(State::POSSIBLE))
                    };
                    run(Bound::Possible, &pre, seeds, evaluate)
                };
                for &v in &joined_p {
                    let mut st = self.get(v);
                    st.set(State::POSSIBLE, true);
                    self.put(v, st, journal);
                    self.stamp(v, Bound::Possible);
                }
                // Reasons, from the final membership, for whatever joined or was re-derived and
                // for the direct assets of what joined (their owners' shares grew).
                let mut targets: NodeSet = joined_d.iter().copied().collect();
                // Entities re-derived, and the direct assets of those dropped, whose owners
                // changed.
                for &v in evaluate {
                    targets.insert(v);
                    for &l in graph.out_links(v) {
                        targets.insert(graph.link(l).asset);
                    }
                }
                for &v in &joined_d {
                    for &l in graph.out_links(v) {
                        targets.insert(graph.link(l).asset);
                    }
                }
                let mut targets: Vec<Node> = targets.into_iter().collect();
                targets.sort_unstable();
                for v in targets {
                    let st = self.get(v);
                    let reason = if st.has(State::DEFINITE) && !st.has(State::SEED) {
                        let state = &self.state;
                        let member = |w: Node| {
                            state
                                .get(w as usize)
                                .is_some_and(|s| s.has(State::DEFINITE))
                        };
                        ctx.reason(v, Bound::Definite, &member)
                    } else {
                        Reason::None
                    };
                    let mut st = st;
                    st.set_reason(reason);
                    self.put(v, st, journal);
                }
            }
            Aggregation::Individual => {
                for &s in seeds {
                    let group = run(Bound::Definite, &|_| false, &[s], &[]);
                    let members: NodeSet = group.iter().copied().collect();
                    for &v in &group {
                        let mut st = self.get(v);
                        st.set(State::DEFINITE, true);
                        if !st.has(State::SEED) {
                            let r = ctx.reason(v, Bound::Definite, &|w| members.contains(&w));
                            if r > st.reason() {
                                st.set_reason(r);
                            }
                        }
                        self.put(v, st, journal);
                    }
                    for v in run(Bound::Possible, &|_| false, &[s], &[]) {
                        let mut st = self.get(v);
                        st.set(State::POSSIBLE, true);
                        self.put(v, st, journal);
                    }
                }
            }
        }
    }

    /// The packed states, for tests that compare an update with a fresh computation.
    #[cfg(test)]
    pub(crate) fn raw_states(&self, len: usize) -> Vec<u8> {
        (0..len as Node).map(|v| self.get(v).0).collect()
    }

    fn status_of(&self, v: Node) -> Status {
        stored_status(self.get(v))
    }

    /// Whether two assessments give every entity the same status (for tests and for checking
    /// an incremental update against a fresh computation).
    pub fn same_statuses(&self, other: &Assessment, graph: &OwnershipGraph) -> bool {
        self.statuses(graph)
            .zip(other.statuses(graph))
            .all(|((_, a), (_, b))| a == b)
            && self.state.len().min(graph.len()) == other.state.len().min(graph.len())
    }
}

/// The status of an entity from its stored state, flag included.
fn stored_status(st: State) -> Status {
    if st.has(State::LISTED) {
        Status::Listed
    } else if st.has(State::DEFINITE) {
        match st.reason() {
            Reason::Controlled => Status::Controlled,
            _ => Status::Owned,
        }
    } else if st.has(State::FLAGGED) {
        Status::Controlled
    } else if st.has(State::POSSIBLE) {
        Status::Review
    } else {
        Status::Clear
    }
}

/// Under a rule where control only flags: whether a possibly covered person controls `v`.
pub(crate) fn control_flag(
    graph: &OwnershipGraph,
    scope: &Scope,
    v: Node,
    state: &dyn Fn(Node) -> State,
) -> bool {
    scope.rule.control == ControlEffect::FlagForReview
        && graph.in_links(v).iter().any(|&l| {
            let link = graph.link(l);
            !link.controls.is_empty()
                && state(link.owner).has(State::POSSIBLE)
                && link.controls(scope.as_of, Bound::Possible)
        })
}

/// The status of `v` given a view of the states, the control flag computed from the graph.
pub(crate) fn status_from(
    graph: &OwnershipGraph,
    scope: &Scope,
    v: Node,
    state: &dyn Fn(Node) -> State,
) -> Status {
    let mut st = state(v);
    st.set(State::FLAGGED, control_flag(graph, scope, v, state));
    stored_status(st)
}

/// One run of the fixed point for a scope, with the given working state.
fn ctx_closure<S: Scratch>(
    graph: &OwnershipGraph,
    scope: &Scope,
    scratch: &mut S,
    bound: Bound,
    pre: &dyn Fn(Node) -> bool,
    seeds: &[Node],
    evaluate: &[Node],
) -> Vec<Node> {
    let ctx = Ctx {
        graph,
        rule: &scope.rule,
        day: scope.as_of,
    };
    ctx.closure_with(scratch, bound, pre, seeds, evaluate, None)
}
