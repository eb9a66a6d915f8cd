//! The finding contract: what the engine reports for a flagged span. Other tools read these fields through
//! the CLI's `--jsonl` output and the extension; keep names and meanings stable.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The guideline's categories, with fixed ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Propaganda, proselytism, vote calls, favouring or harming a party, coalition or candidate.
    Electoral,
    /// Government achievements (logros de gobierno).
    Achievements,
    /// A listed official named as the one who did, led or delivered something.
    Personalized,
    /// Insults, disqualifications, lack of courtesy to users.
    Discourtesy,
    /// Unidentified sources, rumours, unconfirmed claims.
    Unverified,
    /// Institutional resources used for a party or candidate, or to open external accounts.
    Resources,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Electoral,
        Category::Achievements,
        Category::Personalized,
        Category::Discourtesy,
        Category::Unverified,
        Category::Resources,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Electoral => "electoral",
            Category::Achievements => "achievements",
            Category::Personalized => "personalized",
            Category::Discourtesy => "discourtesy",
            Category::Unverified => "unverified",
            Category::Resources => "resources",
        }
    }

    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Spanish label for people.
    pub fn label(self) -> &'static str {
        match self {
            Category::Electoral => "Propaganda electoral",
            Category::Achievements => "Logros de gobierno",
            Category::Personalized => "Promoción personalizada",
            Category::Discourtesy => "Falta de cortesía",
            Category::Unverified => "Fuente no identificada",
            Category::Resources => "Recursos institucionales",
        }
    }
}

/// `high` and `medium` are warnings; `low` is a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn is_warning(self) -> bool {
        self >= Severity::Medium
    }
}

/// One flagged span. `start`/`end` are UTF-16 code units into the original text, `end` exclusive, and
/// `excerpt` is exactly that slice. The rule's texts are shared with the engine, not copied per finding (a
/// long text has hundreds of findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub start: usize,
    pub end: usize,
    pub excerpt: String,
    pub message: Arc<str>,
    pub guideline: Arc<str>,
    pub suggestion: Option<Arc<str>>,
}
