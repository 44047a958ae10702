//! `doctor`'s sync check: when the configured MDM was last synced and how it went. The devices
//! every agent sees are only as fresh as the last sync, so a sync that never ran, failed, or is
//! long overdue is a warning with the command that fixes it. The embedded fleet is not synced
//! and gets no check.

use chrono::{DateTime, Duration, Utc};
use helpatwork_domain::{CheckStatus, Lang};

use crate::dto::DoctorCheck;
use crate::sync_plan::SyncStatus;

/// A sync older than this many schedule intervals is overdue (a missed run or two is not).
const OVERDUE_INTERVALS: i64 = 3;

/// The check for `status` at `now`; `None` for the embedded fleet.
pub fn check(status: &SyncStatus, now: DateTime<Utc>, lang: Lang) -> Option<DoctorCheck> {
    if !status.syncable {
        return None;
    }
    let sync_now = lang.pick(
        "Run `helpatwork devices sync` (or keep the window open: it syncs on its schedule).",
        "Execute `helpatwork devices sync` (ou mantenha a janela aberta: ela sincroniza conforme o agendamento).",
    );
    let warn = |message: String, fix: &str| DoctorCheck {
        rule: "sync".to_owned(),
        status: CheckStatus::Warn,
        message,
        fix: Some(fix.to_owned()),
    };
    let Some(last) = status.last_run_at.as_deref() else {
        return Some(warn(
            format!(
                "{} {}.",
                lang.pick("No sync with", "Nenhuma sincronização com"),
                status.connector
            ) + lang.pick(
                " has run yet: the device list is empty or imported.",
                " foi executada ainda: a lista de dispositivos está vazia ou importada.",
            ),
            sync_now,
        ));
    };
    let summary = format!(
        "{} {} {last} ({}, {} {})",
        lang.pick("Last sync with", "Última sincronização com"),
        status.connector,
        status.last_mode.as_deref().unwrap_or("-"),
        status.last_devices,
        lang.pick("devices", "dispositivos"),
    );
    if status.last_outcome.as_deref() == Some("failed") {
        return Some(warn(
            format!(
                "{summary}: {} {}",
                lang.pick("failed:", "falhou:"),
                status.last_error.as_deref().unwrap_or("-")
            ),
            lang.pick(
                "Fix the error above, then run `helpatwork devices sync`; `helpatwork settings test mdm` checks the connection.",
                "Corrija o erro acima e execute `helpatwork devices sync`; `helpatwork settings test mdm` verifica a conexão.",
            ),
        ));
    }
    let overdue_after = overdue_after(status.every_minutes);
    let age = DateTime::parse_from_rfc3339(last)
        .ok()
        .map(|t| now - t.with_timezone(&Utc));
    if let Some(age) = age.filter(|age| *age > overdue_after) {
        return Some(warn(
            format!(
                "{summary}: {} {} h.",
                lang.pick("no sync for", "sem sincronização há"),
                age.num_hours()
            ),
            sync_now,
        ));
    }
    if status.last_outcome.as_deref() == Some("cancelled") {
        return Some(warn(
            format!(
                "{summary}: {}",
                lang.pick(
                    "cancelled; devices it did not reach keep their older facts.",
                    "cancelada; os dispositivos que ela não alcançou mantêm os dados anteriores."
                )
            ),
            sync_now,
        ));
    }
    Some(DoctorCheck {
        rule: "sync".to_owned(),
        status: CheckStatus::Pass,
        message: format!("{summary}: ok."),
        fix: None,
    })
}

/// How old the last sync may be: three intervals of the background schedule (at least an
/// hour), or a day when the schedule is off (`every_minutes` 0: syncs are run by hand or by a
/// service).
fn overdue_after(every_minutes: u32) -> Duration {
    if every_minutes == 0 {
        return Duration::hours(24);
    }
    (Duration::minutes(i64::from(every_minutes)) * OVERDUE_INTERVALS as i32).max(Duration::hours(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(last: Option<&str>, outcome: &str, every: u32) -> SyncStatus {
        SyncStatus {
            connector: "ivanti".into(),
            syncable: true,
            last_run_at: last.map(str::to_owned),
            last_mode: Some("incremental".into()),
            last_outcome: Some(outcome.into()),
            last_error: (outcome == "failed").then(|| "HTTP 401".to_owned()),
            last_devices: 12,
            watermark: None,
            last_full_at: None,
            next_full: false,
            every_minutes: every,
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-12-07T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_embedded_fleet_gets_no_sync_check() {
        let mut s = status(None, "ok", 15);
        s.syncable = false;
        assert!(check(&s, now(), Lang::En).is_none());
    }

    #[test]
    fn never_failed_overdue_and_cancelled_syncs_warn_with_a_fix() {
        for (s, needle) in [
            (status(None, "ok", 15), "No sync with ivanti"),
            (
                status(Some("2026-12-07T11:50:00Z"), "failed", 15),
                "HTTP 401",
            ),
            (
                status(Some("2026-12-07T10:30:00Z"), "ok", 15),
                "no sync for 1 h",
            ),
            (
                status(Some("2026-12-06T11:00:00Z"), "ok", 0),
                "no sync for 25 h",
            ),
            (
                status(Some("2026-12-07T11:50:00Z"), "cancelled", 15),
                "cancelled",
            ),
        ] {
            let c = check(&s, now(), Lang::En).unwrap();
            assert_eq!(c.status, CheckStatus::Warn, "{c:?}");
            assert!(c.message.contains(needle), "{needle}: {c:?}");
            assert!(c.fix.is_some(), "{c:?}");
            let pt = check(&s, now(), Lang::PtBr).unwrap();
            assert_ne!(pt.message, c.message);
            assert_ne!(pt.fix, c.fix);
        }
    }

    #[test]
    fn a_recent_sync_passes_within_its_schedule() {
        // 15-minute schedule: overdue after an hour; off: after a day.
        for (last, every) in [
            ("2026-12-07T11:05:00Z", 15),
            ("2026-12-06T13:00:00Z", 0),
            ("2026-12-07T06:00:00Z", 120),
        ] {
            let c = check(&status(Some(last), "ok", every), now(), Lang::En).unwrap();
            assert_eq!(c.status, CheckStatus::Pass, "{c:?}");
            assert!(c.message.contains("12 devices"), "{c:?}");
        }
    }
}
