//! The fixed point behind every rule, written by hand.
//!
//! Start from the listed persons; an entity joins when the shares held in it by members add up
//! to the threshold (or, where control counts, when a member controls it); its own holdings
//! then count towards what it owns. Nothing ever leaves during a run, so the run is monotone
//! and ends after each relation has been looked at a bounded number of times, whatever cycles,
//! cross-holdings or chain depths the graph has. Shares are never multiplied along a chain:
//! an entity passes its shares on only once it is itself a member.
//!
//! A run touches only members and their direct assets, and keeps its state in hash maps sized
//! by what it touches, so the same code serves a whole registry, an incremental update and the
//! one-entity re-derivation behind a proof.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;

use crate::graph::{Bound, Node, OwnershipGraph};
use crate::rule::{ControlEffect, Rule};
use crate::share::Sum;

/// A hasher for dense node numbers: one multiplication instead of SipHash.
#[derive(Default, Clone, Copy)]
pub(crate) struct NodeHasher(u64);

impl Hasher for NodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        let x = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
}

pub(crate) type NodeMap<V> = HashMap<Node, V, BuildHasherDefault<NodeHasher>>;
pub(crate) type NodeSet = HashSet<Node, BuildHasherDefault<NodeHasher>>;

/// Why a member is a member, beyond being listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) enum Reason {
    #[default]
    None,
    Controlled,
    Owned,
}

/// What the members hold in, and whether they control, one entity.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Acc {
    pub sum: Sum,
    pub control: bool,
}

/// A rule applied on one day to one graph.
pub(crate) struct Ctx<'a> {
    pub graph: &'a OwnershipGraph,
    pub rule: &'a Rule,
    pub day: NaiveDate,
}

impl<'a> Ctx<'a> {
    pub fn control_covers(&self) -> bool {
        self.rule.control == ControlEffect::Covers
    }

    pub fn meets_share(&self, sum: Sum, bound: Bound) -> bool {
        match bound {
            Bound::Definite => self.rule.definitely_meets(sum.units, sum.open),
            Bound::Possible => self.rule.possibly_meets(sum.units, sum.open),
        }
    }

    fn meets(&self, acc: Acc, bound: Bound) -> bool {
        acc.control || self.meets_share(acc.sum, bound)
    }

    fn contribution(&self, l: u32, bound: Bound) -> Acc {
        let link = self.graph.link(l);
        Acc {
            sum: link.amount(self.day, bound),
            control: self.control_covers() && link.controls(self.day, bound),
        }
    }

    /// What the members hold in `v`.
    pub fn scan(&self, v: Node, bound: Bound, member: &dyn Fn(Node) -> bool) -> Acc {
        let mut acc = Acc::default();
        for &l in self.graph.in_links(v) {
            if member(self.graph.link(l).owner) {
                let c = self.contribution(l, bound);
                acc.sum.add(c.sum);
                acc.control |= c.control;
            }
        }
        acc
    }

    /// Why `v` is a member given the final membership: owned if the members' shares meet the
    /// threshold, else controlled.
    pub fn reason(&self, v: Node, bound: Bound, member: &dyn Fn(Node) -> bool) -> Reason {
        let acc = self.scan(v, bound, member);
        if self.meets_share(acc.sum, bound) {
            Reason::Owned
        } else if acc.control {
            Reason::Controlled
        } else {
            Reason::None
        }
    }

    /// Run the fixed point with hash-map state sized by what the run touches (proofs, small
    /// updates). See [`Ctx::closure_with`].
    pub fn closure(
        &self,
        bound: Bound,
        pre: &dyn Fn(Node) -> bool,
        seeds: &[Node],
        evaluate: &[Node],
        allow: Option<&dyn Fn(Node) -> bool>,
    ) -> Vec<Node> {
        self.closure_with(&mut Sparse::default(), bound, pre, seeds, evaluate, allow)
    }

    /// Run the fixed point.
    ///
    /// * `pre`: members before the run (kept, never re-propagated: their holdings are already
    ///   reflected in every entity the run looks at, because the run scans them);
    /// * `seeds`: listed persons that join unconditionally;
    /// * `evaluate`: entities to test at the start (an incremental update's region);
    /// * `allow`: if given, entities outside it are ignored (a proof's upstream region).
    ///
    /// Returns the entities that joined, in the order they joined.
    pub fn closure_with<S: Scratch>(
        &self,
        scratch: &mut S,
        bound: Bound,
        pre: &dyn Fn(Node) -> bool,
        seeds: &[Node],
        evaluate: &[Node],
        allow: Option<&dyn Fn(Node) -> bool>,
    ) -> Vec<Node> {
        scratch.begin();
        let allowed = |v: Node| allow.is_none_or(|f| f(v));
        let mut joined: Vec<Node> = Vec::new();
        let mut queue: Vec<Node> = Vec::new();

        for &s in seeds {
            if !pre(s) && allowed(s) && !scratch.joined(s) {
                scratch.join(s);
                joined.push(s);
                queue.push(s);
            }
        }
        for &v in evaluate {
            if pre(v) || scratch.joined(v) || !allowed(v) {
                continue;
            }
            let a = self.scan(v, bound, &|w| {
                pre(w) || (scratch.joined(w) && !scratch.pending(w))
            });
            scratch.set_acc(v, a);
            if self.meets(a, bound) {
                scratch.join(v);
                joined.push(v);
                queue.push(v);
            }
        }
        while let Some(u) = queue.pop() {
            // Joined members are pending until their holdings are passed on here.
            scratch.done(u);
            for &l in self.graph.out_links(u) {
                let a = self.graph.link(l).asset;
                if pre(a) || scratch.joined(a) || !allowed(a) {
                    continue;
                }
                let current = match scratch.acc(a) {
                    Some(mut x) => {
                        let c = self.contribution(l, bound);
                        x.sum.add(c.sum);
                        x.control |= c.control;
                        x
                    }
                    // First look at `a`: everything members already passed on, `u` included.
                    None => self.scan(a, bound, &|w| {
                        pre(w) || (scratch.joined(w) && !scratch.pending(w))
                    }),
                };
                scratch.set_acc(a, current);
                if self.meets(current, bound) {
                    scratch.join(a);
                    joined.push(a);
                    queue.push(a);
                }
            }
        }
        joined
    }
}

/// The working state of one run of the fixed point: who joined, who is still to pass its
/// holdings on, and what members hold in each entity looked at.
pub(crate) trait Scratch {
    /// Start a run: forget the previous one.
    fn begin(&mut self);
    /// Whether `v` joined in this run.
    fn joined(&self, v: Node) -> bool;
    /// Whether `v` joined but has not passed its holdings on yet.
    fn pending(&self, v: Node) -> bool;
    /// `v` joins (and is pending).
    fn join(&mut self, v: Node);
    /// `v` has passed its holdings on.
    fn done(&mut self, v: Node);
    /// What members hold in `v`, if `v` was looked at in this run.
    fn acc(&self, v: Node) -> Option<Acc>;
    /// Record what members hold in `v`.
    fn set_acc(&mut self, v: Node, acc: Acc);
}

/// Hash-map state: costs what the run touches.
#[derive(Default)]
pub(crate) struct Sparse {
    joined: NodeSet,
    pending: NodeSet,
    acc: NodeMap<Acc>,
}

impl Scratch for Sparse {
    fn begin(&mut self) {
        self.joined.clear();
        self.pending.clear();
        self.acc.clear();
    }
    fn joined(&self, v: Node) -> bool {
        self.joined.contains(&v)
    }
    fn pending(&self, v: Node) -> bool {
        self.pending.contains(&v)
    }
    fn join(&mut self, v: Node) {
        self.joined.insert(v);
        self.pending.insert(v);
    }
    fn done(&mut self, v: Node) {
        self.pending.remove(&v);
    }
    fn acc(&self, v: Node) -> Option<Acc> {
        self.acc.get(&v).copied()
    }
    fn set_acc(&mut self, v: Node, acc: Acc) {
        self.acc.insert(v, acc);
    }
}

/// Array state indexed by entity, stamped with the run number so that a new run needs no
/// clearing: for whole-registry computations and large updates.
pub(crate) struct Dense {
    run: u32,
    joined: Vec<u32>,
    pending: Vec<u32>,
    acc_run: Vec<u32>,
    acc: Vec<Acc>,
}

impl Dense {
    pub fn new(n: usize) -> Dense {
        Dense {
            run: 0,
            joined: vec![0; n],
            pending: vec![0; n],
            acc_run: vec![0; n],
            acc: vec![Acc::default(); n],
        }
    }
}

impl Scratch for Dense {
    fn begin(&mut self) {
        self.run += 1;
        if self.run == u32::MAX {
            self.run = 1;
            for v in [&mut self.joined, &mut self.pending, &mut self.acc_run] {
                v.iter_mut().for_each(|x| *x = 0);
            }
        }
    }
    fn joined(&self, v: Node) -> bool {
        self.joined.get(v as usize).is_some_and(|&r| r == self.run)
    }
    fn pending(&self, v: Node) -> bool {
        self.pending.get(v as usize).is_some_and(|&r| r == self.run)
    }
    fn join(&mut self, v: Node) {
        if let (Some(j), Some(p)) = (
            self.joined.get_mut(v as usize),
            self.pending.get_mut(v as usize),
        ) {
            *j = self.run;
            *p = self.run;
        }
    }
    fn done(&mut self, v: Node) {
        if let Some(p) = self.pending.get_mut(v as usize) {
            *p = 0;
        }
    }
    fn acc(&self, v: Node) -> Option<Acc> {
        (self.acc_run.get(v as usize) == Some(&self.run)).then(|| self.acc[v as usize])
    }
    fn set_acc(&mut self, v: Node, acc: Acc) {
        if let (Some(r), Some(a)) = (
            self.acc_run.get_mut(v as usize),
            self.acc.get_mut(v as usize),
        ) {
            *r = self.run;
            *a = acc;
        }
    }
}
