//! Proofs: why an entity has its status, in data and in one sentence.
//!
//! A proof re-derives the entity's status from its upstream alone (the owners that are or may
//! be covered, their owners, and so on up to the listed persons), records the order in which
//! entities joined, and reads the derivation back: each step is one entity with the covered
//! owners' shares and their total against the threshold; each path is a chain of holdings from
//! a listed person down to the entity. Because a step only cites owners that joined before it,
//! a proof never runs in circles even when the holdings do.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::OwnershipError;
use crate::assess::{Effect, State, Status, status_from};
use crate::engine::{Ctx, NodeMap, NodeSet, Reason};
use crate::graph::{Bound, Node, OwnershipGraph};
use crate::listing::{ListedSet, Listing, Scope};
use crate::period::{Activity, Period};
use crate::relation::{AssociationKind, ControlKind};
use crate::rule::{Aggregation, Comparison, ControlEffect, Jurisdiction, Rule};
use crate::share::{Percent, Share, Sum};

/// The most paths a proof lists; the steps still show the whole derivation.
pub const MAX_PATHS: usize = 16;
/// The most steps a proof lists (a chain of companies deeper than this is cut, and said so).
pub const MAX_STEPS: usize = 1_000;

/// An entity as a proof names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Party {
    /// The entity id.
    pub id: String,
    /// The display name, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Party {
    /// The name, or the id when there is no name.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    fn of(graph: &OwnershipGraph, n: Node) -> Party {
        Party {
            id: graph.id_of(n).to_string(),
            name: graph.name_of(n).map(str::to_string),
        }
    }
}

/// One holding record behind a share, as the registry wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRef {
    /// The record id (FtM `Ownership` id, CSV line), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The source, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The share as recorded.
    pub share: Share,
    /// The period as recorded.
    pub period: Period,
    /// Whether the record is in force on the proof's day.
    pub activity: Activity,
}

/// How an owner's share counts in a step's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// In the lower total: the owner is covered and certainly holds at least the lower bound.
    Definitely,
    /// Only in the upper total: the owner may be covered, or the holding may be in force.
    Possibly,
    /// Not counted: the owner's listing does not extend by ownership, or the holding is not in
    /// force on the day.
    No,
}

/// A covered owner's share in one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerShare {
    /// The owner.
    pub owner: Party,
    /// The owner's own status in the proof's scope.
    pub owner_status: Status,
    /// The share held on the day: the lower end counts towards a block, the upper towards a
    /// review.
    pub share: Share,
    /// How it counts.
    pub counted: Counted,
    /// The records behind it.
    pub records: Vec<RecordRef>,
}

/// Control over an entity by a covered person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlEvidence {
    /// The controller.
    pub controller: Party,
    /// The controller's own status.
    pub controller_status: Status,
    /// How control is exercised.
    pub kind: ControlKind,
    /// The share of votes, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<Share>,
    /// Whether the relation is in force on the day.
    pub activity: Activity,
    /// The record id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Whether a total meets the rule's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Meets {
    /// The lower total meets it: a definite block.
    Definitely,
    /// Only the upper total meets it: a review.
    Possibly,
    /// Neither.
    No,
}

/// One entity of the derivation: who covered holds what of it, the total, the test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The entity.
    pub entity: Party,
    /// Its status.
    pub status: Status,
    /// The covered (or possibly covered, or listed) owners and their shares.
    pub owners: Vec<OwnerShare>,
    /// The aggregate: `min` is the sum of the definite shares, `max` the sum of the possible.
    pub total: Share,
    /// Whether the aggregate meets the threshold.
    pub meets: Meets,
    /// Control by covered persons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control: Vec<ControlEvidence>,
}

/// One link of a chain: `owner` holds `share` of (or controls) `asset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    /// The owner or controller.
    pub owner: Party,
    /// The entity held.
    pub asset: Party,
    /// The share held on the day.
    pub share: Share,
    /// The kind of control, when the hop is (also) control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlKind>,
}

/// A chain of holdings from a listed person down to the entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Path {
    /// The hops, the listed person's first.
    pub hops: Vec<Hop>,
}

impl Path {
    /// `NAFTAN OAO —50 %→ X —50 %→ Y`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (i, h) in self.hops.iter().enumerate() {
            if i == 0 {
                out.push_str(h.owner.label());
            }
            let zero = h.share.stated && h.share.max == Percent::ZERO;
            match h.control {
                Some(k) if zero => {
                    out.push_str(&format!(
                        " —controls ({})→ {}",
                        kind_word(k),
                        h.asset.label()
                    ));
                }
                Some(k) => out.push_str(&format!(
                    " —{}, controls ({})→ {}",
                    h.share,
                    kind_word(k),
                    h.asset.label()
                )),
                None => out.push_str(&format!(" —{}→ {}", h.share, h.asset.label())),
            }
        }
        out
    }
}

/// A listed person the derivation starts from, with its listings in scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedOwner {
    /// The listed person.
    pub party: Party,
    /// Its listings that count.
    pub listings: Vec<Listing>,
}

/// An association with a listed person: context for the analyst, never a ground for blocking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedListed {
    /// The listed person.
    pub party: Party,
    /// The association.
    pub kind: AssociationKind,
    /// The role or relationship as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// Why an entity has its status in one scope: serialisable for the API and for decisions that
/// must be replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// The entity.
    pub entity: Party,
    /// The day.
    pub as_of: NaiveDate,
    /// The jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The programmes whose listings counted (`None`: all of the jurisdiction's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programmes: Option<BTreeSet<String>>,
    /// Whether the measure extends by ownership.
    pub extends_by_ownership: bool,
    /// The rule applied.
    pub rule: Rule,
    /// The rule's test in words.
    pub test: String,
    /// The status.
    pub status: Status,
    /// What it means for a dealing.
    pub effect: Effect,
    /// Whether covered (or possibly covered) persons control the entity, whatever its status:
    /// an owned entity can be controlled too, and an analyst wants to know.
    pub controlled: bool,
    /// The entity's own listings in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<Listing>,
    /// The derivation in order, the entity's own step last: for each entity, every covered
    /// owner and the total; the intermediate entities are those of a sufficient support (the
    /// largest shares that reach the threshold), followed up to the listed persons.
    pub steps: Vec<Step>,
    /// Chains from listed persons to the entity (at most [`MAX_PATHS`]).
    pub paths: Vec<Path>,
    /// Whether more paths exist than are listed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paths_truncated: bool,
    /// The listed persons the derivation starts from, or who hold shares below the threshold.
    pub listed_owners: Vec<ListedOwner>,
    /// Associations with listed persons (context only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_listed: Vec<RelatedListed>,
    /// How uncertain data was read, and caveats of the rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The proof in one sentence.
    pub sentence: String,
}

/// The proof for one entity without a precomputed assessment: re-derives from the entity's
/// whole upstream (every owner, their owners …). Cheap for a registry's typical entity; use
/// [`crate::Assessment::proof`] when an assessment is at hand, which prunes the upstream to
/// covered owners.
pub fn explain(
    graph: &OwnershipGraph,
    listings: &ListedSet,
    scope: &Scope,
    id: &str,
) -> Result<Proof, OwnershipError> {
    build_proof(graph, listings, scope, id, None)
}

/// What an assessment already knows: every entity's state and, under an aggregated test, the
/// order in which entities joined (which makes a proof a walk up the stored derivation).
#[derive(Clone, Copy)]
pub(crate) struct Known<'a> {
    pub state: &'a dyn Fn(Node) -> State,
    pub order: Option<&'a dyn Fn(Node, Bound) -> Option<u32>>,
}

/// The local derivation of a proof: who joined, when, per listed person under an individual
/// test.
struct Group {
    definite: NodeMap<u32>,
    possible: NodeMap<u32>,
}

impl Group {
    fn run(ctx: &Ctx<'_>, seeds: &[Node], allow: &dyn Fn(Node) -> bool) -> Group {
        let order = |v: Vec<Node>| {
            v.into_iter()
                .enumerate()
                .map(|(i, n)| (n, i as u32))
                .collect()
        };
        Group {
            definite: order(ctx.closure(Bound::Definite, &|_| false, seeds, &[], Some(allow))),
            possible: order(ctx.closure(Bound::Possible, &|_| false, seeds, &[], Some(allow))),
        }
    }
}

pub(crate) fn build_proof(
    graph: &OwnershipGraph,
    listings: &ListedSet,
    scope: &Scope,
    id: &str,
    known: Option<Known<'_>>,
) -> Result<Proof, OwnershipError> {
    let rule = &scope.rule;
    let own_listings: Vec<Listing> = scope.listings_of(listings, id).cloned().collect();
    let mut proof = Proof {
        entity: Party {
            id: id.to_string(),
            name: graph.name(id).map(str::to_string),
        },
        as_of: scope.as_of,
        jurisdiction: scope.jurisdiction,
        programmes: scope.programmes.clone(),
        extends_by_ownership: scope.extends_by_ownership,
        rule: rule.clone(),
        test: rule.test_text(),
        status: Status::Clear,
        effect: Effect::Clear,
        controlled: false,
        listings: own_listings,
        steps: Vec::new(),
        paths: Vec::new(),
        paths_truncated: false,
        listed_owners: Vec::new(),
        related_listed: Vec::new(),
        notes: Vec::new(),
        sentence: String::new(),
    };
    let Some(v) = graph.node(id) else {
        if id.trim().is_empty() {
            return Err(OwnershipError::UnknownEntity(id.to_string()));
        }
        proof.status = if proof.listings.is_empty() {
            Status::Clear
        } else {
            Status::Listed
        };
        proof.effect = proof.status.effect(rule);
        proof.sentence = sentence(&proof);
        return Ok(proof);
    };
    let ctx = Ctx {
        graph,
        rule,
        day: scope.as_of,
    };
    // An assessment under an aggregated test stores every entity's state and the order in
    // which it joined: the proof reads them. Otherwise the upstream is re-derived.
    let stored = known.filter(|k| k.order.is_some() && rule.aggregation == Aggregation::Aggregated);
    let mut states: NodeMap<State> = NodeMap::default();
    let mut groups: Vec<(Option<Node>, Group)> = Vec::new();
    if stored.is_none() {
        // The upstream region: owners and controllers that are (or may be) covered, or listed
        // (a listing that does not extend by ownership is shown as not counted), transitively.
        let covered = known.map(|k| k.state);
        let mut region = NodeSet::default();
        region.insert(v);
        let mut stack = vec![v];
        while let Some(x) = stack.pop() {
            for &l in graph.in_links(x) {
                let w = graph.link(l).owner;
                let relevant = covered.is_none_or(|f| f(w).has(State::POSSIBLE))
                    || scope.listings_of(listings, graph.id_of(w)).next().is_some();
                if relevant && region.insert(w) {
                    stack.push(w);
                }
            }
        }
        // Listed persons in the region, and which of them extend by ownership.
        let mut listed = NodeSet::default();
        let mut seeds = Vec::new();
        for &x in &region {
            let (is_listed, extends) = scope.listed(listings, graph.id_of(x));
            if is_listed {
                listed.insert(x);
            }
            if extends {
                seeds.push(x);
            }
        }
        seeds.sort_unstable();
        let allow = |x: Node| region.contains(&x);
        groups = match rule.aggregation {
            Aggregation::Aggregated => vec![(None, Group::run(&ctx, &seeds, &allow))],
            Aggregation::Individual => seeds
                .iter()
                .map(|&s| (Some(s), Group::run(&ctx, &[s], &allow)))
                .collect(),
        };
        // Local states, exactly as an assessment would hold them, for the region.
        for &x in &region {
            let mut st = State::default();
            st.set(State::LISTED, listed.contains(&x));
            st.set(State::SEED, seeds.binary_search(&x).is_ok());
            let mut reason = Reason::None;
            for (_, g) in &groups {
                if g.definite.contains_key(&x) {
                    st.set(State::DEFINITE, true);
                    if !st.has(State::SEED) {
                        reason = reason
                            .max(ctx.reason(x, Bound::Definite, &|w| g.definite.contains_key(&w)));
                    }
                }
                if g.possible.contains_key(&x) {
                    st.set(State::POSSIBLE, true);
                }
            }
            st.set_reason(reason);
            states.insert(x, st);
        }
    }
    let state = |x: Node| match stored {
        Some(k) => (k.state)(x),
        None => states.get(&x).copied().unwrap_or_default(),
    };
    let is_listed = |x: Node| state(x).has(State::LISTED);
    let status_of = |x: Node| status_from(graph, scope, x, &state);
    proof.status = status_from(graph, scope, v, &state);
    proof.effect = proof.status.effect(rule);

    // The group that best explains the entity: one where it is owned, else controlled, else
    // possibly covered; under an aggregated test there is only one.
    let best = groups
        .iter()
        .filter(|(_, g)| g.definite.contains_key(&v))
        .max_by_key(|(s, g)| {
            (
                ctx.reason(v, Bound::Definite, &|w| g.definite.contains_key(&w)),
                std::cmp::Reverse(*s),
            )
        })
        .or_else(|| groups.iter().find(|(_, g)| g.possible.contains_key(&v)))
        .or_else(|| groups.first());
    // Under an individual test a step counts only the chosen listed person's group.
    let group = best
        .map(|(_, g)| g)
        .filter(|_| rule.aggregation == Aggregation::Individual);
    let in_d = |x: Node| match group {
        Some(g) => g.definite.contains_key(&x),
        None => state(x).has(State::DEFINITE),
    };
    let in_p = |x: Node| match group {
        Some(g) => g.possible.contains_key(&x),
        None => state(x).has(State::POSSIBLE),
    };
    proof.controlled = graph.in_links(v).iter().any(|&l| {
        let link = graph.link(l);
        in_p(link.owner) && link.controls(scope.as_of, Bound::Possible)
    });
    // When each entity joined the derivation that explains the entity.
    let order_of = |x: Node, b: Bound| -> Option<u32> {
        match stored.and_then(|k| k.order) {
            Some(order) => order(x, b),
            None => best.and_then(|(_, g)| match b {
                Bound::Definite => g.definite.get(&x).copied(),
                Bound::Possible => g.possible.get(&x).copied(),
            }),
        }
    };
    let bound = if order_of(v, Bound::Definite).is_some() {
        Some(Bound::Definite)
    } else if order_of(v, Bound::Possible).is_some() {
        Some(Bound::Possible)
    } else {
        None
    };

    // The derivation DAG: from the entity up through owners that joined before.
    let contributors = |x: Node| -> Vec<(u32, Node)> {
        let Some(b) = bound else { return Vec::new() };
        let Some(ox) = order_of(x, b) else {
            return Vec::new();
        };
        let mut c: Vec<(u32, Node)> = graph
            .in_links(x)
            .iter()
            .filter_map(|&l| {
                let link = graph.link(l);
                let w = link.owner;
                let ow = order_of(w, b)?;
                let counts = !link.amount(scope.as_of, b).is_zero()
                    || (ctx.control_covers() && link.controls(scope.as_of, b));
                (ow < ox && counts).then_some((l, w))
            })
            .collect();
        // A sufficient support, not every covered owner: control first where it covers, then
        // the largest shares until the threshold is met. The step still lists every owner.
        let control = |l: u32| ctx.control_covers() && graph.link(l).controls(scope.as_of, b);
        c.sort_by_key(|&(l, w)| {
            (
                !control(l),
                std::cmp::Reverse(graph.link(l).amount(scope.as_of, b).units),
                graph.id_of(w),
            )
        });
        let mut sum = Sum::default();
        let mut support = Vec::new();
        for (l, w) in c {
            support.push((l, w));
            if control(l) {
                break;
            }
            sum.add(graph.link(l).amount(scope.as_of, b));
            if ctx.meets_share(sum, b) {
                break;
            }
        }
        support
    };
    let is_seed = |x: Node| state(x).has(State::SEED);
    let mut dag: Vec<Node> = vec![v];
    let mut in_dag = NodeSet::default();
    in_dag.insert(v);
    let mut i = 0;
    while i < dag.len() && dag.len() < MAX_STEPS {
        let x = dag[i];
        i += 1;
        if is_seed(x) && x != v {
            continue;
        }
        for (_, w) in contributors(x) {
            if in_dag.insert(w) {
                dag.push(w);
            }
        }
    }
    let mut step_nodes: Vec<Node> = dag
        .iter()
        .copied()
        .filter(|&x| x == v || !is_seed(x))
        .collect();
    if let Some(b) = bound {
        step_nodes.sort_by_key(|&x| (x == v, order_of(x, b).unwrap_or(u32::MAX)));
    }
    if proof.status != Status::Listed || step_nodes.len() > 1 {
        for &x in &step_nodes {
            if x == v && proof.status == Status::Listed {
                continue;
            }
            proof
                .steps
                .push(step(graph, &ctx, x, &is_listed, &status_of, &in_d, &in_p));
        }
    }

    // Paths: every chain of contributors from a listed person down to the entity.
    if bound.is_some() && proof.status != Status::Listed {
        let mut paths = Vec::new();
        let mut truncated = false;
        let mut chain: Vec<(u32, Node)> = Vec::new();
        walk_paths(
            v,
            &contributors,
            &is_seed,
            &mut chain,
            &mut paths,
            &mut truncated,
            0,
        );
        proof.paths = paths
            .into_iter()
            .map(|links: Vec<u32>| Path {
                hops: links
                    .into_iter()
                    .rev()
                    .map(|l| {
                        let link = graph.link(l);
                        Hop {
                            owner: Party::of(graph, link.owner),
                            asset: Party::of(graph, link.asset),
                            share: share_of(graph, l, scope.as_of),
                            control: link
                                .controls
                                .iter()
                                .find(|c| c.period.activity(scope.as_of) != Activity::Inactive)
                                .map(|c| c.kind),
                        }
                    })
                    .collect(),
            })
            .collect();
        proof.paths_truncated = truncated;
    }

    // Listed persons the derivation starts from, and listed owners shown in the steps.
    let mut listed_parties: BTreeSet<Node> = dag
        .iter()
        .copied()
        .filter(|&x| x != v && is_listed(x))
        .collect();
    for s in &proof.steps {
        for o in &s.owners {
            if o.owner_status == Status::Listed
                && let Some(n) = graph.node(&o.owner.id)
            {
                listed_parties.insert(n);
            }
        }
        for c in &s.control {
            if c.controller_status == Status::Listed
                && let Some(n) = graph.node(&c.controller.id)
            {
                listed_parties.insert(n);
            }
        }
    }
    let mut listed_owners: Vec<ListedOwner> = listed_parties
        .into_iter()
        .map(|n| ListedOwner {
            party: Party::of(graph, n),
            listings: scope
                .listings_of(listings, graph.id_of(n))
                .cloned()
                .collect(),
        })
        .collect();
    listed_owners.sort_by(|a, b| a.party.id.cmp(&b.party.id));
    proof.listed_owners = listed_owners;

    // Associations with listed persons.
    for &a in graph.association_ids(v) {
        let Some(assoc) = graph.association(a) else {
            continue;
        };
        let other = if assoc.from == id {
            &assoc.to
        } else {
            &assoc.from
        };
        if assoc.period.activity(scope.as_of) != Activity::Inactive
            && scope.listings_of(listings, other).next().is_some()
        {
            proof.related_listed.push(RelatedListed {
                party: Party {
                    id: other.clone(),
                    name: graph.name(other).map(str::to_string),
                },
                kind: assoc.kind,
                role: assoc.role.clone(),
            });
        }
    }

    proof.notes = notes(&proof, scope);
    proof.sentence = sentence(&proof);
    Ok(proof)
}

#[allow(clippy::too_many_arguments)]
fn walk_paths(
    x: Node,
    contributors: &dyn Fn(Node) -> Vec<(u32, Node)>,
    is_seed: &dyn Fn(Node) -> bool,
    chain: &mut Vec<(u32, Node)>,
    paths: &mut Vec<Vec<u32>>,
    truncated: &mut bool,
    depth: usize,
) {
    if paths.len() >= MAX_PATHS {
        *truncated = true;
        return;
    }
    if depth > 0 && is_seed(x) {
        paths.push(chain.iter().map(|&(l, _)| l).collect());
        return;
    }
    if depth >= MAX_STEPS {
        *truncated = true;
        return;
    }
    for (l, w) in contributors(x) {
        chain.push((l, w));
        walk_paths(w, contributors, is_seed, chain, paths, truncated, depth + 1);
        chain.pop();
        if *truncated {
            return;
        }
    }
}

/// The share a link holds on the day, as an interval: the definite amount below, the possible
/// above.
fn share_of(graph: &OwnershipGraph, l: u32, day: NaiveDate) -> Share {
    let link = graph.link(l);
    let lo = link.amount(day, Bound::Definite);
    let hi = link.amount(day, Bound::Possible);
    Share {
        min: lo.percent(),
        min_exclusive: lo.open,
        max: hi.percent(),
        max_exclusive: hi.open,
        stated: link.holdings.iter().any(|h| h.share.stated) || link.holdings.is_empty(),
    }
}

fn step(
    graph: &OwnershipGraph,
    ctx: &Ctx<'_>,
    x: Node,
    listed: &dyn Fn(Node) -> bool,
    status_of: &dyn Fn(Node) -> Status,
    in_d: &dyn Fn(Node) -> bool,
    in_p: &dyn Fn(Node) -> bool,
) -> Step {
    let day = ctx.day;
    let mut owners = Vec::new();
    let mut control = Vec::new();
    let mut lo = Sum::default();
    let mut hi = Sum::default();
    for &l in graph.in_links(x) {
        let link = graph.link(l);
        let w = link.owner;
        let relevant = in_p(w) || listed(w);
        if !relevant {
            continue;
        }
        let owner_status = status_of(w);
        if !link.holdings.is_empty() {
            let share = share_of(graph, l, day);
            let d = link.amount(day, Bound::Definite);
            let p = link.amount(day, Bound::Possible);
            if in_d(w) {
                lo.add(d);
            }
            if in_p(w) {
                hi.add(p);
            }
            let counted = if in_d(w) && !d.is_zero() {
                Counted::Definitely
            } else if in_p(w) && !p.is_zero() {
                Counted::Possibly
            } else {
                Counted::No
            };
            owners.push(OwnerShare {
                owner: Party::of(graph, w),
                owner_status,
                share,
                counted,
                records: link
                    .holdings
                    .iter()
                    .map(|h| RecordRef {
                        record: h
                            .meta
                            .as_ref()
                            .and_then(|m| m.record.as_deref().map(str::to_string)),
                        source: h
                            .meta
                            .as_ref()
                            .and_then(|m| m.source.as_deref().map(str::to_string)),
                        share: h.share,
                        period: h.period,
                        activity: h.period.activity(day),
                    })
                    .collect(),
            });
        }
        for c in &link.controls {
            control.push(ControlEvidence {
                controller: Party::of(graph, w),
                controller_status: owner_status,
                kind: c.kind,
                votes: c.votes,
                activity: c.period.activity(day),
                record: c.record.as_deref().map(str::to_string),
                source: c.source.as_deref().map(str::to_string),
            });
        }
    }
    owners.sort_by(|a, b| {
        b.share
            .min
            .cmp(&a.share.min)
            .then(b.share.max.cmp(&a.share.max))
            .then(a.owner.id.cmp(&b.owner.id))
    });
    let cap = |s: Sum| {
        if s.units >= u64::from(Percent::HUNDRED.units()) {
            Sum {
                units: u64::from(Percent::HUNDRED.units()),
                open: false,
            }
        } else {
            s
        }
    };
    let (lo, hi) = (cap(lo), cap(hi));
    let meets = if ctx.meets_share(lo, Bound::Definite) {
        Meets::Definitely
    } else if ctx.meets_share(hi, Bound::Possible) {
        Meets::Possibly
    } else {
        Meets::No
    };
    Step {
        entity: Party::of(graph, x),
        status: status_of(x),
        owners,
        total: Share {
            min: lo.percent(),
            min_exclusive: lo.open,
            max: hi.percent(),
            max_exclusive: hi.open,
            stated: true,
        },
        meets,
        control,
    }
}

fn notes(proof: &Proof, scope: &Scope) -> Vec<String> {
    let rule = &scope.rule;
    let day = scope.as_of;
    let mut notes = Vec::new();
    if !scope.extends_by_ownership {
        notes.push(
            "The measure does not extend to entities owned or controlled by listed persons (as with OFAC's \
             Belarus Directive 1, FAQ 943): only the listed persons themselves are covered."
                .to_string(),
        );
    }
    let owners = || proof.steps.iter().flat_map(|s| s.owners.iter());
    let not_counted = |inactive: bool| -> Vec<String> {
        owners()
            .filter(|o| o.owner_status == Status::Listed && o.counted == Counted::No)
            .filter(|o| o.records.iter().all(|r| r.activity == Activity::Inactive) == inactive)
            .map(|o| o.owner.label().to_string())
            .collect()
    };
    let not_extending = not_counted(false);
    if scope.extends_by_ownership && !not_extending.is_empty() {
        notes.push(format!(
            "{} listed under a measure that does not extend by ownership: {} not counted.",
            join(&not_extending)
                + if not_extending.len() == 1 {
                    " is"
                } else {
                    " are"
                },
            if not_extending.len() == 1 {
                "its holding is"
            } else {
                "their holdings are"
            }
        ));
    }
    if owners().any(|o| o.share.stated && !o.share.is_exact()) {
        notes.push(
            "Ranges and bounds are read conservatively: the lower end decides a definite block, the upper end \
             only flags a review."
                .to_string(),
        );
    }
    if owners().any(|o| !o.share.stated) {
        notes.push(
            "A holding without a stated percentage counts as anything from 0 to 100 %: it can flag a review, \
             never a block."
                .to_string(),
        );
    }
    if owners()
        .flat_map(|o| o.records.iter())
        .any(|r| r.activity == Activity::Uncertain)
    {
        notes.push(format!(
            "A holding whose partial start or end date leaves it uncertain on {day} counts only towards the \
             upper (review) total."
        ));
    }
    if owners()
        .flat_map(|o| o.records.iter())
        .any(|r| r.activity == Activity::Inactive)
    {
        notes.push(format!(
            "Holdings outside their start and end dates on {day} are not counted."
        ));
    }
    if owners().any(|o| {
        o.records
            .iter()
            .filter(|r| r.activity != Activity::Inactive)
            .count()
            > 1
    }) {
        notes.push(
            "Several records of one owner's holding in one share class may be the same fact from two sources: \
             the largest counts towards a block, their sum towards a review."
                .to_string(),
        );
    }
    if rule.comparison == Comparison::MoreThan
        && proof
            .steps
            .last()
            .is_some_and(|s| s.total.min == rule.threshold && !s.total.min_exclusive)
    {
        notes.push(format!(
            "The test in force on {day} requires more than {} %: exactly {} % is not ownership under it{}.",
            rule.threshold,
            rule.threshold,
            if rule.jurisdiction == Jurisdiction::Eu { " (it is from 2024-07-03, when the EU test became 50 % or more, aggregated)" } else { "" }
        ));
    }
    if rule.aggregation == Aggregation::Individual {
        notes.push(
            "Shares of different listed persons are not added up under this test: each listed person, with the \
             entities it owns or controls, is tested on its own."
                .to_string(),
        );
    }
    let controlled = proof.steps.iter().any(|s| !s.control.is_empty());
    if controlled {
        notes.push(match rule.control {
            ControlEffect::FlagForReview => format!(
                "Control alone does not block under the {}, but OFAC advises caution (a controlled entity may be \
                 designated): review.",
                rule.name
            ),
            ControlEffect::Covers => "Under the EU test control establishes coverage; the presumption that funds made \
                 available to the entity reach the listed person is rebuttable case by case."
                .to_string(),
        });
    }
    notes
}

fn kind_word(k: ControlKind) -> &'static str {
    match k {
        ControlKind::BoardMajority => "board majority",
        ControlKind::VotingRights => "voting rights",
        ControlKind::DeFacto => "de facto",
        ControlKind::Unknown => "control",
    }
}

fn join(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn total_text(total: &Share, definite: bool) -> String {
    if definite {
        Share {
            max: total.min,
            max_exclusive: false,
            ..*total
        }
        .to_string()
        .replace("at least ", "")
    } else {
        total.to_string()
    }
}

/// `owned 55 % in aggregate by NAFTAN OAO 30 % and GRODNO AZOT OAO 25 %`.
fn ownership_phrase(s: &Step, definite: bool) -> Option<String> {
    let counted: Vec<&OwnerShare> = s
        .owners
        .iter()
        .filter(|o| {
            if definite {
                o.counted == Counted::Definitely
            } else {
                o.counted != Counted::No
            }
        })
        .collect();
    let share_text = |o: &OwnerShare| {
        if definite && !o.share.is_exact() {
            let lower = Share {
                max: o.share.min,
                max_exclusive: false,
                ..o.share
            };
            if lower.min_exclusive {
                format!("more than {} %", o.share.min)
            } else {
                format!("at least {} %", o.share.min)
            }
        } else {
            o.share.to_string()
        }
    };
    match counted.as_slice() {
        [] => None,
        [o] => Some(format!("owned {} by {}", share_text(o), o.owner.label())),
        many => Some(format!(
            "owned {} in aggregate by {}",
            total_text(&s.total, definite),
            join(
                &many
                    .iter()
                    .map(|o| format!("{} {}", o.owner.label(), share_text(o)))
                    .collect::<Vec<_>>()
            )
        )),
    }
}

fn control_phrase(s: &Step) -> Option<String> {
    let items: Vec<String> = s
        .control
        .iter()
        .filter(|c| c.activity != Activity::Inactive && c.controller_status != Status::Clear)
        .map(|c| format!("{} {}", c.controller.label(), c.kind.describe()))
        .collect();
    (!items.is_empty()).then(|| join(&items))
}

fn step_phrase(s: &Step, definite: bool) -> String {
    match (s.status, ownership_phrase(s, definite), control_phrase(s)) {
        (Status::Controlled, _, Some(c)) => format!("controlled: {c}"),
        (_, Some(o), _) => o,
        (_, None, Some(c)) => format!("controlled: {c}"),
        _ => "covered".to_string(),
    }
}

fn listed_text(listings: &[Listing]) -> String {
    let programmes: BTreeSet<&str> = listings.iter().map(|l| l.programme.as_str()).collect();
    programmes.into_iter().collect::<Vec<_>>().join(", ")
}

/// The proof in one sentence.
fn sentence(p: &Proof) -> String {
    let who = p.entity.label();
    let rule = &p.rule;
    let day = p.as_of;
    let chain = |definite: bool| -> String {
        let mut parts = String::new();
        let n = p.steps.len();
        for s in p.steps.iter().take(n.saturating_sub(1)) {
            parts.push_str(&format!(
                "; {} is {}",
                s.entity.label(),
                step_phrase(s, definite)
            ));
        }
        parts
    };
    let listed_tail = || -> String {
        if p.listed_owners.is_empty() {
            return String::new();
        }
        let items: Vec<String> = p
            .listed_owners
            .iter()
            .map(|o| format!("{} ({})", o.party.label(), listed_text(&o.listings)))
            .collect();
        format!(" Listed: {}.", items.join(", "))
    };
    let last = p.steps.last();
    let opt_out = if p.extends_by_ownership {
        ""
    } else {
        "; the measure does not extend by ownership"
    };
    match p.status {
        Status::Listed => format!(
            "{who} is blocked by listing: listed by the {} under {} as of {day}{opt_out}.",
            p.jurisdiction,
            listed_text(&p.listings)
        ),
        Status::Owned => format!(
            "{who} is blocked by ownership under the {} ({}) as of {day}: {}{}{}.{}",
            rule.name,
            p.test,
            last.map(|s| step_phrase(s, true)).unwrap_or_default(),
            last.filter(|_| p.controlled)
                .and_then(control_phrase)
                .map(|c| format!(", and controlled: {c}"))
                .unwrap_or_default(),
            chain(true),
            listed_tail()
        ),
        Status::Controlled => match rule.control {
            ControlEffect::FlagForReview => format!(
                "{who} is controlled — review: {}; control alone does not block under the {} as of {day}.{}",
                last.and_then(control_phrase)
                    .unwrap_or_else(|| "controlled by covered persons".into()),
                rule.name,
                listed_tail()
            ),
            ControlEffect::Covers => format!(
                "{who} is covered by control under the {} as of {day}: {}{}.{}",
                rule.name,
                last.map(|s| step_phrase(s, true)).unwrap_or_default(),
                chain(true),
                listed_tail()
            ),
        },
        Status::Review => format!(
            "{who} may be owned — review under the {} ({}) as of {day}: {}{}; only the upper bound reaches the threshold.{}",
            rule.name,
            p.test,
            last.map(|s| step_phrase(s, false)).unwrap_or_default(),
            chain(false),
            listed_tail()
        ),
        Status::Clear => {
            let held = last.and_then(|s| {
                let any = s.owners.iter().any(|o| o.counted != Counted::No);
                any.then(|| {
                    format!(
                        ": held {} in aggregate by covered persons, short of {} % ({})",
                        s.total,
                        rule.threshold,
                        join(
                            &s.owners
                                .iter()
                                .filter(|o| o.counted != Counted::No)
                                .map(|o| format!("{} {}", o.owner.label(), o.share))
                                .collect::<Vec<_>>()
                        )
                    )
                })
            });
            let not_counted = last.and_then(|s| {
                let names: Vec<String> = s
                    .owners
                    .iter()
                    .filter(|o| o.counted == Counted::No && o.owner_status == Status::Listed)
                    .map(|o| format!("{} {}", o.owner.label(), o.share))
                    .collect();
                (!names.is_empty()).then(|| format!("; not counted: {}", join(&names)))
            });
            format!(
                "{who} is clear under the {} as of {day}{}{}{opt_out}.",
                rule.name,
                held.unwrap_or_default(),
                not_counted.unwrap_or_default()
            )
        }
    }
}
