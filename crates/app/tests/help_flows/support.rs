//! A team of agents over one store (a SQLite file, or a fresh PostgreSQL database) and one fake
//! TeamViewer: each agent has their own context, data directory and TeamViewer user (a script
//! token of the sandbox), as two machines of a team would.

use std::path::PathBuf;
use std::sync::OnceLock;

use helpatwork_app::paths::Paths;
use helpatwork_app::teamviewer::TeamViewer;
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_teamviewer_sandbox::{
    spawn, Sandbox, SandboxAccount, SandboxDevice, SandboxOptions,
};

/// Ana: the sandbox's own account.
pub const ANA: (&str, &str) = ("ana", "u11293276");
/// Bruno: tier 2, another user of the company.
pub const BRUNO: (&str, &str) = ("bruno", "u22334455");

pub struct World {
    pub sandbox: Sandbox,
    pub dir: tempfile::TempDir,
    pub db: String,
}

/// Every link handed to the desktop client by this test binary, one per line (the opener is a
/// process-wide setting, so one recording opener serves every test; links are unique).
pub fn opened() -> Vec<String> {
    std::fs::read_to_string(opener_log())
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn opener_log() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("opened.txt");
        let script = dir.path().join("opener.sh");
        std::fs::write(
            &script,
            format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::env::set_var("HELPATWORK_OPENER", &script);
        dir
    });
    dir.path().join("opened.txt")
}

/// A store (`db`: a PostgreSQL URL, else a SQLite file) and a sandbox that knows Ana and Bruno.
pub async fn world(db: Option<String>) -> World {
    opener_log();
    let dir = tempfile::tempdir().unwrap();
    let db =
        db.unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.path().join("team.db").display()));
    let sandbox = spawn(SandboxOptions {
        users: vec![SandboxAccount {
            userid: BRUNO.1.into(),
            name: "Bruno Tier Two".into(),
            email: "bruno@example.com".into(),
            company_name: "Help@Work Demo".into(),
        }],
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    sandbox.handle.add_script_token("token-ana");
    sandbox.handle.add_user_token("token-bruno", BRUNO.1);
    World { sandbox, dir, db }
}

impl World {
    /// An agent's context: their own data directory and TeamViewer user, the team's store (the
    /// demo fleet and a Platinum tenant with both modes activated, seeded once), signed in.
    pub async fn agent(&self, (actor, _): (&str, &str)) -> AppContext {
        let paths = Paths::at(self.dir.path().join(actor));
        let mut ctx = AppContext::open(
            paths,
            ContextOptions {
                database_url: Some(self.db.clone()),
                ..ContextOptions::default()
            },
        )
        .await
        .unwrap();
        let token = format!("token-{actor}");
        let (api, login) = (
            self.sandbox.base_url.clone(),
            self.sandbox.login_url.clone(),
        );
        ctx.teamviewer = TeamViewer::from_lookup(move |name| match name {
            "HELPATWORK_TEAMVIEWER_API_URL" => Some(api.clone()),
            "HELPATWORK_TEAMVIEWER_LOGIN_URL" => Some(login.clone()),
            "HELPATWORK_TEAMVIEWER_TOKEN" => Some(token.clone()),
            _ => None,
        });
        ctx.actor = actor.to_owned();
        // The audit trail (and four eyes) verify the agent with this TeamViewer user.
        helpatwork_app::actor::verify_with_teamviewer(&ctx);
        ctx.desktop = helpatwork_app::demo::desktop_client(&ctx.paths).unwrap();
        helpatwork_app::demo::seed(&ctx).await.unwrap();
        // Signed in: the agent is recorded with their TeamViewer user id.
        let status = helpatwork_app::auth::status(&ctx).await.unwrap();
        assert!(status.signed_in, "{status:?}");
        ctx
    }

    /// The device's Host assigned to the account in the fake TeamViewer, under `alias`.
    pub fn assign_host(&self, alias: &str, online: bool) -> SandboxDevice {
        let host = SandboxDevice::assigned_host(alias, online);
        self.sandbox.handle.add_device(host.clone());
        host
    }
}

/// A fresh database on the test PostgreSQL server; `None` (the test is skipped) without one.
pub fn postgres(tag: &str) -> Option<String> {
    let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: HELPATWORK_TEST_POSTGRES_URL is not set (scripts/test.sh starts a PostgreSQL)");
        return None;
    };
    let name = format!("helpatwork_{tag}_{}", std::process::id());
    let created = std::process::Command::new("psql")
        .args([
            server.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        ])
        .status()
        .and_then(|_| {
            std::process::Command::new("psql")
                .args([server.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
                .status()
        })
        .expect("psql");
    assert!(created.success(), "CREATE DATABASE {name}");
    let (base, _) = server.rsplit_once('/').expect("a database URL");
    Some(format!("{base}/{name}"))
}

/// Drops a database [`postgres`] made (its connections are ended first).
pub fn drop_postgres(url: &str) {
    let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL").ok() else {
        return;
    };
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    let _ = std::process::Command::new("psql")
        .args([
            server.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        ])
        .output();
}
