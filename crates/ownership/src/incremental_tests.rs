//! Randomised checks: the engine against a naive fixed point, incremental updates against a
//! fresh computation, proofs against assessments, on seeded random graphs full of cycles,
//! ranges, unknown shares, partial dates and control relations.

use chrono::NaiveDate;

use crate::assess::{Assessment, State, Status, status_from};
use crate::engine::{Ctx, NodeMap, Reason};
use crate::graph::{Bound, Node, OwnershipGraph};
use crate::listing::{Change, ListedSet, Listing, Scope};
use crate::proof::explain;
use crate::relation::{Control, ControlKind, Holding};
use crate::rule::{Aggregation, Jurisdiction, Rule};
use crate::synthetic::{Rng, random_period, random_share};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

fn node_id(i: u64) -> String {
    format!("n{i}")
}

fn random_relation(g: &mut OwnershipGraph, rng: &mut Rng, n: u64) -> Option<Change> {
    let (o, a) = (rng.below(n), rng.below(n));
    if o == a {
        return None;
    }
    if rng.chance(0.1) {
        let kind = [
            ControlKind::BoardMajority,
            ControlKind::VotingRights,
            ControlKind::DeFacto,
        ][rng.below(3) as usize];
        let mut c = Control::new(node_id(o), node_id(a), kind).during(random_period(rng));
        if kind == ControlKind::VotingRights {
            c.votes = Some(random_share(rng));
        }
        g.add_control(c).ok()
    } else {
        g.add_holding(
            Holding::new(node_id(o), node_id(a), random_share(rng)).during(random_period(rng)),
        )
        .ok()
    }
}

fn random_listing(rng: &mut Rng, n: u64) -> Listing {
    let j = if rng.chance(0.5) {
        Jurisdiction::Us
    } else {
        Jurisdiction::Eu
    };
    let programme = ["A", "B", "DIR1"][rng.below(3) as usize];
    let mut l = Listing::new(node_id(rng.below(n)), j, programme);
    if rng.chance(0.2) {
        l.from = Some(day(
            ["2015-01-01", "2021-06-01", "2024-01-01"][rng.below(3) as usize]
        ));
    }
    if rng.chance(0.1) {
        l.to = Some(day(["2021-05-01", "2024-12-31"][rng.below(2) as usize]));
    }
    if programme == "DIR1" {
        l.extends_by_ownership = false;
    }
    l
}

fn scopes() -> Vec<Scope> {
    vec![
        Scope::new(Jurisdiction::Us, day("2025-01-01")),
        Scope::new(Jurisdiction::Us, day("2010-01-01")),
        Scope::new(Jurisdiction::Eu, day("2021-05-15")),
        Scope::new(Jurisdiction::Eu, day("2025-01-01")),
        Scope::new(Jurisdiction::Us, day("2021-06-10")).programmes(["A", "DIR1"]),
        Scope::new(Jurisdiction::Us, day("2025-01-01")).not_extending_by_ownership(),
        Scope::new(Jurisdiction::Us, day("2021-06-10")).with_rule(Rule {
            aggregation: Aggregation::Individual,
            ..Rule::eu_2024()
        }),
    ]
}

/// The rules computed the slow, obvious way: repeat until nothing changes.
fn naive(graph: &OwnershipGraph, listings: &ListedSet, scope: &Scope) -> Vec<Status> {
    let n = graph.len() as Node;
    let ctx = Ctx {
        graph,
        rule: &scope.rule,
        day: scope.as_of,
    };
    let mut states: NodeMap<State> = NodeMap::default();
    let mut seeds = Vec::new();
    for v in 0..n {
        let (listed, extends) = scope.listed(listings, graph.id_of(v));
        let mut st = State::default();
        st.set(State::LISTED, listed);
        st.set(State::SEED, extends);
        if extends {
            seeds.push(v);
        }
        states.insert(v, st);
    }
    let fixed_point = |start: &[Node], bound: Bound| -> Vec<bool> {
        let mut member = vec![false; n as usize];
        for &s in start {
            member[s as usize] = true;
        }
        loop {
            let mut changed = false;
            for v in 0..n {
                if member[v as usize] {
                    continue;
                }
                let mut sum = crate::share::Sum::default();
                let mut control = false;
                for &l in graph.in_links(v) {
                    let link = graph.link(l);
                    if member[link.owner as usize] {
                        sum.add(link.amount(scope.as_of, bound));
                        control |= ctx.control_covers() && link.controls(scope.as_of, bound);
                    }
                }
                if control || ctx.meets_share(sum, bound) {
                    member[v as usize] = true;
                    changed = true;
                }
            }
            if !changed {
                return member;
            }
        }
    };
    let groups: Vec<Vec<Node>> = match scope.rule.aggregation {
        Aggregation::Aggregated => vec![seeds.clone()],
        Aggregation::Individual => seeds.iter().map(|&s| vec![s]).collect(),
    };
    for g in groups {
        let d = fixed_point(&g, Bound::Definite);
        let p = fixed_point(&g, Bound::Possible);
        for v in 0..n {
            let Some(st) = states.get_mut(&v) else {
                continue;
            };
            if p[v as usize] {
                st.set(State::POSSIBLE, true);
            }
            if d[v as usize] {
                st.set(State::DEFINITE, true);
                if !st.has(State::SEED) {
                    let r = ctx.reason(v, Bound::Definite, &|w| d[w as usize]);
                    if r > st.reason() {
                        st.set_reason(r);
                    }
                }
            }
        }
    }
    let _ = Reason::None;
    (0..n)
        .map(|v| {
            status_from(graph, scope, v, &|w| {
                states.get(&w).copied().unwrap_or_default()
            })
        })
        .collect()
}

fn random_world(seed: u64) -> (OwnershipGraph, ListedSet, u64) {
    let mut rng = Rng::new(seed);
    let n = 5 + rng.below(40);
    let m = n + rng.below(3 * n);
    let mut g = OwnershipGraph::new();
    for i in 0..n {
        g.set_name(&node_id(i), &format!("Node {i}"));
    }
    for _ in 0..m {
        random_relation(&mut g, &mut rng, n);
    }
    let listings: ListedSet = (0..1 + rng.below(n / 4 + 1))
        .map(|_| random_listing(&mut rng, n))
        .collect();
    (g, listings, n)
}

#[test]
fn engine_matches_naive_fixed_point() {
    for seed in 0..300 {
        let (g, listings, _) = random_world(seed);
        for scope in scopes() {
            let a = Assessment::compute(&g, &listings, &scope);
            let fast: Vec<Status> = a.statuses(&g).map(|(_, s)| s).collect();
            assert_eq!(
                fast,
                naive(&g, &listings, &scope),
                "seed {seed}, scope {scope:?}"
            );
        }
    }
}

#[test]
fn proofs_agree_with_assessments() {
    for seed in 0..150 {
        let (g, listings, _) = random_world(seed);
        for scope in scopes() {
            let a = Assessment::compute(&g, &listings, &scope);
            for (id, status) in a.statuses(&g) {
                let p = a.proof(&g, &listings, id).expect("proof");
                assert_eq!(
                    p.status, status,
                    "seed {seed} {id} {scope:?}\n{}",
                    p.sentence
                );
                let e = explain(&g, &listings, &scope, id).expect("explain");
                assert_eq!(e.status, status, "seed {seed} {id}");
                assert!(!p.sentence.is_empty());
                if matches!(status, Status::Owned) {
                    assert!(
                        !p.paths.is_empty() || p.paths_truncated,
                        "seed {seed} {id}: {}",
                        p.sentence
                    );
                    for path in &p.paths {
                        let first = &path.hops[0].owner.id;
                        assert!(
                            scope.listings_of(&listings, first).next().is_some(),
                            "path starts at a listed person"
                        );
                        assert_eq!(&path.hops[path.hops.len() - 1].asset.id, id);
                    }
                }
            }
        }
    }
}

#[test]
fn incremental_equals_full_recompute() {
    for seed in 0..200 {
        let (mut g, mut listings, n) = random_world(seed);
        let mut rng = Rng::new(seed.wrapping_mul(7919) + 1);
        let mut assessments: Vec<Assessment> = scopes()
            .iter()
            .map(|s| Assessment::compute(&g, &listings, s))
            .collect();
        for step in 0..25 {
            let before: Vec<Vec<Status>> = assessments
                .iter()
                .map(|a| a.statuses(&g).map(|(_, s)| s).collect())
                .collect();
            let mut changes = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let r = rng.unit();
                let change = if r < 0.35 {
                    random_relation(&mut g, &mut rng, n + 2)
                } else if r < 0.6 {
                    let (o, a) = (node_id(rng.below(n)), node_id(rng.below(n)));
                    g.remove_between(&o, &a).or_else(|| {
                        let owners = g.owners_of(&a);
                        owners
                            .first()
                            .and_then(|h| g.remove_between(&h.owner.clone(), &a))
                    })
                } else if r < 0.8 {
                    Some(listings.add(random_listing(&mut rng, n + 2)))
                } else {
                    let listed: Vec<String> = listings.iter().map(|l| l.entity.clone()).collect();
                    if listed.is_empty() {
                        None
                    } else {
                        Some(
                            listings
                                .remove_entity(&listed[rng.below(listed.len() as u64) as usize]),
                        )
                    }
                };
                changes.extend(change);
            }
            for (k, a) in assessments.iter_mut().enumerate() {
                let report = a.update(&g, &listings, &changes);
                let fresh = Assessment::compute(&g, &listings, a.scope());
                assert_eq!(
                    a.raw_states(g.len()),
                    fresh.raw_states(g.len()),
                    "seed {seed} step {step} scope {:?} changes {changes:?}",
                    a.scope()
                );
                assert!(a.same_statuses(&fresh, &g));
                assert!(a.orders_are_well_founded(&g), "seed {seed} step {step}");
                assert!(fresh.orders_are_well_founded(&g));
                // The report names exactly the statuses that changed.
                let after: Vec<Status> = fresh.statuses(&g).map(|(_, s)| s).collect();
                let mut expected: Vec<String> = after
                    .iter()
                    .enumerate()
                    .filter(|(i, s)| before[k].get(*i).copied().unwrap_or(Status::Clear) != **s)
                    .map(|(i, _)| g.id_of(i as Node).to_string())
                    .collect();
                expected.sort();
                let mut reported: Vec<String> =
                    report.changed.iter().map(|c| c.entity.clone()).collect();
                reported.sort();
                assert_eq!(reported, expected, "seed {seed} step {step} {changes:?}");
            }
        }
    }
}

#[test]
fn synthetic_registry_is_consistent() {
    let spec = crate::synthetic::RegistrySpec::small(3_000, 9_000, 40, 7);
    let mut reg = crate::synthetic::generate(&spec);
    assert!(reg.graph.holding_count() + reg.graph.control_count() >= 9_000);
    for scope in scopes() {
        let a = Assessment::compute(&reg.graph, &reg.listings, &scope);
        let fast: Vec<Status> = a.statuses(&reg.graph).map(|(_, s)| s).collect();
        assert_eq!(fast, naive(&reg.graph, &reg.listings, &scope));
    }
    // A few updates on the bigger graph too.
    let scope = Scope::new(Jurisdiction::Us, day("2025-01-01"));
    let mut a = Assessment::compute(&reg.graph, &reg.listings, &scope);
    let mut rng = Rng::new(99);
    for _ in 0..20 {
        let id = crate::synthetic::company(rng.below(3_000) as usize);
        let change = reg.listings.add(Listing::new(id, Jurisdiction::Us, "X"));
        a.update(&reg.graph, &reg.listings, &[change]);
        let asset = crate::synthetic::company(rng.below(3_000) as usize);
        if let Some(c) = reg.graph.owners_of(&asset).first().map(|h| h.owner.clone())
            && let Some(change) = reg.graph.remove_between(&c, &asset)
        {
            a.update(&reg.graph, &reg.listings, &[change]);
        }
        let fresh = Assessment::compute(&reg.graph, &reg.listings, &scope);
        assert_eq!(
            a.raw_states(reg.graph.len()),
            fresh.raw_states(reg.graph.len())
        );
    }
}

#[test]
fn large_removals_match_a_fresh_computation() {
    let mut g = OwnershipGraph::new();
    for i in 0..6_000u64 {
        let owner = if i == 0 {
            "root".to_string()
        } else {
            node_id(i - 1)
        };
        let share = crate::share::Share::exact(crate::share::Percent::whole(60));
        g.add_holding(Holding::new(owner, node_id(i), share))
            .expect("holding");
    }
    // Aggregated (support walk) and individual (region cleared, or computed afresh).
    for (j, date) in [
        (Jurisdiction::Us, "2025-01-01"),
        (Jurisdiction::Eu, "2021-05-15"),
    ] {
        let mut listings: ListedSet = [Listing::new("root", j, "A")].into_iter().collect();
        let scope = Scope::new(j, day(date));
        let mut a = Assessment::compute(&g, &listings, &scope);
        assert_eq!(a.counts(&g)[1], 6_000);
        let change = listings.remove_entity("root");
        let report = a.update(&g, &listings, &[change]);
        assert_eq!(report.region, 6_001);
        assert_eq!(report.changed.len(), 6_001);
        assert_eq!(a.counts(&g)[4], 6_001);
        let change = listings.add(Listing::new("n2999", j, "A"));
        let report = a.update(&g, &listings, &[change]);
        assert_eq!(report.changed.len(), 3_001);
        let fresh = Assessment::compute(&g, &listings, &scope);
        assert_eq!(a.raw_states(g.len()), fresh.raw_states(g.len()));
        assert!(a.orders_are_well_founded(&g));
    }
}
