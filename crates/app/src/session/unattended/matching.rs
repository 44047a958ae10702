//! Matching each MDM device to its TeamViewer device: by the alias Help@Work writes into Host's
//! assignment configuration, else by a match the admin confirms; and the Host's state as
//! TeamViewer reports it.

use std::collections::HashSet;

use helpatwork_domain::{Device, Lang};
use helpatwork_store::HostLinkRecord;
use helpatwork_teamviewer::{DeviceQuery, RemoteControlId, TeamViewerClient};

use super::{device, event, signed_in, READ_BUDGET};
use crate::context::AppContext;
pub use crate::dto::{HostCandidate, HostStatus};
use crate::error::{AppError, ErrorCode, Result};

/// How an alias carries the MDM's device id: `<device name> [hw:<device id>]`.
const ALIAS_MARK: &str = "[hw:";
/// The alias Help@Work writes into Host's assignment configuration for a device.
pub fn alias_for(device: &Device) -> String {
    let name: String = device.name.chars().take(60).collect();
    format!("{} {ALIAS_MARK}{}]", name.trim(), device.id)
}

/// The MDM device id an alias carries, if it was written by Help@Work.
pub fn device_id_in_alias(alias: &str) -> Option<&str> {
    let start = alias.rfind(ALIAS_MARK)? + ALIAS_MARK.len();
    let id = alias[start..].strip_suffix(']')?;
    (!id.is_empty() && !id.contains(char::is_whitespace)).then_some(id)
}

impl HostStatus {
    fn new(device: &Device, link: Option<&HostLinkRecord>, candidates: Vec<HostCandidate>) -> Self {
        let id = link.and_then(|l| RemoteControlId::parse(&l.remotecontrol_id).ok());
        Self {
            device_id: device.id.clone(),
            expected_alias: alias_for(device),
            matched: link.is_some(),
            remotecontrol_id: id.as_ref().map(|i| i.as_str().to_owned()),
            teamviewer_id: id.as_ref().map(|i| i.teamviewer_id().to_owned()),
            alias: link.map(|l| l.alias.clone()),
            matched_by: link.map(|l| l.matched_by.clone()),
            confirmed_by: link.and_then(|l| l.confirmed_by.clone()),
            assigned: link.is_some_and(|l| l.assigned),
            online_state: link.map(|l| l.online_state.clone()),
            last_seen: link.and_then(|l| l.last_seen).map(crate::dto::rfc3339),
            checked_at: link.map(|l| crate::dto::rfc3339(l.checked_at)),
            candidates,
            note: None,
        }
    }
}
fn link_record(
    device_id: &str,
    tv: &helpatwork_teamviewer::Device,
    matched_by: &str,
    confirmed_by: Option<String>,
    matched_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> HostLinkRecord {
    HostLinkRecord {
        device_id: device_id.to_owned(),
        remotecontrol_id: tv.remotecontrol_id.as_str().to_owned(),
        teamviewer_device_id: tv.device_id.clone(),
        alias: tv.alias.clone(),
        matched_by: matched_by.to_owned(),
        confirmed_by,
        matched_at,
        assigned: tv.assigned_to,
        online_state: tv.online_state.as_str().to_owned(),
        last_seen: tv.last_seen,
        remote_control: tv.supports_remote_control(),
        checked_at: now,
    }
}
/// Matches the device against the account's device list (as just read) and records the outcome.
async fn apply(
    ctx: &AppContext,
    device: &Device,
    listed: &[helpatwork_teamviewer::Device],
) -> Result<HostStatus> {
    let now = ctx.clock.now();
    let stored = ctx.store.host_link(&device.id).await?;
    // 1. The alias Help@Work wrote into Host's assignment configuration.
    if let Some(tv) = listed
        .iter()
        .find(|d| device_id_in_alias(&d.alias) == Some(device.id.as_str()))
    {
        let same = stored.as_ref().filter(|s| {
            s.remotecontrol_id == tv.remotecontrol_id.as_str() && s.matched_by == "alias"
        });
        let record = link_record(
            &device.id,
            tv,
            "alias",
            None,
            same.map_or(now, |s| s.matched_at),
            now,
        );
        if same.is_some() {
            ctx.store.update_host_state(&record).await?;
        } else {
            let detail = serde_json::json!({"remotecontrol_id": record.remotecontrol_id, "by": "alias", "alias": record.alias});
            ctx.store
                .save_host_link(
                    &record,
                    Some(event(ctx, "host.matched", &device.id, detail)),
                )
                .await?;
        }
        return Ok(HostStatus::new(device, Some(&record), Vec::new()));
    }
    // 2. A match the admin confirmed, still in the list.
    if let Some(stored) = stored {
        if let Some(tv) = listed
            .iter()
            .find(|d| d.remotecontrol_id.as_str() == stored.remotecontrol_id)
        {
            let record = link_record(
                &device.id,
                tv,
                &stored.matched_by,
                stored.confirmed_by.clone(),
                stored.matched_at,
                now,
            );
            ctx.store.update_host_state(&record).await?;
            return Ok(HostStatus::new(device, Some(&record), Vec::new()));
        }
        let detail = serde_json::json!({"remotecontrol_id": stored.remotecontrol_id, "reason": "no longer in the TeamViewer account's device list"});
        ctx.store
            .remove_host_link(
                &device.id,
                now,
                event(ctx, "host.unmatched", &device.id, detail),
            )
            .await?;
    }
    // 3. Candidates for the admin to confirm: assigned, not Help@Work's alias, not matched yet,
    // and naming the device, its user or its id.
    let taken: HashSet<String> = ctx
        .store
        .host_links()
        .await?
        .into_iter()
        .map(|l| l.remotecontrol_id)
        .collect();
    let wanted = [
        device.name.to_lowercase(),
        device.user.name.to_lowercase(),
        device.id.to_lowercase(),
    ];
    let candidates = listed
        .iter()
        .filter(|d| d.assigned_to && device_id_in_alias(&d.alias).is_none())
        .filter(|d| !taken.contains(d.remotecontrol_id.as_str()))
        .filter(|d| {
            let alias = d.alias.to_lowercase();
            wanted
                .iter()
                .any(|w| !w.trim().is_empty() && alias.contains(w.as_str()))
        })
        .take(5)
        .map(|d| HostCandidate {
            remotecontrol_id: d.remotecontrol_id.as_str().to_owned(),
            alias: d.alias.clone(),
            online_state: d.online_state.as_str().to_owned(),
        })
        .collect();
    Ok(HostStatus::new(device, None, candidates))
}

/// Reads the account's devices from TeamViewer and matches this one.
pub(super) async fn refresh_with(
    ctx: &AppContext,
    client: &TeamViewerClient,
    device: &Device,
) -> Result<HostStatus> {
    let listed = client.list_devices(&DeviceQuery::default()).await?;
    apply(ctx, device, &listed).await
}

/// The match and state as last read, without asking TeamViewer (Android devices only).
pub async fn stored_status(ctx: &AppContext, device: &Device) -> Result<Option<HostStatus>> {
    if device.platform != helpatwork_domain::Platform::Android {
        return Ok(None);
    }
    let link = ctx.store.host_link(&device.id).await?;
    Ok(Some(HostStatus::new(device, link.as_ref(), Vec::new())))
}

/// The device's Host read from TeamViewer now (`devices show`, the device panel). Without a
/// sign-in, or when TeamViewer cannot be asked, the last read with a note saying why.
pub async fn status(ctx: &AppContext, device_id: &str) -> Result<HostStatus> {
    let device = device(ctx, device_id).await?;
    if device.platform != helpatwork_domain::Platform::Android {
        return Err(AppError::invalid(ctx.lang.pick(
            "TeamViewer Host and unattended mode exist for Android only (U1).",
            "O TeamViewer Host e o modo autônomo existem apenas para Android (U1).",
        ))
        .with_fix(ctx.lang.pick(
            "Use attended mode for this device.",
            "Use o modo assistido para este dispositivo.",
        )));
    }
    let stale = |note: String| async {
        let link = ctx.store.host_link(&device.id).await?;
        let mut status = HostStatus::new(&device, link.as_ref(), Vec::new());
        status.note = Some(note);
        Ok::<_, AppError>(status)
    };
    let Some(client) = signed_in(ctx).await else {
        return stale(
            ctx.lang
                .pick(
                    "Not signed in to TeamViewer: sign in to read Host's state.",
                    "Sem sessão no TeamViewer: entre para ler o estado do Host.",
                )
                .to_owned(),
        )
        .await;
    };
    match tokio::time::timeout(READ_BUDGET, refresh_with(ctx, client, &device)).await {
        Ok(Ok(status)) => Ok(status),
        Ok(Err(e)) => stale(e.message).await,
        Err(_) => {
            stale(
                ctx.lang
                    .pick(
                        "TeamViewer did not answer in time: the state shown is the last read.",
                        "O TeamViewer não respondeu a tempo: o estado mostrado é a última leitura.",
                    )
                    .to_owned(),
            )
            .await
        }
    }
}

/// The admin confirms that `remotecontrol_id` (an assigned device of the account) is this MDM
/// device: the fallback when Host carries no Help@Work alias. Audited `host.match_confirmed`.
pub async fn confirm_match(
    ctx: &AppContext,
    device_id: &str,
    remotecontrol_id: &str,
) -> Result<HostStatus> {
    let lang = ctx.lang;
    let device = device(ctx, device_id).await?;
    let wanted = RemoteControlId::parse(remotecontrol_id.trim()).map_err(|_| {
        AppError::invalid(lang.pick(
            "A TeamViewer device is named by its remote control id, r followed by its TeamViewer ID (e.g. r123456789).",
            "Um dispositivo do TeamViewer é indicado pelo id de controle remoto: r seguido do ID do TeamViewer (ex.: r123456789).",
        ))
        .with_fix(lang.pick(
            "Copy it from the candidates `helpatwork devices show DEVICE` lists.",
            "Copie-o dos candidatos listados por `helpatwork devices show DISPOSITIVO`.",
        ))
    })?;
    let client = ctx.teamviewer.client()?;
    let listed = client
        .list_devices(&DeviceQuery {
            remotecontrol_id: Some(wanted.clone()),
            ..DeviceQuery::default()
        })
        .await?;
    let Some(tv) = listed.iter().find(|d| d.remotecontrol_id == wanted) else {
        return Err(AppError::not_found(match lang {
            Lang::En => format!("The TeamViewer account has no device {wanted}."),
            Lang::PtBr => format!("A conta do TeamViewer não tem o dispositivo {wanted}."),
        })
        .with_fix(lang.pick(
            "Check the id in the TeamViewer Management Console (Computers & Contacts).",
            "Confira o id no Management Console do TeamViewer (Computadores e contatos).",
        )));
    };
    if !tv.assigned_to {
        return Err(AppError::new(ErrorCode::Blocked, match lang {
            Lang::En => format!("TeamViewer device {wanted} is not assigned to the account: unattended access cannot use it."),
            Lang::PtBr => format!("O dispositivo {wanted} do TeamViewer não está atribuído à conta: o acesso autônomo não pode usá-lo."),
        })
        .with_fix(lang.pick(
            "Distribute Host with the assignment configuration and let the user complete the one-time activation.",
            "Distribua o Host com a configuração de atribuição e deixe o usuário concluir a ativação única.",
        )));
    }
    let now = ctx.clock.now();
    let record = link_record(
        &device.id,
        tv,
        "confirmed",
        Some(ctx.actor.clone()),
        now,
        now,
    );
    let detail = serde_json::json!({"remotecontrol_id": record.remotecontrol_id, "alias": record.alias, "by": "confirmed"});
    ctx.store
        .save_host_link(
            &record,
            Some(event(ctx, "host.match_confirmed", &device.id, detail)),
        )
        .await?;
    Ok(HostStatus::new(&device, Some(&record), Vec::new()))
}

/// Forgets the device's match (a wrong confirmation). Audited `host.unmatched`.
pub async fn unmatch(ctx: &AppContext, device_id: &str) -> Result<HostStatus> {
    let device = device(ctx, device_id).await?;
    let detail = serde_json::json!({"reason": "removed by the admin"});
    ctx.store
        .remove_host_link(
            &device.id,
            ctx.clock.now(),
            event(ctx, "host.unmatched", &device.id, detail),
        )
        .await?;
    Ok(HostStatus::new(&device, None, Vec::new()))
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_carries_the_mdm_device_id_and_gives_it_back() {
        assert_eq!(
            device_id_in_alias("Ana's Pixel [hw:and-0001]"),
            Some("and-0001")
        );
        assert_eq!(device_id_in_alias("odd [name] [hw:abc-1]"), Some("abc-1"));
        assert_eq!(device_id_in_alias("Ana's Pixel"), None);
        assert_eq!(device_id_in_alias("[hw:]"), None);
        assert_eq!(device_id_in_alias("[hw:a b]"), None);
        assert_eq!(device_id_in_alias("[hw:and-0001] trailing"), None);
    }
}
