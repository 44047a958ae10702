//! The tenant side of the rules: licence tier (L1), activation per mode (A1, U1) and the
//! unattended licence count (U3).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::Mode;
use crate::eligibility::{Check, CheckStatus};
use crate::lang::Lang;
use crate::rules::RuleId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Tier {
    Silver,
    Gold,
    Platinum,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Silver => "silver",
            Tier::Gold => "gold",
            Tier::Platinum => "platinum",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Tier::Silver, Tier::Gold, Tier::Platinum]
            .into_iter()
            .find(|t| t.as_str() == text)
    }
}

/// What the preflight knows of the tenant for one device and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantFacts {
    pub tier: Option<Tier>,
    /// The integration for the mode is activated (A1; U1 for unattended).
    pub mode_active: bool,
    /// Unattended: Host is distributed to this device, so it holds a licence (U3).
    pub host_distributed: bool,
}

fn check(rule: RuleId, status: CheckStatus, message: String, fix: Option<String>) -> Check {
    Check {
        rule,
        status,
        message,
        fix,
    }
}

/// L1: Help@Work (sessions and the activation of TeamViewer) needs the Platinum tier.
pub fn licensed(tier: Option<Tier>) -> bool {
    tier == Some(Tier::Platinum)
}

/// Why a device's Actions item is locked for the whole tenant, if it is: L1 below Platinum, A3
/// while no mode is activated.
pub fn remote_action_lock(
    tier: Option<Tier>,
    any_mode_active: bool,
    lang: Lang,
) -> Option<&'static str> {
    if !licensed(tier) {
        Some(lang.pick(
            "Help@Work needs the tenant's Platinum licence tier.",
            "O Help@Work requer o nível de licença Platinum do locatário.",
        ))
    } else if !any_mode_active {
        Some(lang.pick(
            "Help@Work is not activated: an admin activates TeamViewer under Admin → Infrastructure → Help@Work.",
            "O Help@Work não está ativado: um administrador ativa o TeamViewer em Administrador → Infraestrutura → Help@Work.",
        ))
    } else {
        None
    }
}

/// L1 as a check.
pub fn tier_check(tier: Option<Tier>, lang: Lang) -> Check {
    match tier {
        Some(t) if licensed(Some(t)) => check(
            RuleId::L1,
            CheckStatus::Pass,
            lang.pick(
                "The tenant has the Platinum tier.",
                "O locatário tem o nível Platinum.",
            )
            .into(),
            None,
        ),
        Some(t) => check(
            RuleId::L1,
            CheckStatus::Block,
            match lang {
                Lang::En => format!(
                    "Help@Work needs the Platinum tier; the tenant has {}.",
                    t.as_str()
                ),
                Lang::PtBr => format!(
                    "O Help@Work requer o nível Platinum; o locatário tem {}.",
                    t.as_str()
                ),
            },
            Some(
                lang.pick(
                    "Upgrade the tenant's licence to Platinum.",
                    "Atualize a licença do locatário para Platinum.",
                )
                .into(),
            ),
        ),
        None => check(
            RuleId::L1,
            CheckStatus::Block,
            lang.pick(
                "The tenant's licence tier is not set.",
                "O nível de licença do locatário não está definido.",
            )
            .into(),
            Some(
                lang.pick(
                    "An admin sets it: helpatwork admin tier --set platinum.",
                    "Um administrador o define: helpatwork admin tier --set platinum.",
                )
                .into(),
            ),
        ),
    }
}

/// L1, A1/U1 and U3 as checks.
pub fn tenant_checks(facts: &TenantFacts, mode: Mode, lang: Lang) -> Vec<Check> {
    let mut out = vec![tier_check(facts.tier, lang)];
    let (en, pt) = match mode {
        Mode::Attended => ("Attended TeamViewer", "TeamViewer assistido"),
        Mode::Unattended => (
            "Unattended TeamViewer (Android only)",
            "TeamViewer autônomo (somente Android)",
        ),
    };
    let rule = if mode == Mode::Unattended {
        RuleId::U1
    } else {
        RuleId::A1
    };
    out.push(if facts.mode_active {
        check(rule, CheckStatus::Pass, match lang { Lang::En => format!("{en} is activated."), Lang::PtBr => format!("{pt} está ativado.") }, None)
    } else {
        check(
            rule,
            CheckStatus::Block,
            match lang { Lang::En => format!("{en} is not activated."), Lang::PtBr => format!("{pt} não está ativado.") },
            Some(match lang {
                Lang::En => format!("An admin activates it: Admin → Infrastructure → Help@Work → {en} → Activate now (helpatwork admin activate --mode {}).", mode.as_str()),
                Lang::PtBr => format!("Um administrador o ativa: Administrador → Infraestrutura → Help@Work → {pt} → Ativar agora (helpatwork admin activate --mode {}).", mode.as_str()),
            }),
        )
    });
    if mode == Mode::Unattended {
        out.push(if holds_unattended_licence(facts) {
            check(RuleId::U3, CheckStatus::Pass, lang.pick("The device holds an unattended licence (Host is distributed to it).", "O dispositivo tem uma licença autônoma (o Host foi distribuído para ele).").into(), None)
        } else {
            check(
                RuleId::U3,
                CheckStatus::Block,
                lang.pick("Host is not distributed to the device, so it holds no unattended licence.", "O Host não foi distribuído para o dispositivo; ele não tem licença autônoma.").into(),
                Some(lang.pick("Distribute Host to the device (helpatwork apps distribute host --device ID).", "Distribua o Host para o dispositivo (helpatwork apps distribute host --device ID).").into()),
            )
        });
    }
    out
}

/// U3: the device holds an unattended licence when Host is distributed to it.
pub fn holds_unattended_licence(facts: &TenantFacts) -> bool {
    facts.host_distributed
}

/// U3: a distribution that ends with `after` devices holding Host fits `purchased` licences.
pub fn licences_fit(purchased: u32, after: u32) -> bool {
    after <= purchased
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(tier: Option<Tier>, active: bool, host: bool) -> TenantFacts {
        TenantFacts {
            tier,
            mode_active: active,
            host_distributed: host,
        }
    }

    fn status(checks: &[Check], rule: &str) -> CheckStatus {
        checks.iter().find(|c| c.rule == rule).unwrap().status
    }

    #[test]
    fn l1_below_platinum_is_locked_with_the_reason() {
        for tier in [None, Some(Tier::Silver), Some(Tier::Gold)] {
            let c = tenant_checks(&facts(tier, true, true), Mode::Attended, Lang::En);
            assert_eq!(status(&c, "L1"), CheckStatus::Block, "{tier:?}");
        }
        assert_eq!(
            status(
                &tenant_checks(
                    &facts(Some(Tier::Platinum), true, true),
                    Mode::Attended,
                    Lang::En
                ),
                "L1"
            ),
            CheckStatus::Pass
        );
    }

    #[test]
    fn a1_the_mode_must_be_activated() {
        let c = tenant_checks(
            &facts(Some(Tier::Platinum), false, true),
            Mode::Attended,
            Lang::En,
        );
        assert_eq!(status(&c, "A1"), CheckStatus::Block);
        assert!(c[1].fix.as_deref().unwrap().contains("Activate now"));
    }

    #[test]
    fn u1_unattended_must_be_enabled_on_the_integration_page() {
        let c = tenant_checks(
            &facts(Some(Tier::Platinum), false, true),
            Mode::Unattended,
            Lang::En,
        );
        assert_eq!(status(&c, "U1"), CheckStatus::Block);
    }

    #[test]
    fn u3_unattended_needs_a_licence_held_by_the_device() {
        let c = tenant_checks(
            &facts(Some(Tier::Platinum), true, false),
            Mode::Unattended,
            Lang::En,
        );
        assert_eq!(status(&c, "U3"), CheckStatus::Block);
        assert!(!tenant_checks(
            &facts(Some(Tier::Platinum), true, false),
            Mode::Attended,
            Lang::En
        )
        .iter()
        .any(|c| c.rule == "U3"));
        assert!(licences_fit(10, 10));
        assert!(!licences_fit(10, 11));
    }
}
