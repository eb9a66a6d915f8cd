//! The context of a text: which account writes it, on what date, what kind of message, on which site.
//! The same sentence can be forbidden on the Commission's account and free speech on a personal one.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which account is writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Account {
    Institutional,
    Personal,
}

/// What kind of message is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Post,
    Reply,
    Email,
}

/// An electoral phase. Declared from least to most strict: when periods overlap, the greatest wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Precampaign,
    Intercampaign,
    Campaign,
    Reflection,
    ElectionDay,
}

impl Phase {
    pub const ALL: [Phase; 5] =
        [Phase::Precampaign, Phase::Intercampaign, Phase::Campaign, Phase::Reflection, Phase::ElectionDay];

    pub fn id(self) -> &'static str {
        match self {
            Phase::Precampaign => "precampaign",
            Phase::Intercampaign => "intercampaign",
            Phase::Campaign => "campaign",
            Phase::Reflection => "reflection",
            Phase::ElectionDay => "election-day",
        }
    }

    pub fn from_id(id: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.id() == id)
    }

    /// Government propaganda, achievements included, is suspended from campaigns to election day.
    pub fn is_blackout(self) -> bool {
        self >= Phase::Campaign
    }

    /// The reflection period and election day: any electoral content is forbidden outright.
    pub fn is_veda(self) -> bool {
        self >= Phase::Reflection
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Account {
    pub fn from_id(id: &str) -> Option<Account> {
        match id {
            "institutional" => Some(Account::Institutional),
            "personal" => Some(Account::Personal),
            _ => None,
        }
    }
}

impl Kind {
    pub fn from_id(id: &str) -> Option<Kind> {
        match id {
            "post" => Some(Kind::Post),
            "reply" => Some(Kind::Reply),
            "email" => Some(Kind::Email),
            _ => None,
        }
    }
}

/// Everything the engine needs to know about a text besides the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub account: Account,
    pub date: NaiveDate,
    pub kind: Kind,
    pub site: Option<String>,
}

impl Context {
    pub fn new(account: Account, date: NaiveDate, kind: Kind) -> Context {
        Context { account, date, kind, site: None }
    }
}

/// Parses a `YYYY-MM-DD` date, the only date format of the contracts.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    if s.len() != 10 {
        return Err(format!("«{s}» is not a date in the form YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("«{s}» is not a valid date in the form YYYY-MM-DD"))
}
