//! The guideline's context rules: which category is a warning on which account and in which phase.
//!
//! - Institutional account (and email from an institutional address): electoral, personalized, discourtesy,
//!   unverified and resources warn at any date; achievements warn only from campaigns to election day.
//! - Personal account: resources always warn (public resources are never for a campaign); electoral content
//!   warns inside an electoral period; everything else is at most a hint.
//! - In the reflection period and on election day, any electoral warning is high.

use crate::context::{Account, Phase};
use crate::finding::{Category, Severity};

/// The severity a finding gets in context, from the rule's base severity.
pub fn decide(category: Category, base: Severity, account: Account, phase: Option<Phase>) -> Severity {
    if !warns(category, account, phase) || base == Severity::Low {
        return Severity::Low;
    }
    if category == Category::Electoral && phase.is_some_and(Phase::is_veda) {
        return Severity::High;
    }
    base
}

fn warns(category: Category, account: Account, phase: Option<Phase>) -> bool {
    match (account, category) {
        (Account::Institutional, Category::Achievements) => phase.is_some_and(Phase::is_blackout),
        (Account::Institutional, _) => true,
        (Account::Personal, Category::Resources) => true,
        (Account::Personal, Category::Electoral) => phase.is_some(),
        (Account::Personal, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;
    use Severity::*;

    const INST: Account = Account::Institutional;
    const PERS: Account = Account::Personal;

    #[test]
    fn institutional_account() {
        for c in [Electoral, Personalized, Discourtesy, Unverified, Resources] {
            assert_eq!(decide(c, Medium, INST, None), Medium, "{c:?}");
        }
        assert_eq!(decide(Achievements, Medium, INST, None), Low);
        assert_eq!(decide(Achievements, Medium, INST, Some(Phase::Precampaign)), Low);
        assert_eq!(decide(Achievements, Medium, INST, Some(Phase::Campaign)), Medium);
        assert_eq!(decide(Achievements, High, INST, Some(Phase::ElectionDay)), High);
    }

    #[test]
    fn personal_account() {
        assert_eq!(decide(Resources, High, PERS, None), High);
        assert_eq!(decide(Electoral, High, PERS, None), Low);
        assert_eq!(decide(Electoral, Medium, PERS, Some(Phase::Intercampaign)), Medium);
        for c in [Achievements, Personalized, Discourtesy, Unverified] {
            assert_eq!(decide(c, High, PERS, Some(Phase::Campaign)), Low, "{c:?}");
        }
    }

    #[test]
    fn veda_makes_electoral_high_and_hints_stay_hints() {
        assert_eq!(decide(Electoral, Medium, PERS, Some(Phase::Reflection)), High);
        assert_eq!(decide(Electoral, Medium, INST, Some(Phase::ElectionDay)), High);
        assert_eq!(decide(Electoral, Low, INST, Some(Phase::ElectionDay)), Low);
        assert_eq!(decide(Discourtesy, Medium, INST, Some(Phase::Reflection)), Medium);
    }
}
