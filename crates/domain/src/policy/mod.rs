//! Support policies per device group: what a start on a device of the group must bring or may
//! do (a reason, a ticket reference matching a pattern, unattended allowed / forbidden / only
//! with a second agent's approval, view only on personal devices, allowed hours).
//!
//! - [`group`]: the group, a rule on the device's facts (unknown is never a match);
//! - [`hours`]: days and time ranges in a named time zone;
//! - [`checks`]: each applicable policy as preflight checks (`policy.reason`, `policy.ticket`,
//!   `policy.unattended`, `policy.approval`, `policy.view_only`, `policy.hours`,
//!   `policy.group`) and the [`Verdict`] a start acts on.
//!
//! **Several policies can match a device: the strictest wins.** Every applicable policy's checks
//! are evaluated, so every requirement applies: a reason when any asks for one; the ticket must
//! match every pattern; the start must fall within every policy's hours; unattended forbidden
//! by any is forbidden, else approval by any is needed (the shortest approval time); view only
//! on a personal device when any asks for it.

pub mod approval;
pub mod checks;
pub mod group;
pub mod hours;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lang::Lang;

pub use approval::{may_decide, AgentIdentity, ApprovalState, DecideRefusal};
pub use checks::{checks, verdict, PolicyInput, Verdict};
pub use group::{glob_matches, DeviceGroup, GroupFacts, Membership, OwnershipRule, UnknownFact};
pub use hours::{CompiledHours, Day, Hours, HoursError, HoursWindow};

/// The longest policy name, ticket pattern, label or name pattern.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_PATTERN_CHARS: usize = 200;
/// The approval time: from 1 minute to 24 hours.
pub const MAX_APPROVAL_MINUTES: u32 = 24 * 60;
/// The longest ticket reference a start records.
pub const MAX_TICKET_CHARS: usize = 100;

/// Unattended sessions on the group's devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UnattendedRule {
    #[default]
    Allowed,
    Forbidden,
    /// Only once another agent approved the start (four eyes).
    Approval,
}

impl UnattendedRule {
    /// Stricter first: forbidden, approval, allowed.
    fn strictness(self) -> u8 {
        match self {
            UnattendedRule::Allowed => 0,
            UnattendedRule::Approval => 1,
            UnattendedRule::Forbidden => 2,
        }
    }
}

/// A support policy, as an admin writes it (JSON or TOML, the window's editor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Policy {
    /// Its unique name (the key the CLI and the checks use).
    pub name: String,
    #[serde(default)]
    pub group: DeviceGroup,
    #[serde(default)]
    pub reason_required: bool,
    /// A regular expression the whole ticket reference must match (`INC\d{7}`); set: a ticket
    /// reference is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ticket_pattern: Option<String>,
    #[serde(default)]
    pub unattended: UnattendedRule,
    /// With `unattended: approval`: how long an approval lets the start go on, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approval_minutes: Option<u32>,
    /// Attended sessions on the group's personal (BYOD) devices are view only.
    #[serde(default)]
    pub personal_view_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hours: Option<Hours>,
}

/// A policy checked and ready: its ticket pattern compiled (anchored), its hours' zone found.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    pub policy: Policy,
    pub ticket: Option<Regex>,
    pub hours: Option<CompiledHours>,
}

/// What is wrong with a policy, with words and a fix in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    Name,
    Text { field: &'static str },
    TicketPattern(String),
    ApprovalMinutes,
    ApprovalWithoutFourEyes,
    Hours(HoursError),
}

impl PolicyError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PolicyError::Name, Lang::En) => format!("The policy name must be 1 to {MAX_NAME_CHARS} characters, without control characters."),
            (PolicyError::Name, Lang::PtBr) => format!("O nome da política deve ter de 1 a {MAX_NAME_CHARS} caracteres, sem caracteres de controle."),
            (PolicyError::Text { field }, Lang::En) => format!("\"{field}\" must be 1 to {MAX_PATTERN_CHARS} characters, without control characters."),
            (PolicyError::Text { field }, Lang::PtBr) => format!("\"{field}\" deve ter de 1 a {MAX_PATTERN_CHARS} caracteres, sem caracteres de controle."),
            (PolicyError::TicketPattern(e), Lang::En) => format!("The ticket pattern is not a valid regular expression: {e}"),
            (PolicyError::TicketPattern(e), Lang::PtBr) => format!("O padrão do chamado não é uma expressão regular válida: {e}"),
            (PolicyError::ApprovalMinutes, Lang::En) => format!("Unattended with approval needs approval_minutes from 1 to {MAX_APPROVAL_MINUTES}."),
            (PolicyError::ApprovalMinutes, Lang::PtBr) => format!("Acesso autônomo com aprovação exige approval_minutes de 1 a {MAX_APPROVAL_MINUTES}."),
            (PolicyError::ApprovalWithoutFourEyes, Lang::En) => "approval_minutes is set but unattended is not \"approval\".".into(),
            (PolicyError::ApprovalWithoutFourEyes, Lang::PtBr) => "approval_minutes foi definido, mas unattended não é \"approval\".".into(),
            (PolicyError::Hours(h), lang) => hours_message(h, lang),
        }
    }

    pub fn fix(&self, lang: Lang) -> &'static str {
        match self {
            PolicyError::Name | PolicyError::Text { .. } => lang.pick("Shorten the text and remove control characters.", "Encurte o texto e remova caracteres de controle."),
            PolicyError::TicketPattern(_) => lang.pick("Write the pattern as a Rust regular expression, e.g. INC\\d{7}; it must match the whole reference.", "Escreva o padrão como expressão regular do Rust, por exemplo INC\\d{7}; ele deve casar com a referência inteira."),
            PolicyError::ApprovalMinutes => lang.pick("Set approval_minutes, e.g. 30.", "Defina approval_minutes, por exemplo 30."),
            PolicyError::ApprovalWithoutFourEyes => lang.pick("Set unattended to \"approval\" or remove approval_minutes.", "Defina unattended como \"approval\" ou remova approval_minutes."),
            PolicyError::Hours(HoursError::TimeZone(_)) => lang.pick("Use an IANA time zone name, e.g. America/Sao_Paulo or UTC.", "Use um nome de fuso IANA, por exemplo America/Sao_Paulo ou UTC."),
            PolicyError::Hours(_) => lang.pick("Give each range days (mon…sun) and times HH:MM with from before to.", "Dê a cada intervalo dias (mon…sun) e horários HH:MM com from antes de to."),
        }
    }
}

fn hours_message(error: &HoursError, lang: Lang) -> String {
    match (error, lang) {
        (HoursError::TimeZone(z), Lang::En) => format!("\"{z}\" is not a known time zone."),
        (HoursError::TimeZone(z), Lang::PtBr) => {
            format!("\"{z}\" não é um fuso horário conhecido.")
        }
        (HoursError::NoWindows, Lang::En) => "The allowed hours have no time range.".into(),
        (HoursError::NoWindows, Lang::PtBr) => "O horário permitido não tem intervalo.".into(),
        (HoursError::NoDays(i), Lang::En) => format!("Time range {i} has no days."),
        (HoursError::NoDays(i), Lang::PtBr) => format!("O intervalo {i} não tem dias."),
        (HoursError::Time(t), Lang::En) => format!("\"{t}\" is not a time HH:MM."),
        (HoursError::Time(t), Lang::PtBr) => format!("\"{t}\" não é um horário HH:MM."),
        (HoursError::Empty(i), Lang::En) => format!("Time range {i} ends before it starts."),
        (HoursError::Empty(i), Lang::PtBr) => format!("O intervalo {i} termina antes de começar."),
    }
}

fn text_ok(text: &str, max: usize) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().count() <= max && !t.chars().any(char::is_control)
}

/// A ticket pattern compiled so it must match the whole reference: `^(?:pattern)$`.
pub fn compile_ticket_pattern(pattern: &str) -> Result<Regex, PolicyError> {
    if !text_ok(pattern, MAX_PATTERN_CHARS) {
        return Err(PolicyError::Text {
            field: "ticket_pattern",
        });
    }
    regex::RegexBuilder::new(&format!("^(?:{})$", pattern.trim()))
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            PolicyError::TicketPattern(e.to_string().lines().last().unwrap_or("").trim().into())
        })
}

impl Policy {
    /// Validates the policy (as saved, and as read back) and compiles its patterns.
    pub fn compile(&self) -> Result<CompiledPolicy, PolicyError> {
        if !text_ok(&self.name, MAX_NAME_CHARS) {
            return Err(PolicyError::Name);
        }
        if let Some(label) = &self.group.label {
            if !text_ok(label, MAX_NAME_CHARS) {
                return Err(PolicyError::Text { field: "label" });
            }
        }
        if let Some(name) = &self.group.name {
            if !text_ok(name, MAX_PATTERN_CHARS) {
                return Err(PolicyError::Text { field: "name" });
            }
        }
        let ticket = self
            .ticket_pattern
            .as_deref()
            .map(compile_ticket_pattern)
            .transpose()?;
        match (self.unattended, self.approval_minutes) {
            (UnattendedRule::Approval, Some(m)) if (1..=MAX_APPROVAL_MINUTES).contains(&m) => {}
            (UnattendedRule::Approval, _) => return Err(PolicyError::ApprovalMinutes),
            (_, Some(_)) => return Err(PolicyError::ApprovalWithoutFourEyes),
            (_, None) => {}
        }
        let hours = self
            .hours
            .as_ref()
            .map(Hours::compile)
            .transpose()
            .map_err(PolicyError::Hours)?;
        Ok(CompiledPolicy {
            policy: Policy {
                name: self.name.trim().to_owned(),
                ..self.clone()
            },
            ticket,
            hours,
        })
    }
}

/// A ticket reference longer than [`MAX_TICKET_CHARS`] or with control characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTicket;

/// A ticket reference as a start records it: trimmed, at most [`MAX_TICKET_CHARS`], without
/// control characters; empty is none.
pub fn clean_ticket(ticket: Option<&str>) -> Result<Option<String>, InvalidTicket> {
    match ticket.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() <= MAX_TICKET_CHARS && !t.chars().any(char::is_control) => {
            Ok(Some(t.to_owned()))
        }
        Some(_) => Err(InvalidTicket),
    }
}

#[cfg(test)]
mod tests;
