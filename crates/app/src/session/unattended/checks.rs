//! What preflight's unattended checks need from TeamViewer: the device's Host in the account's
//! device list (read now, matched to the device). The checks themselves (`host_assigned`,
//! `host_online`) are the domain's: `helpatwork_domain::preflight::host`.

use helpatwork_domain::preflight::host::HostState;
use helpatwork_domain::preflight::HostFacts;
use helpatwork_domain::Device;

use super::matching::refresh_with;
use super::{signed_in, HostStatus, READ_BUDGET};
use crate::context::AppContext;
use crate::error::Result;

/// The device's Host as TeamViewer reports it now, or why it could not be asked.
pub(crate) async fn host_facts(ctx: &AppContext, device: &Device) -> Result<HostFacts> {
    let Some(client) = signed_in(ctx).await else {
        return Ok(HostFacts::NotSignedIn);
    };
    Ok(
        match tokio::time::timeout(READ_BUDGET, refresh_with(ctx, client, device)).await {
            Ok(Ok(status)) => HostFacts::Read(state(&status)),
            Ok(Err(e)) => HostFacts::Unreadable(e.message),
            Err(_) => HostFacts::Unreadable(
                ctx.lang
                    .pick("no answer in time", "sem resposta a tempo")
                    .to_owned(),
            ),
        },
    )
}

fn state(status: &HostStatus) -> HostState {
    HostState {
        device_id: status.device_id.clone(),
        expected_alias: status.expected_alias.clone(),
        matched: status.matched,
        matched_by: status.matched_by.clone(),
        confirmed_by: status.confirmed_by.clone(),
        teamviewer_id: status.teamviewer_id.clone(),
        assigned: status.assigned,
        online_state: status.online_state.clone(),
        last_seen: status.last_seen.clone(),
        candidate: status
            .candidates
            .first()
            .map(|c| c.remotecontrol_id.clone()),
    }
}
