//! S4 failing: the MDM refuses the session's managed app configuration. The start fails at step
//! "deliver" with the MDM's own error (service failed, exit 5, with its fix), the session row is
//! `failed`, and the TeamViewer case made for it is closed (checked on the demo's sandbox).

use std::sync::Arc;

use helpatwork_app::context::AppContext;
use helpatwork_app::error::ErrorDetails;
use helpatwork_app::paths::Paths;
use helpatwork_app::{auth, session, ContextOptions, ErrorCode};
use helpatwork_domain::device::AppKind;
use helpatwork_domain::Mode;
use helpatwork_mdm::{Capabilities, DevicePage, MdmConnector, MdmError, MdmFuture, PageCursor};

/// The demo's embedded fleet, except that writing a managed app configuration fails as an MDM
/// that is down would.
struct RefusingMdm(Arc<dyn MdmConnector>);

impl MdmConnector for RefusingMdm {
    fn name(&self) -> &'static str {
        "Refusing MDM"
    }
    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }
    fn devices_page(&self, cursor: PageCursor, rows: u32) -> MdmFuture<'_, DevicePage> {
        self.0.devices_page(cursor, rows)
    }
    fn force_checkin<'a>(&'a self, device_id: &'a str) -> MdmFuture<'a, ()> {
        self.0.force_checkin(device_id)
    }
    fn distribute<'a>(&'a self, device_id: &'a str, app: AppKind, on: bool) -> MdmFuture<'a, ()> {
        self.0.distribute(device_id, app, on)
    }
    fn set_app_config<'a>(
        &'a self,
        device_id: &'a str,
        app: AppKind,
        config: Option<&'a serde_json::Value>,
    ) -> MdmFuture<'a, ()> {
        match config {
            Some(_) => Box::pin(async {
                Err(MdmError::ServerError {
                    mdm: "Refusing MDM",
                    status: 503,
                })
            }),
            None => self.0.set_app_config(device_id, app, None),
        }
    }
}

#[tokio::test]
async fn s4_a_delivery_the_mdm_refuses_fails_the_start_at_deliver_and_closes_the_case() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("HELPATWORK_OPENER", "/bin/true");
    let mut ctx = AppContext::open(
        Paths::at(dir.path()),
        ContextOptions {
            demo: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    auth::sign_in(
        &ctx,
        &*helpatwork_app::teamviewer::demo_browser(),
        auth::CancellationToken::new(),
    )
    .await
    .unwrap();
    ctx.mdm = Arc::new(RefusingMdm(ctx.mdm.clone()));

    let device = "and-0001";
    let pre = session::preflight(&ctx, device, Mode::Attended)
        .await
        .unwrap();
    assert!(pre.ok, "{pre:?}");
    let err = session::start(&ctx, device, Mode::Attended, "ticket 7", false)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ServiceFailed, "{err:?}");
    assert_eq!(err.code.exit_code(), 5);
    assert!(
        matches!(err.details.as_deref(), Some(ErrorDetails::FailedStep { failed_step, .. }) if failed_step == "deliver"),
        "{err:?}"
    );
    assert!(err.fix.is_some(), "the MDM's fix is kept: {err:?}");

    let sessions = session::list(&ctx, false, 10).await.unwrap();
    assert_eq!(sessions[0].state, helpatwork_domain::SessionState::Failed);
    let code = sessions[0].code.clone().expect("TeamViewer made a case");
    let sandbox = ctx.teamviewer.sandbox().unwrap();
    let handle = sandbox.handle.clone();
    let case = tokio::task::spawn_blocking(move || handle.session(&code))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.state, "Closed", "no case of a failed start stays open");
    // The device is free again.
    assert!(
        session::preflight(&ctx, device, Mode::Attended)
            .await
            .unwrap()
            .ok
    );
}
