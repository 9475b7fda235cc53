//! A seeded synthetic company registry, for benchmarks and randomised tests.
//!
//! There is no public registry of a million companies with their shareholders to test on, so
//! this one is generated, shaped like the real thing (see [`generate`]): corporate groups of
//! very unequal size, wholly owned subsidiaries, chains hundreds of levels deep, cross-holdings
//! in cycles, minority stakes, percentages written as ranges, bounds or not at all, holdings
//! with (partial) dates, a few control relations, and a few thousand listed persons at the
//! roots. The same seed always gives the same registry.

use chrono::NaiveDate;
use interdict_model::PartialDate;

use crate::graph::{GraphBuilder, OwnershipGraph};
use crate::listing::{ListedSet, Listing};
use crate::period::Period;
use crate::relation::{Control, ControlKind, Holding};
use crate::rule::Jurisdiction;
use crate::share::{Percent, Share};

/// A small, fast, seeded pseudo-random generator (SplitMix64): reproducible across platforms,
/// no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
        }
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// How big a registry to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrySpec {
    /// Companies (`co-…`).
    pub companies: usize,
    /// Natural persons (`pe-…`).
    pub persons: usize,
    /// Holding records, control relations included.
    pub holdings: usize,
    /// Listed persons (people and companies), all listed in the US, about half in the EU.
    pub listed: usize,
    /// The seed.
    pub seed: u64,
}

impl RegistrySpec {
    /// The benchmark's registry: 1,000,000 companies, 100,000 persons, 3,000,000 holdings,
    /// 3,000 listed persons.
    pub fn benchmark(seed: u64) -> RegistrySpec {
        RegistrySpec {
            companies: 1_000_000,
            persons: 100_000,
            holdings: 3_000_000,
            listed: 3_000,
            seed,
        }
    }

    /// A small registry for randomised tests.
    pub fn small(companies: usize, holdings: usize, listed: usize, seed: u64) -> RegistrySpec {
        RegistrySpec {
            companies,
            persons: companies / 5 + 1,
            holdings,
            listed,
            seed,
        }
    }
}

/// A generated registry.
#[derive(Debug, Clone)]
pub struct Registry {
    /// The ownership graph.
    pub graph: OwnershipGraph,
    /// The listings.
    pub listings: ListedSet,
    /// The ids of the listed persons.
    pub listed: Vec<String>,
}

/// The id of the `i`-th company.
pub fn company(i: usize) -> String {
    format!("co-{i}")
}

/// The id of the `i`-th person.
pub fn person(i: usize) -> String {
    format!("pe-{i}")
}

/// A random share as registries write them: many wholly owned subsidiaries, majorities,
/// minorities, a few exact 50 %s, ranges, bounds and missing percentages.
pub fn random_share(rng: &mut Rng) -> Share {
    let r = rng.unit();
    let pct = |rng: &mut Rng, lo: u32, hi: u32| {
        Percent::whole(lo + rng.below(u64::from(hi - lo + 1)) as u32)
    };
    if r < 0.25 {
        Share::exact(Percent::HUNDRED)
    } else if r < 0.45 {
        Share::exact(pct(rng, 51, 99))
    } else if r < 0.80 {
        Share::exact(pct(rng, 1, 49))
    } else if r < 0.88 {
        Share::exact(Percent::whole([50, 25, 20, 10][rng.below(4) as usize]))
    } else if r < 0.91 {
        let lo = pct(rng, 10, 40);
        Share::range(
            lo,
            Percent::from_units(lo.units() + Percent::whole(rng.below(30) as u32 + 5).units()),
        )
    } else if r < 0.93 {
        Share {
            max_exclusive: true,
            ..Share::range(Percent::ZERO, Percent::whole(10))
        }
    } else if r < 0.95 {
        Share {
            min_exclusive: true,
            ..Share::range(Percent::FIFTY, Percent::HUNDRED)
        }
    } else {
        Share::UNKNOWN
    }
}

/// A random period: mostly none, some start dates, some ended, some partial.
pub fn random_period(rng: &mut Rng) -> Period {
    let r = rng.unit();
    let day = |rng: &mut Rng| {
        let year = 2000 + rng.below(26) as i32;
        match rng.below(4) {
            0 => PartialDate::year(year),
            1 => PartialDate {
                year,
                month: Some(1 + rng.below(12) as u8),
                day: None,
            },
            _ => PartialDate::ymd(year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8)
                .unwrap_or(PartialDate::year(year)),
        }
    };
    if r < 0.85 {
        Period::ALWAYS
    } else if r < 0.95 {
        Period::new(Some(day(rng)), None)
    } else {
        let a = day(rng);
        let b = day(rng);
        let (s, e) = if a <= b { (a, b) } else { (b, a) };
        Period::new(Some(s), Some(e))
    }
}

/// Generate a registry.
///
/// Companies come in corporate groups of Pareto-distributed size (most of one to three
/// companies, a few of thousands): inside a group every company but the head has a parent in
/// the group holding a majority (half of them wholly), so groups are trees a few levels deep;
/// group heads are owned by one to three persons. On top come deep chains (1 % of holdings,
/// 20–300 levels, from listed persons), rings of cross-holdings (1 %), and minority stakes
/// between random parties (the rest: mostly 1–30 %, a fifth drawn from every form a registry
/// writes). Listed persons: three fifths people, two fifths heads of groups, half of those
/// among the largest groups (state conglomerates).
pub fn generate(spec: &RegistrySpec) -> Registry {
    let mut rng = Rng::new(spec.seed);
    let n = spec.companies.max(2);
    let persons = spec.persons.max(1);
    let mut b = GraphBuilder::new();
    for i in 0..n {
        b.party(&company(i), None);
    }
    for i in 0..persons {
        b.party(&person(i), None);
    }
    // Corporate groups: consecutive runs of companies.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        let u = rng.unit().max(1e-12);
        let size = (u.powf(-1.0 / 1.3) as usize).clamp(1, 20_000).min(n - i);
        groups.push((i, size));
        i += size;
    }
    let mut by_size: Vec<usize> = (0..groups.len()).collect();
    by_size.sort_by_key(|&g| std::cmp::Reverse(groups[g].1));
    let largest = &by_size[..(groups.len() / 100).max(1)];

    // Listed roots.
    let mut listed = Vec::with_capacity(spec.listed);
    for k in 0..spec.listed {
        let id = match k % 10 {
            0..=5 => person(rng.below(persons as u64) as usize),
            6 | 7 => company(groups[largest[rng.below(largest.len() as u64) as usize]].0),
            _ => company(groups[rng.below(groups.len() as u64) as usize].0),
        };
        listed.push(id);
    }
    listed.sort();
    listed.dedup();
    let mut listings = ListedSet::new();
    let programmes = ["BELARUS", "BELARUS-EO14038", "RUSSIA-EO14024", "GLOMAG"];
    let since = NaiveDate::from_ymd_opt(2021, 6, 21);
    for id in &listed {
        let programme = programmes[rng.below(programmes.len() as u64) as usize];
        let mut l = Listing::new(id.clone(), Jurisdiction::Us, programme);
        if rng.chance(0.2) {
            l.from = since;
        }
        listings.add(l);
        if rng.chance(0.5) {
            listings.add(Listing::new(id.clone(), Jurisdiction::Eu, "BLR"));
        }
    }

    let budget = spec.holdings;
    let mut count = 0usize;
    // Group trees.
    'groups: for &(start, size) in &groups {
        for j in 1..size {
            if count >= budget {
                break 'groups;
            }
            let parent = start + rng.below(j as u64) as usize;
            let share = if rng.chance(0.05) {
                random_share(&mut rng)
            } else if rng.chance(0.5) {
                Share::exact(Percent::HUNDRED)
            } else {
                Share::exact(Percent::whole(51 + rng.below(49) as u32))
            };
            count += usize::from(add(
                &mut b,
                &mut rng,
                company(parent),
                company(start + j),
                share,
            ));
        }
    }
    // Group heads owned by people.
    'heads: for &(start, _) in &groups {
        let k = 1 + rng.below(3) as u32;
        let mut left = 100u32;
        for m in 0..k {
            if count >= budget {
                break 'heads;
            }
            let part = if m + 1 == k {
                left
            } else {
                1 + rng.below(u64::from(left.saturating_sub(k - m))) as u32
            };
            left = left.saturating_sub(part);
            let owner = person(rng.below(persons as u64) as usize);
            count += usize::from(add(
                &mut b,
                &mut rng,
                owner,
                company(start),
                Share::exact(Percent::whole(part)),
            ));
        }
    }
    // Deep chains hanging off listed roots, from the end of the numbering.
    let chain_budget = budget / 100;
    let mut next_chain_company = n;
    let mut used = 0;
    while used < chain_budget && next_chain_company > n / 2 && !listed.is_empty() {
        let len = (20 + rng.below(280) as usize)
            .min(chain_budget - used)
            .min(next_chain_company - n / 2);
        if len == 0 {
            break;
        }
        let mut owner = listed[rng.below(listed.len() as u64) as usize].clone();
        for _ in 0..len {
            next_chain_company -= 1;
            let asset = company(next_chain_company);
            let share = Share::exact(Percent::whole(50 + rng.below(51) as u32));
            count += usize::from(add(&mut b, &mut rng, owner, asset.clone(), share));
            owner = asset;
            used += 1;
        }
    }
    // Cross-holdings and cycles, in rings of 2–5 companies.
    let cycle_budget = budget / 100;
    let mut used = 0;
    while used < cycle_budget {
        let len = 2 + rng.below(4) as usize;
        let members: Vec<usize> = (0..len).map(|_| rng.below(n as u64) as usize).collect();
        for i in 0..len {
            let share = Share::exact(Percent::whole(20 + rng.below(61) as u32));
            count += usize::from(add(
                &mut b,
                &mut rng,
                company(members[i]),
                company(members[(i + 1) % len]),
                share,
            ));
            used += 1;
        }
    }
    // Minority stakes between random parties.
    while count < budget {
        let asset = company(rng.below(n as u64) as usize);
        let owner = if rng.chance(0.3) {
            person(rng.below(persons as u64) as usize)
        } else {
            company(rng.below(n as u64) as usize)
        };
        let share = if rng.chance(0.8) {
            Share::exact(Percent::whole(1 + rng.below(30) as u32))
        } else {
            random_share(&mut rng)
        };
        count += usize::from(add(&mut b, &mut rng, owner, asset, share));
    }
    Registry {
        graph: b.build(),
        listings,
        listed,
    }
}

/// Add one relation (a control relation one time in two hundred); false if it was refused.
fn add(b: &mut GraphBuilder, rng: &mut Rng, owner: String, asset: String, share: Share) -> bool {
    if owner == asset {
        return false;
    }
    let period = random_period(rng);
    if rng.chance(0.005) {
        b.control(Control::new(owner, asset, ControlKind::BoardMajority).during(period))
            .is_ok()
    } else {
        b.holding(Holding::new(owner, asset, share).during(period))
            .is_ok()
    }
}
