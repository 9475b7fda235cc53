//! Who is listed, where, under which programme and when: the input the rules start from.
//!
//! The caller derives listings from list versions (an SDN entry's programmes and the dates of
//! the versions it appears in). This crate does not read lists.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rule::{Jurisdiction, Rule};

/// One listing of one entity under one programme of one jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The entity id of the listed person (`ofac-12860`).
    pub entity: String,
    /// Whose list.
    pub jurisdiction: Jurisdiction,
    /// The programme or measure (`BELARUS`, `BELARUS-EO14038`, `BLR`, a directive).
    pub programme: String,
    /// The first day of the listing, if known (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The last day of the listing, if delisted (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Whether the measure extends to entities the listed person owns or controls. `false` for
    /// measures such as OFAC's Belarus Directive 1, which the 50 % rule does not extend
    /// (FAQ 943): the listed person is covered, what it owns is not.
    #[serde(default = "yes")]
    pub extends_by_ownership: bool,
}

fn yes() -> bool {
    true
}

impl Listing {
    /// A listing with no dates that extends by ownership.
    pub fn new(
        entity: impl Into<String>,
        jurisdiction: Jurisdiction,
        programme: impl Into<String>,
    ) -> Listing {
        Listing {
            entity: entity.into(),
            jurisdiction,
            programme: programme.into(),
            from: None,
            to: None,
            extends_by_ownership: true,
        }
    }

    /// The same listing starting on `day`.
    pub fn since(mut self, day: NaiveDate) -> Listing {
        self.from = Some(day);
        self
    }

    /// The same listing ending on `day` (delisted the day after).
    pub fn until(mut self, day: NaiveDate) -> Listing {
        self.to = Some(day);
        self
    }

    /// The same listing for a measure that does not extend to owned or controlled entities.
    pub fn not_extending_by_ownership(mut self) -> Listing {
        self.extends_by_ownership = false;
        self
    }

    /// Whether the listing is in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }
}

/// Every listing the caller knows, by entity id.
///
/// Editing it returns the [`Change`] to pass to [`crate::Assessment::update`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ListedSet {
    by_entity: HashMap<String, Vec<Listing>>,
}

impl ListedSet {
    /// An empty set.
    pub fn new() -> ListedSet {
        ListedSet::default()
    }

    /// Add a listing (an identical one is not added twice).
    pub fn add(&mut self, listing: Listing) -> Change {
        let change = Change::ListingAdded {
            entity: listing.entity.clone(),
        };
        let entries = self.by_entity.entry(listing.entity.clone()).or_default();
        if !entries.contains(&listing) {
            entries.push(listing);
        }
        change
    }

    /// Remove every listing of an entity under a programme of a jurisdiction.
    pub fn remove(&mut self, entity: &str, jurisdiction: Jurisdiction, programme: &str) -> Change {
        if let Some(entries) = self.by_entity.get_mut(entity) {
            entries.retain(|l| !(l.jurisdiction == jurisdiction && l.programme == programme));
            if entries.is_empty() {
                self.by_entity.remove(entity);
            }
        }
        Change::Listing {
            entity: entity.to_string(),
        }
    }

    /// Remove every listing of an entity.
    pub fn remove_entity(&mut self, entity: &str) -> Change {
        self.by_entity.remove(entity);
        Change::Listing {
            entity: entity.to_string(),
        }
    }

    /// The listings of an entity, in every jurisdiction and programme.
    pub fn of(&self, entity: &str) -> &[Listing] {
        self.by_entity.get(entity).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every listing.
    pub fn iter(&self) -> impl Iterator<Item = &Listing> {
        self.by_entity.values().flatten()
    }

    /// The number of listed entities.
    pub fn len(&self) -> usize {
        self.by_entity.len()
    }

    /// Whether nobody is listed.
    pub fn is_empty(&self) -> bool {
        self.by_entity.is_empty()
    }
}

impl FromIterator<Listing> for ListedSet {
    fn from_iter<I: IntoIterator<Item = Listing>>(iter: I) -> Self {
        let mut set = ListedSet::new();
        for l in iter {
            set.add(l);
        }
        set
    }
}

/// What changed since an assessment was computed, so that it recomputes only what the change
/// can affect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A listing of this entity was added. Additions only ever add coverage, so an update
    /// just continues the fixed point from them.
    ListingAdded {
        /// The entity id.
        entity: String,
    },
    /// A listing of this entity was removed or changed.
    Listing {
        /// The entity id.
        entity: String,
    },
    /// A holding or a control relation between `owner` and `asset` was added (coverage can
    /// only grow).
    HoldingAdded {
        /// The owner or controller.
        owner: String,
        /// The entity owned or controlled.
        asset: String,
    },
    /// A holding or a control relation between `owner` and `asset` was removed or changed.
    Holding {
        /// The owner or controller.
        owner: String,
        /// The entity owned or controlled.
        asset: String,
    },
}

impl Change {
    /// Whether the change only adds (a listing, a holding, a control relation).
    pub fn is_addition(&self) -> bool {
        matches!(
            self,
            Change::ListingAdded { .. } | Change::HoldingAdded { .. }
        )
    }
}

/// The question asked: whose listings count, as of which day, under which rule.
///
/// One scope per jurisdiction and, where it matters, per programme or measure: a licence or a
/// measure that names programmes gets a scope restricted to them. A measure that does not
/// extend by ownership (Directive 1) gets `extends_by_ownership = false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// The jurisdiction whose listings and rule apply.
    pub jurisdiction: Jurisdiction,
    /// The day the question is asked for.
    pub as_of: NaiveDate,
    /// The programmes whose listings count; `None` for all of the jurisdiction's programmes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programmes: Option<BTreeSet<String>>,
    /// Whether ownership and control extend the measure at all.
    pub extends_by_ownership: bool,
    /// The ownership-or-control test applied.
    pub rule: Rule,
}

impl Scope {
    /// All of the jurisdiction's programmes, as of `as_of`, under the rule in force that day.
    pub fn new(jurisdiction: Jurisdiction, as_of: NaiveDate) -> Scope {
        Scope {
            jurisdiction,
            as_of,
            programmes: None,
            extends_by_ownership: true,
            rule: Rule::in_force(jurisdiction, as_of),
        }
    }

    /// Only the listings under these programmes count.
    pub fn programmes<I, S>(mut self, programmes: I) -> Scope
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.programmes = Some(programmes.into_iter().map(Into::into).collect());
        self
    }

    /// The measure does not extend to owned or controlled entities (e.g. Directive 1, FAQ 943).
    pub fn not_extending_by_ownership(mut self) -> Scope {
        self.extends_by_ownership = false;
        self
    }

    /// Apply a given rule instead of the one in force (to replay a decision, or to ask "what if").
    pub fn with_rule(mut self, rule: Rule) -> Scope {
        self.rule = rule;
        self
    }

    /// Whether a listing counts in this scope: same jurisdiction, programme included, in force.
    pub fn counts(&self, listing: &Listing) -> bool {
        listing.jurisdiction == self.jurisdiction
            && listing.in_force(self.as_of)
            && self
                .programmes
                .as_ref()
                .is_none_or(|p| p.contains(&listing.programme))
    }

    /// The listings of an entity that count in this scope.
    pub fn listings_of<'a>(
        &'a self,
        set: &'a ListedSet,
        entity: &str,
    ) -> impl Iterator<Item = &'a Listing> + 'a {
        set.of(entity).iter().filter(move |l| self.counts(l))
    }

    /// Whether the entity is listed in this scope, and whether its listing extends by ownership.
    pub(crate) fn listed(&self, set: &ListedSet, entity: &str) -> (bool, bool) {
        let mut listed = false;
        let mut extends = false;
        for l in self.listings_of(set, entity) {
            listed = true;
            extends |= l.extends_by_ownership && self.extends_by_ownership;
        }
        (listed, extends)
    }
}
