//! `audit verify`: walks the audit trail's hash chain (the store's `chain`) and says, in the
//! context's language, how far it holds and where it first breaks, with what to do then.
//! docs/audit.md, "Tamper-evident trail".

use helpatwork_domain::Lang;
use helpatwork_store::{BreakKind, ChainPoint, ChainVerification};

use crate::context::AppContext;
use crate::dto::{AuditBreakKind, AuditChainBreak, AuditChainEvent, AuditVerification};
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

/// Walks the chain (a page at a time) and reports it; a broken chain is a finding, not an
/// error (the window shows it). [`into_result`] makes it the CLI's error.
pub async fn verify(ctx: &AppContext) -> Result<AuditVerification> {
    let found = ctx.store.verify_audit_chain().await?;
    Ok(report(&found, ctx.lang))
}

/// The verification as a command's outcome: `Err` with code `tampered` (exit 8), the message,
/// the fix and the verification as details when the chain is broken.
pub fn into_result(v: AuditVerification) -> Result<AuditVerification> {
    if v.intact {
        return Ok(v);
    }
    let mut e = AppError::new(ErrorCode::Tampered, v.message.clone());
    if let Some(fix) = &v.fix {
        e = e.with_fix(fix.clone());
    }
    Err(e.with_details(ErrorDetails::AuditChain(Box::new(v))))
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn event(p: &ChainPoint) -> AuditChainEvent {
    AuditChainEvent {
        seq: p.seq.map(count),
        id: p.id.clone(),
        at: p.at.clone(),
        action: p.action.clone(),
        hash: p.hash.clone(),
    }
}

/// `event 0193… (#12, session.start, 2026-12-06T17:00:00.000Z)`
fn name(e: &AuditChainEvent, lang: Lang) -> String {
    let word = lang.pick("event", "evento");
    match e.seq {
        Some(seq) => format!("{word} {} (#{seq}, {}, {})", e.id, e.action, e.at),
        None => format!("{word} {} ({}, {})", e.id, e.action, e.at),
    }
}

/// The report of a walk, in `lang`.
pub fn report(found: &ChainVerification, lang: Lang) -> AuditVerification {
    let verified_up_to = found.verified_up_to.as_ref().map(event);
    let broken = found.broken.as_ref().map(|b| AuditChainBreak {
        kind: match b.kind {
            BreakKind::Edited => AuditBreakKind::Edited,
            BreakKind::Deleted => AuditBreakKind::Deleted,
            BreakKind::Reordered => AuditBreakKind::Reordered,
            BreakKind::TailCut => AuditBreakKind::TailCut,
            BreakKind::BeyondHead => AuditBreakKind::BeyondHead,
            BreakKind::Unchained => AuditBreakKind::Unchained,
        },
        seq: b.seq.map(count),
        event: b.event.as_ref().map(event),
        expected: b.expected.clone(),
        found: b.found.clone(),
        description: String::new(),
    });
    let broken = broken.map(|mut b| {
        b.description = capitalised(&what_broke(&b, found.head_seq, lang));
        b
    });
    let verified = u32::try_from(found.verified).unwrap_or(u32::MAX);
    let upto = match &verified_up_to {
        Some(e) => match lang {
            Lang::En => format!("Verified up to {} ({verified} events).", name(e, lang)),
            Lang::PtBr => format!("Verificada até o {} ({verified} eventos).", name(e, lang)),
        },
        None => lang
            .pick(
                "No event could be verified.",
                "Nenhum evento pôde ser verificado.",
            )
            .to_string(),
    };
    let (message, fix) = match &broken {
        None if verified == 0 => (
            lang.pick(
                "The audit trail is empty: nothing to verify.",
                "A trilha de auditoria está vazia: nada a verificar.",
            )
            .to_string(),
            None,
        ),
        None => (
            format!(
                "{} {upto}",
                lang.pick(
                    "The audit trail is intact.",
                    "A trilha de auditoria está íntegra."
                )
            ),
            None,
        ),
        Some(b) => (
            format!(
                "{} {} {upto}",
                lang.pick(
                    "The audit trail was tampered with.",
                    "A trilha de auditoria foi adulterada."
                ),
                b.description
            ),
            Some(
                lang.pick(
                    "Keep the database and this report as they are, compare the trail with a backup or an earlier export (docs/audit.md, \"Verifying an export\") to see what changed, and find out who could write to the database.",
                    "Guarde o banco de dados e este relatório como estão, compare a trilha com um backup ou uma exportação anterior (docs/audit.md, \"Verifying an export\") para ver o que mudou, e descubra quem podia gravar no banco de dados.",
                )
                .to_string(),
            ),
        ),
    };
    AuditVerification {
        intact: broken.is_none(),
        verified,
        verified_up_to,
        head_seq: count(found.head_seq),
        broken,
        message,
        fix,
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence: which event, and what differs.
fn what_broke(b: &AuditChainBreak, head: i64, lang: Lang) -> String {
    let seq = b.seq.unwrap_or_default();
    let pick = |en: String, pt: String| match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    };
    let ev = b.event.as_ref().map(|e| name(e, lang)).unwrap_or_default();
    match b.kind {
        AuditBreakKind::Edited => pick(
            format!("{ev} was changed after it was written (its stored fields no longer give its {}).", b.expected),
            format!("o {ev} foi alterado depois de gravado (seus campos guardados não dão mais o seu {}).", b.expected),
        ),
        AuditBreakKind::Deleted => pick(
            format!("events are missing before {ev}: the chain expects position {seq} there (events were deleted)."),
            format!("faltam eventos antes do {ev}: a cadeia espera a posição {seq} ali (eventos foram apagados)."),
        ),
        AuditBreakKind::Reordered => pick(
            format!("{ev} does not follow the event before it (expected {}, found {}): events were reordered, or the event before it was replaced.", b.expected, b.found),
            format!("o {ev} não segue o evento anterior (esperado {}, encontrado {}): eventos foram reordenados, ou o evento anterior foi substituído.", b.expected, b.found),
        ),
        AuditBreakKind::TailCut if b.event.is_some() => pick(
            format!("the last event, {ev}, is not the one written last ({}, {}): it was replaced.", b.expected, b.found),
            format!("o último evento, {ev}, não é o último gravado ({}, {}): foi substituído.", b.expected, b.found),
        ),
        AuditBreakKind::TailCut => pick(
            format!("the trail ends at position {}, but {head} events were written: the last events were deleted.", seq.saturating_sub(1)),
            format!("a trilha termina na posição {}, mas {head} eventos foram gravados: os últimos eventos foram apagados.", seq.saturating_sub(1)),
        ),
        AuditBreakKind::BeyondHead => pick(
            format!("{ev} lies past the last event Help@Work wrote: it was added to the database directly."),
            format!("o {ev} está depois do último evento gravado pelo Help@Work: foi inserido diretamente no banco de dados."),
        ),
        AuditBreakKind::Unchained => pick(
            format!("{ev} has no place in the chain: it was added to the database directly."),
            format!("o {ev} não tem lugar na cadeia: foi inserido diretamente no banco de dados."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpatwork_store::ChainBreak;

    fn point(seq: i64) -> ChainPoint {
        ChainPoint {
            seq: Some(seq),
            id: format!("ev-{seq}"),
            at: "2026-12-06T17:00:00.000Z".into(),
            action: "session.start".into(),
            hash: Some("ab".repeat(32)),
        }
    }

    #[test]
    fn an_intact_chain_says_how_far_it_was_verified() {
        let found = ChainVerification {
            verified: 3,
            verified_up_to: Some(point(3)),
            head_seq: 3,
            broken: None,
        };
        let v = report(&found, Lang::En);
        assert!(v.intact);
        assert_eq!(v.fix, None);
        assert!(
            v.message
                .contains("Verified up to event ev-3 (#3, session.start"),
            "{}",
            v.message
        );
        assert!(into_result(v).is_ok());
        let pt = report(&found, Lang::PtBr);
        assert!(
            pt.message.contains("Verificada até o evento ev-3"),
            "{}",
            pt.message
        );
    }

    #[test]
    fn a_broken_chain_names_the_event_and_exits_8_with_a_fix() {
        let found = ChainVerification {
            verified: 2,
            verified_up_to: Some(point(2)),
            head_seq: 5,
            broken: Some(ChainBreak {
                kind: BreakKind::Edited,
                seq: Some(3),
                event: Some(point(3)),
                expected: "hash aa".into(),
                found: "hash bb".into(),
            }),
        };
        for lang in [Lang::En, Lang::PtBr] {
            let v = report(&found, lang);
            assert!(!v.intact);
            assert!(v.message.contains("ev-3"), "{}", v.message);
            let e = into_result(v).unwrap_err();
            assert_eq!(e.code.exit_code(), 8);
            assert!(e.fix.is_some());
            assert!(matches!(
                e.details.as_deref(),
                Some(ErrorDetails::AuditChain(_))
            ));
        }
    }
}
