//! Each applicable policy as preflight checks, and the verdict a start acts on. Every check
//! names its policy; a requirement not given yet (a preflight before the dialog is filled in)
//! warns with its fix, and blocks only when a start brings a wrong or missing value.

use chrono::{DateTime, Utc};

use super::group::{GroupFacts, Membership, UnknownFact};
use super::{CompiledPolicy, UnattendedRule};
use crate::device::Mode;
use crate::eligibility::{Check, CheckStatus};
use crate::facts::Ownership;
use crate::lang::Lang;
use crate::rules::RuleId;

/// What a preflight or a start knows besides the device's facts.
#[derive(Debug, Clone, Copy)]
pub struct PolicyInput<'a> {
    pub facts: GroupFacts<'a>,
    pub mode: Mode,
    /// `None`: not given yet (a preflight); `Some("")`: a start without one.
    pub reason: Option<&'a str>,
    pub ticket: Option<&'a str>,
    pub now: DateTime<Utc>,
    /// Unattended: the agent who approved this start, when an approval holds now.
    pub approved_by: Option<&'a str>,
}

/// What the applicable policies ask of a start, the strictest of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// The names of the policies whose group holds the device.
    pub policies: Vec<String>,
    pub reason_required: bool,
    /// The ticket patterns the reference must match (every one).
    pub ticket_patterns: Vec<String>,
    /// Attended on a personal device under a view-only policy.
    pub view_only: bool,
    /// Unattended under four eyes: the shortest approval time of the policies that ask for it.
    pub approval_minutes: Option<u32>,
    pub unattended_forbidden: bool,
}

fn applies(policy: &CompiledPolicy, facts: &GroupFacts<'_>) -> Membership {
    policy.policy.group.membership(facts)
}

/// The strictest of each requirement among the policies whose group holds the device.
pub fn verdict(policies: &[CompiledPolicy], input: &PolicyInput<'_>) -> Verdict {
    let mut v = Verdict::default();
    let mut unattended = UnattendedRule::Allowed;
    for p in policies
        .iter()
        .filter(|p| applies(p, &input.facts) == Membership::Member)
    {
        let rule = &p.policy;
        v.policies.push(rule.name.clone());
        v.reason_required |= rule.reason_required;
        if let Some(pattern) = &rule.ticket_pattern {
            v.ticket_patterns.push(pattern.clone());
        }
        v.view_only |= input.mode == Mode::Attended
            && rule.personal_view_only
            && input.facts.ownership == Some(Ownership::Employee);
        if input.mode == Mode::Unattended {
            if rule.unattended.strictness() > unattended.strictness() {
                unattended = rule.unattended;
            }
            if rule.unattended == UnattendedRule::Approval {
                v.approval_minutes = Some(
                    v.approval_minutes
                        .unwrap_or(u32::MAX)
                        .min(rule.approval_minutes.unwrap_or(u32::MAX)),
                );
            }
        }
    }
    v.unattended_forbidden = unattended == UnattendedRule::Forbidden;
    if v.unattended_forbidden {
        v.approval_minutes = None;
    }
    v
}

fn check(rule: RuleId, status: CheckStatus, message: String, fix: Option<&str>) -> Check {
    Check {
        rule,
        status,
        message,
        fix: fix.map(str::to_owned),
    }
}

/// Every applicable policy's checks, in the policies' order.
pub fn checks(policies: &[CompiledPolicy], input: &PolicyInput<'_>, lang: Lang) -> Vec<Check> {
    let mut out = Vec::new();
    for p in policies {
        match applies(p, &input.facts) {
            Membership::NotMember => {}
            Membership::Unknown(facts) => out.push(unknown_check(p, &facts, lang)),
            Membership::Member => policy_checks(p, input, lang, &mut out),
        }
    }
    out
}

fn unknown_check(p: &CompiledPolicy, facts: &[UnknownFact], lang: Lang) -> Check {
    let name = &p.policy.name;
    let which: Vec<&str> = facts.iter().map(|f| f.as_str()).collect();
    let which = which.join(", ");
    check(
        RuleId::PolicyGroup,
        CheckStatus::Warn,
        match lang {
            Lang::En => format!("Policy \"{name}\" is not applied: its group needs the device's {which}, which the source does not report."),
            Lang::PtBr => format!("A política \"{name}\" não é aplicada: o grupo dela precisa de {which} do dispositivo, que a origem não informa."),
        },
        Some(lang.pick(
            "Check the device in the MDM console; if it belongs to the group, follow the policy by hand.",
            "Verifique o dispositivo no console do MDM; se ele pertence ao grupo, siga a política manualmente.",
        )),
    )
}

fn policy_checks(p: &CompiledPolicy, input: &PolicyInput<'_>, lang: Lang, out: &mut Vec<Check>) {
    let rule = &p.policy;
    let name = &rule.name;
    let en_pt = |en: String, pt: String| match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    };
    if rule.reason_required {
        let given = input.reason.map(|r| !r.trim().is_empty());
        let (status, fix) = match given {
            Some(true) => (CheckStatus::Pass, None),
            Some(false) => (
                CheckStatus::Block,
                Some(lang.pick(
                    "Give the reason for the session.",
                    "Informe o motivo da sessão.",
                )),
            ),
            None => (
                CheckStatus::Warn,
                Some(lang.pick(
                    "Give the reason for the session when you start it.",
                    "Informe o motivo da sessão ao iniciá-la.",
                )),
            ),
        };
        out.push(check(
            RuleId::PolicyReason,
            status,
            en_pt(
                format!("Policy \"{name}\": a reason is required."),
                format!("Política \"{name}\": o motivo é obrigatório."),
            ),
            fix,
        ));
    }
    if let (Some(pattern), Some(re)) = (&rule.ticket_pattern, &p.ticket) {
        let ticket = input.ticket.map(str::trim);
        let (status, message) = match ticket {
            Some(t) if re.is_match(t) => (CheckStatus::Pass, en_pt(
                format!("Policy \"{name}\": ticket {t} matches {pattern}."),
                format!("Política \"{name}\": o chamado {t} corresponde a {pattern}."),
            )),
            Some(t) if !t.is_empty() => (CheckStatus::Block, en_pt(
                format!("Policy \"{name}\": ticket \"{t}\" does not match {pattern}."),
                format!("Política \"{name}\": o chamado \"{t}\" não corresponde a {pattern}."),
            )),
            given => (if given.is_some() { CheckStatus::Block } else { CheckStatus::Warn }, en_pt(
                format!("Policy \"{name}\": a ticket reference matching {pattern} is required."),
                format!("Política \"{name}\": é obrigatório um chamado que corresponda a {pattern}."),
            )),
        };
        let fix = (status != CheckStatus::Pass).then(|| match lang {
            Lang::En => {
                format!("Give the ticket reference (--ticket), the whole of it matching {pattern}.")
            }
            Lang::PtBr => format!(
                "Informe a referência do chamado (--ticket), inteira correspondendo a {pattern}."
            ),
        });
        out.push(Check {
            rule: RuleId::PolicyTicket,
            status,
            message,
            fix,
        });
    }
    if input.mode == Mode::Unattended {
        match rule.unattended {
            UnattendedRule::Allowed => {}
            UnattendedRule::Forbidden => out.push(check(
                RuleId::PolicyUnattended,
                CheckStatus::Block,
                en_pt(format!("Policy \"{name}\": unattended sessions are not allowed on this device."), format!("Política \"{name}\": sessões de acesso autônomo não são permitidas neste dispositivo.")),
                Some(lang.pick("Start an attended session with the device user, or ask an admin to change the policy.", "Inicie uma sessão assistida com o usuário do dispositivo ou peça a um administrador para mudar a política.")),
            )),
            UnattendedRule::Approval => {
                let minutes = rule.approval_minutes.unwrap_or_default();
                let c = match input.approved_by {
                    Some(by) => check(
                        RuleId::PolicyApproval,
                        CheckStatus::Pass,
                        en_pt(format!("Policy \"{name}\": approved by {by}."), format!("Política \"{name}\": aprovada por {by}.")),
                        None,
                    ),
                    None => check(
                        RuleId::PolicyApproval,
                        CheckStatus::Warn,
                        en_pt(
                            format!("Policy \"{name}\": an unattended start needs another agent's approval (valid {minutes} min); the start waits for it."),
                            format!("Política \"{name}\": um início autônomo precisa da aprovação de outro agente (válida por {minutes} min); o início aguarda por ela."),
                        ),
                        Some(lang.pick("Start it, then ask another signed-in agent to approve it: helpatwork approvals approve ID.", "Inicie-a e peça a outro agente conectado para aprová-la: helpatwork approvals approve ID.")),
                    ),
                };
                out.push(c);
            }
        }
    }
    if rule.personal_view_only && input.mode == Mode::Attended {
        match input.facts.ownership {
            Some(Ownership::Employee) => out.push(check(
                RuleId::PolicyViewOnly,
                CheckStatus::Warn,
                en_pt(format!("Policy \"{name}\": the device is personal (BYOD); the session is view only."), format!("Política \"{name}\": o dispositivo é pessoal (BYOD); a sessão é somente visualização.")),
                Some(lang.pick("Guide the device user through the steps; you can see but not control.", "Oriente o usuário do dispositivo nas etapas; você pode ver, mas não controlar.")),
            )),
            Some(Ownership::Company) => {}
            None => out.push(check(
                RuleId::PolicyViewOnly,
                CheckStatus::Warn,
                en_pt(format!("Policy \"{name}\": whether the device is personal is not reported; the session is not made view only."), format!("Política \"{name}\": não se sabe se o dispositivo é pessoal; a sessão não é limitada a visualização.")),
                Some(lang.pick("Ask the device user whether the device is theirs; if it is, only watch.", "Pergunte ao usuário se o dispositivo é dele; se for, apenas observe.")),
            )),
        }
    }
    if let (Some(hours), Some(compiled)) = (&rule.hours, &p.hours) {
        let when = hours.describe();
        let ok = compiled.allows(input.now);
        out.push(check(
            RuleId::PolicyHours,
            if ok { CheckStatus::Pass } else { CheckStatus::Block },
            match (ok, lang) {
                (true, Lang::En) => format!("Policy \"{name}\": within the allowed hours ({when})."),
                (true, Lang::PtBr) => format!("Política \"{name}\": dentro do horário permitido ({when})."),
                (false, Lang::En) => format!("Policy \"{name}\": outside the allowed hours ({when})."),
                (false, Lang::PtBr) => format!("Política \"{name}\": fora do horário permitido ({when})."),
            },
            (!ok).then(|| lang.pick("Start the session within the allowed hours, or ask an admin to change the policy.", "Inicie a sessão dentro do horário permitido ou peça a um administrador para mudar a política.")),
        ));
    }
}
