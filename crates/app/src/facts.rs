//! A device's facts as the agent sees them now: who reported them (named where one could not be
//! reported), how the configured connector delivers a session (S4), and what changes with the
//! clock alone (whether the device is online). Rules stay in `helpatwork-domain`; this module
//! only gathers what they need from the context.

use helpatwork_domain::{Circumstances, Delivery, Device, Reporter};

use crate::context::AppContext;
use crate::error::{AppError, Result};

/// The name used when the device came from an MDM that is no longer the configured connector.
const SOME_MDM: &str = "the MDM";

/// Who reported a device stored with `source`: an MDM sync names the connector; an imported
/// fleet (or the demo's) is the fleet file.
pub fn reporter<'a>(ctx: &'a AppContext, source: &str) -> Reporter<'a> {
    match source {
        "mdm" if ctx.can_sync() => Reporter::Mdm(ctx.mdm.name()),
        "mdm" => Reporter::Mdm(SOME_MDM),
        _ => Reporter::FleetFile,
    }
}

/// S4: the configured connector pushes the session code to the app, or the device user gets
/// the end-customer link.
pub fn delivery(ctx: &AppContext) -> Delivery {
    if ctx.mdm.capabilities().managed_app_config {
        Delivery::ManagedAppConfig
    } else {
        Delivery::EndCustomerLink
    }
}

/// What a preflight of a device stored with `source` knows beyond the device.
pub fn circumstances<'a>(ctx: &'a AppContext, source: &str) -> Circumstances<'a> {
    Circumstances {
        now: ctx.clock.now(),
        delivery: delivery(ctx),
        reporter: reporter(ctx, source),
    }
}

/// The apps of a device whose inventory is known: a report of one app cannot make an unknown
/// inventory known (it would state every other app absent).
pub(crate) fn known_apps<'d>(
    ctx: &AppContext,
    device: &'d mut Device,
) -> Result<&'d mut Vec<helpatwork_domain::InstalledApp>> {
    device.apps.as_mut().ok_or_else(|| {
        AppError::invalid(ctx.lang.pick(
            "This device's installed apps are not known here: its MDM does not report them.",
            "Os aplicativos instalados neste dispositivo não são conhecidos aqui: o MDM não os informa.",
        ))
        .with_fix(ctx.lang.pick(
            "Report app changes only for the embedded fleet's devices; this one's apps come from its MDM.",
            "Relate mudanças de aplicativos apenas para dispositivos da frota incorporada; os deste vêm do MDM.",
        ))
    })
}
