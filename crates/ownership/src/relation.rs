//! The relations the rules read, and how they are read from FollowTheMoney entities.
//!
//! # The convention for control
//!
//! FollowTheMoney has no `Control` schema, so control is written on the two schemata that
//! already join a person to a company:
//!
//! * an **`Ownership`** whose `ownershipType` starts with `control` (`control`,
//!   `control: board majority`, `control/voting rights`, `control - de facto`) or names a control
//!   kind outright (`board majority`, `voting rights`, `de facto control`, `dominant influence`)
//!   is a *control relation*, not a holding. Its `percentage`, if any, is the share of the votes
//!   (for voting rights: control when the votes are more than 50 %);
//! * a **`Directorship`** whose `role` is written the same way (`control: board majority`,
//!   `appoints the board`, `de facto control`) is a control relation from the director to the
//!   organisation; any other directorship is an association only;
//! * the kind is read from the text after `control` or, failing that, from `role`: `board` or
//!   `appoint` → [`ControlKind::BoardMajority`], `vot` → [`ControlKind::VotingRights`],
//!   `de facto`, `dominant` or `influence` → [`ControlKind::DeFacto`], anything else →
//!   [`ControlKind::Unknown`].
//!
//! Every other `Ownership` is an equity **holding**: `percentage` as written (see
//! [`Share::parse`]), `startDate`/`endDate`, `sharesType` as the share class, the entity id as the
//! record and `publisher`/`sourceUrl` as the source. `Family`, `Associate` and `UnknownLink`
//! ("Linked To" in OFAC remarks) become associations, shown in proofs but never used to block.

use interdict_model::{Entity, PartialDate, Schema};
use serde::{Deserialize, Serialize};

use crate::period::Period;
use crate::share::{Share, ShareError};

/// An equity holding: `owner` holds `share` of `asset` during `period`.
///
/// Several holdings of the same owner in the same asset with the same share class are treated
/// as possibly the same fact reported twice: the lower bound takes the largest, the upper bound
/// the sum. Different share classes add up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    /// The entity id of the owner.
    pub owner: String,
    /// The entity id of the company (or other asset) owned.
    pub asset: String,
    /// The share held, as an interval.
    pub share: Share,
    /// When the holding is in force.
    #[serde(default)]
    pub period: Period,
    /// The share class (FtM `sharesType`), if the registry distinguishes classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The id of the record that states the holding (the FtM `Ownership` id, a CSV line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Where the record comes from (dataset, registry, file), for the proof.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Holding {
    /// A holding in force at all times, with no class, record or source.
    pub fn new(owner: impl Into<String>, asset: impl Into<String>, share: Share) -> Holding {
        Holding {
            owner: owner.into(),
            asset: asset.into(),
            share,
            period: Period::ALWAYS,
            class: None,
            record: None,
            source: None,
        }
    }

    /// The same holding limited to a period.
    pub fn during(mut self, period: Period) -> Holding {
        self.period = period;
        self
    }

    /// The same holding with a record id and source.
    pub fn recorded(mut self, record: impl Into<String>, source: Option<&str>) -> Holding {
        self.record = Some(record.into());
        self.source = source.map(str::to_string);
        self
    }
}

/// How a controller controls an entity. The kind is shown in proofs; every kind counts alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// The right to appoint or remove a majority of the board.
    BoardMajority,
    /// A majority of the voting rights, alone or by agreement with other shareholders.
    VotingRights,
    /// Dominant influence in fact, without a formal right.
    DeFacto,
    /// Control is asserted without saying how.
    Unknown,
}

impl ControlKind {
    /// Read the kind from free text (`board majority`, `voting rights`, `de facto`).
    pub fn from_text(text: &str) -> ControlKind {
        let t = text.to_lowercase();
        if t.contains("board") || t.contains("appoint") || t.contains("director") {
            ControlKind::BoardMajority
        } else if t.contains("vot") {
            ControlKind::VotingRights
        } else if t.contains("de facto") || t.contains("dominant") || t.contains("influence") {
            ControlKind::DeFacto
        } else {
            ControlKind::Unknown
        }
    }

    /// Whether a `ownershipType` or `role` value marks a control relation under the crate's
    /// convention, and which kind: `control…` or a control kind named outright.
    pub fn from_marker(text: &str) -> Option<ControlKind> {
        let t = text.trim().to_lowercase();
        if let Some(rest) = t.strip_prefix("control") {
            let rest = rest
                .trim_start_matches(['s', 'l', 'i', 'n', 'g'])
                .trim_start_matches([':', '/', '-', '(', ' ', '–']);
            return Some(ControlKind::from_text(rest));
        }
        let named = [
            "board majority",
            "appoints the board",
            "appoints board",
            "right to appoint",
            "voting rights",
            "majority of votes",
            "majority of voting rights",
            "de facto control",
            "de facto",
            "dominant influence",
        ];
        named
            .iter()
            .any(|n| t.starts_with(n))
            .then(|| ControlKind::from_text(&t))
    }

    /// The kind in words, for sentences.
    pub fn describe(self) -> &'static str {
        match self {
            ControlKind::BoardMajority => "appoints the majority of the board",
            ControlKind::VotingRights => "holds the majority of the voting rights",
            ControlKind::DeFacto => "exercises dominant influence",
            ControlKind::Unknown => "controls",
        }
    }
}

/// A control relation: `controller` controls `asset` during `period`.
///
/// Under the OFAC rule control alone never blocks but is flagged for review; under the EU test
/// it counts as much as ownership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    /// The entity id of the controller.
    pub controller: String,
    /// The entity id of the entity controlled.
    pub asset: String,
    /// How control is exercised.
    pub kind: ControlKind,
    /// For voting rights, the share of votes if stated: control when it is more than 50 %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<Share>,
    /// When the control is in force.
    #[serde(default)]
    pub period: Period,
    /// The id of the record that states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Where the record comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Control {
    /// A control relation in force at all times.
    pub fn new(
        controller: impl Into<String>,
        asset: impl Into<String>,
        kind: ControlKind,
    ) -> Control {
        Control {
            controller: controller.into(),
            asset: asset.into(),
            kind,
            votes: None,
            period: Period::ALWAYS,
            record: None,
            source: None,
        }
    }

    /// The same relation limited to a period.
    pub fn during(mut self, period: Period) -> Control {
        self.period = period;
        self
    }
}

/// A relation that gives context but never blocks: a directorship without control, family,
/// associates, "linked to".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssociationKind {
    /// A director, manager or officer of an organisation (FtM `Directorship`).
    Directorship,
    /// A relative (FtM `Family`).
    Family,
    /// A close associate (FtM `Associate`).
    Associate,
    /// "Linked To" in OFAC remarks, or any unexplained link (FtM `UnknownLink`).
    LinkedTo,
}

/// An association between two entities, kept for proofs and the ownership picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Association {
    /// The first entity (director, person, subject).
    pub from: String,
    /// The second entity (organisation, relative, object).
    pub to: String,
    /// What kind of association.
    pub kind: AssociationKind,
    /// The role or relationship as written (`director`, `brother`, `Linked To`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// When it holds.
    #[serde(default)]
    pub period: Period,
    /// The id of the record that states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

/// What an FtM entity contributes to the ownership graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// An equity holding.
    Holding(Holding),
    /// A control relation.
    Control(Control),
    /// A context-only association.
    Association(Association),
    /// A node: a person, company or other thing that can own or be owned, with its caption.
    Party {
        /// The entity id.
        id: String,
        /// The display name.
        name: String,
    },
    /// Nothing the ownership rules use (a sanction, an address …).
    Ignored,
}

/// Why an FtM entity could not be read as a relation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelationError {
    /// An edge without one of its ends.
    #[error("{schema} {id}: no {property}")]
    MissingEnd {
        /// The entity id of the relation.
        id: String,
        /// Its schema.
        schema: String,
        /// The property that has no value.
        property: &'static str,
    },
    /// An entity that owns or controls itself (treasury shares are not ownership by a listed
    /// person).
    #[error("{id}: {owner} cannot own or control itself")]
    SelfLoop {
        /// The entity id of the relation.
        id: String,
        /// The entity on both ends.
        owner: String,
    },
}

/// A soft problem found while reading a relation: the relation is kept, with the value
/// replaced by the conservative reading (an unreadable percentage becomes "unknown share").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadIssue {
    /// The entity id of the relation.
    pub record: String,
    /// The property concerned.
    pub property: String,
    /// What was wrong and what was assumed.
    pub reason: String,
}

/// Read an FtM entity under the crate's conventions (see the module documentation).
///
/// Returns the relation and any soft issues; a relation without one of its ends is an error.
pub fn relation_from_entity(e: &Entity) -> Result<(Relation, Vec<ReadIssue>), RelationError> {
    let mut issues = Vec::new();
    let schema = e.schema;
    let name = schema.name();
    let source = e
        .first("publisher")
        .or_else(|| e.first("sourceUrl"))
        .map(str::to_string);
    let end = |property: &'static str| -> Result<String, RelationError> {
        e.first(property)
            .map(str::to_string)
            .ok_or_else(|| RelationError::MissingEnd {
                id: e.id.clone(),
                schema: name.to_string(),
                property,
            })
    };
    let period = read_period(e, &mut issues);
    let relation = match name {
        "Ownership" => {
            let owner = end("owner")?;
            let asset = end("asset")?;
            check_loop(e, &owner, &asset)?;
            let marker = e.first("ownershipType").and_then(ControlKind::from_marker);
            let share = read_share(e, &mut issues);
            match marker {
                Some(mut kind) => {
                    if kind == ControlKind::Unknown
                        && let Some(role) = e.first("role")
                    {
                        kind = ControlKind::from_text(role);
                    }
                    let votes = e.has("percentage").then_some(share);
                    Relation::Control(Control {
                        controller: owner,
                        asset,
                        kind,
                        votes,
                        period,
                        record: Some(e.id.clone()),
                        source,
                    })
                }
                None => Relation::Holding(Holding {
                    owner,
                    asset,
                    share,
                    period,
                    class: e.first("sharesType").map(str::to_string),
                    record: Some(e.id.clone()),
                    source,
                }),
            }
        }
        "Directorship" => {
            let director = end("director")?;
            let organization = end("organization")?;
            check_loop(e, &director, &organization)?;
            let role = e.first("role").map(str::to_string);
            match role.as_deref().and_then(ControlKind::from_marker) {
                Some(kind) => Relation::Control(Control {
                    controller: director,
                    asset: organization,
                    kind,
                    votes: None,
                    period,
                    record: Some(e.id.clone()),
                    source,
                }),
                None => Relation::Association(Association {
                    from: director,
                    to: organization,
                    kind: AssociationKind::Directorship,
                    role,
                    period,
                    record: Some(e.id.clone()),
                }),
            }
        }
        "Family" | "Associate" | "UnknownLink" => {
            let (a, b, kind, role_prop) = match name {
                "Family" => (
                    "person",
                    "relative",
                    AssociationKind::Family,
                    "relationship",
                ),
                "Associate" => (
                    "person",
                    "associate",
                    AssociationKind::Associate,
                    "relationship",
                ),
                _ => ("subject", "object", AssociationKind::LinkedTo, "role"),
            };
            Relation::Association(Association {
                from: end(a)?,
                to: end(b)?,
                kind,
                role: e.first(role_prop).map(str::to_string),
                period,
                record: Some(e.id.clone()),
            })
        }
        _ if can_own(schema) => Relation::Party {
            id: e.id.clone(),
            name: e.caption().to_string(),
        },
        _ => Relation::Ignored,
    };
    Ok((relation, issues))
}

/// Whether entities of the schema can own or be owned (people, organisations, vessels …).
fn can_own(schema: Schema) -> bool {
    ["LegalEntity", "Asset"]
        .iter()
        .any(|s| Schema::get(s).is_some_and(|p| schema.is_a(p)))
}

fn check_loop(e: &Entity, a: &str, b: &str) -> Result<(), RelationError> {
    if a == b {
        return Err(RelationError::SelfLoop {
            id: e.id.clone(),
            owner: a.to_string(),
        });
    }
    Ok(())
}

fn read_share(e: &Entity, issues: &mut Vec<ReadIssue>) -> Share {
    let Some(text) = e.first("percentage") else {
        return Share::UNKNOWN;
    };
    Share::parse(text).unwrap_or_else(|err: ShareError| {
        issues.push(ReadIssue {
            record: e.id.clone(),
            property: "percentage".into(),
            reason: format!("{err}; read as unknown share"),
        });
        Share::UNKNOWN
    })
}

fn read_period(e: &Entity, issues: &mut Vec<ReadIssue>) -> Period {
    let mut date = |property: &str| -> Option<PartialDate> {
        let text = e.first(property)?;
        match text.parse::<PartialDate>() {
            Ok(d) => Some(d),
            Err(err) => {
                issues.push(ReadIssue {
                    record: e.id.clone(),
                    property: property.into(),
                    reason: format!("{err}; read as no date"),
                });
                None
            }
        }
    };
    let period = Period::new(date("startDate"), date("endDate"));
    if period.is_inverted() {
        issues.push(ReadIssue {
            record: e.id.clone(),
            property: "endDate".into(),
            reason: "endDate is before startDate; the relation is never in force".into(),
        });
    }
    period
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ownership(props: &[(&str, &str)]) -> Entity {
        let mut e = Entity::new("own-1", Schema::named("Ownership"));
        for (k, v) in props {
            e.set(k, v, None);
        }
        e
    }

    #[test]
    fn markers() {
        assert_eq!(
            ControlKind::from_marker("control"),
            Some(ControlKind::Unknown)
        );
        assert_eq!(
            ControlKind::from_marker("Control: board majority"),
            Some(ControlKind::BoardMajority)
        );
        assert_eq!(
            ControlKind::from_marker("controlling/voting rights"),
            Some(ControlKind::VotingRights)
        );
        assert_eq!(
            ControlKind::from_marker("control - de facto"),
            Some(ControlKind::DeFacto)
        );
        assert_eq!(
            ControlKind::from_marker("dominant influence"),
            Some(ControlKind::DeFacto)
        );
        assert_eq!(
            ControlKind::from_marker("appoints the board"),
            Some(ControlKind::BoardMajority)
        );
        assert_eq!(ControlKind::from_marker("shares"), None);
        assert_eq!(ControlKind::from_marker("director"), None);
        assert_eq!(ControlKind::from_marker("beneficial"), None);
    }

    #[test]
    fn ownership_is_a_holding_unless_marked() {
        let e = ownership(&[
            ("owner", "ofac-12860"),
            ("asset", "co-1"),
            ("percentage", "30%"),
            ("startDate", "2019"),
            ("sharesType", "ordinary"),
        ]);
        let (r, issues) = relation_from_entity(&e).unwrap();
        assert!(issues.is_empty());
        let Relation::Holding(h) = r else {
            panic!("{r:?}")
        };
        assert_eq!(h.share.to_string(), "30 %");
        assert_eq!(h.period.start, Some(PartialDate::year(2019)));
        assert_eq!(h.class.as_deref(), Some("ordinary"));
        assert_eq!(h.record.as_deref(), Some("own-1"));

        let e = ownership(&[
            ("owner", "p"),
            ("asset", "co-1"),
            ("ownershipType", "control"),
            ("role", "appoints the board"),
        ]);
        let (r, _) = relation_from_entity(&e).unwrap();
        let Relation::Control(c) = r else {
            panic!("{r:?}")
        };
        assert_eq!(c.kind, ControlKind::BoardMajority);
        assert_eq!(c.votes, None);
    }

    #[test]
    fn directorship_with_control_role_is_control() {
        let mut e = Entity::new("dir-1", Schema::named("Directorship"));
        e.set("director", "p", None);
        e.set("organization", "co", None);
        e.set("role", "control: board majority", None);
        let (r, _) = relation_from_entity(&e).unwrap();
        assert!(matches!(
            r,
            Relation::Control(Control {
                kind: ControlKind::BoardMajority,
                ..
            })
        ));
        let mut e = Entity::new("dir-2", Schema::named("Directorship"));
        e.set("director", "p", None);
        e.set("organization", "co", None);
        e.set("role", "Director General", None);
        let (r, _) = relation_from_entity(&e).unwrap();
        assert!(matches!(
            r,
            Relation::Association(Association {
                kind: AssociationKind::Directorship,
                ..
            })
        ));
    }

    #[test]
    fn soft_and_hard_problems() {
        let e = ownership(&[
            ("owner", "a"),
            ("asset", "b"),
            ("percentage", "lots"),
            ("startDate", "1.1.2020"),
        ]);
        let (r, issues) = relation_from_entity(&e).unwrap();
        assert_eq!(issues.len(), 2);
        let Relation::Holding(h) = r else { panic!() };
        assert_eq!(h.share, Share::UNKNOWN);
        let e = ownership(&[("owner", "a")]);
        assert!(matches!(
            relation_from_entity(&e),
            Err(RelationError::MissingEnd {
                property: "asset",
                ..
            })
        ));
        let e = ownership(&[("owner", "a"), ("asset", "a")]);
        assert!(matches!(
            relation_from_entity(&e),
            Err(RelationError::SelfLoop { .. })
        ));
        let mut link = Entity::new("ul", Schema::named("UnknownLink"));
        link.set("subject", "a", None);
        link.set("object", "b", None);
        link.set("role", "Linked To", None);
        let (r, _) = relation_from_entity(&link).unwrap();
        assert!(matches!(
            r,
            Relation::Association(Association {
                kind: AssociationKind::LinkedTo,
                ..
            })
        ));
        let mut co = Entity::new("ofac-12860", Schema::named("Company"));
        co.set("name", "NAFTAN OAO", None);
        assert_eq!(
            relation_from_entity(&co).unwrap().0,
            Relation::Party {
                id: "ofac-12860".into(),
                name: "NAFTAN OAO".into()
            }
        );
    }
}
