//! `doctor`: is this machine ready to help? Each part checked, with a fix when it is not.

use helpatwork_domain::{Check, CheckStatus};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DoctorReport {
    pub ok: bool,
    pub checks: Vec<Check>,
}

fn check(rule: &str, status: CheckStatus, message: String, fix: Option<&str>) -> Check {
    Check {
        rule: rule.to_string(),
        status,
        message,
        fix: fix.map(str::to_string),
    }
}

pub async fn run(ctx: &AppContext) -> Result<DoctorReport> {
    let lang = ctx.lang;
    let mut checks = Vec::new();

    let root = ctx.paths.root();
    let probe = root.join(".doctor-probe");
    let writable = std::fs::write(&probe, b"ok").and_then(|_| std::fs::remove_file(&probe));
    checks.push(match writable {
        Ok(()) => check(
            "data_dir",
            CheckStatus::Pass,
            format!(
                "{} {}",
                lang.pick("Data directory:", "Diretório de dados:"),
                root.display()
            ),
            None,
        ),
        Err(e) => check(
            "data_dir",
            CheckStatus::Block,
            format!(
                "{} {} ({e})",
                lang.pick(
                    "The data directory is not writable:",
                    "O diretório de dados não é gravável:"
                ),
                root.display()
            ),
            Some(lang.pick(
                "Set HELPATWORK_DATA_DIR to a writable directory.",
                "Defina HELPATWORK_DATA_DIR como um diretório gravável.",
            )),
        ),
    });

    checks.push(match ctx.store.device_count().await {
        Ok(n) => check(
            "store",
            CheckStatus::Pass,
            format!(
                "{} {:?}, {n} {}",
                lang.pick("Store:", "Banco de dados:"),
                ctx.store.backend(),
                lang.pick("devices", "dispositivos")
            ),
            None,
        ),
        Err(e) => check(
            "store",
            CheckStatus::Block,
            e.to_string(),
            Some(lang.pick(
                "Check HELPATWORK_DATABASE_URL.",
                "Verifique HELPATWORK_DATABASE_URL.",
            )),
        ),
    });

    checks.push(check(
        "connector",
        CheckStatus::Pass,
        {
            let caps = ctx.mdm.capabilities();
            let yes_no = |b: bool| {
                if b {
                    lang.pick("yes", "sim")
                } else {
                    lang.pick("no", "não")
                }
            };
            format!(
                "{} {} ({} {}, {} {}, {} {})",
                lang.pick("MDM connector:", "Conector MDM:"),
                ctx.mdm.name(),
                lang.pick(
                    "managed app configuration:",
                    "configuração gerenciada de app:"
                ),
                yes_no(caps.managed_app_config),
                lang.pick("app distribution:", "distribuição de apps:"),
                yes_no(caps.distribute_app),
                lang.pick("installed apps known:", "apps instalados conhecidos:"),
                yes_no(caps.app_inventory),
            )
        },
        None,
    ));

    checks.push(desktop_client(lang, ctx.desktop.clone()).await);

    if ctx.demo {
        checks.push(check(
            "demo",
            CheckStatus::Warn,
            lang.pick(
                "Demo mode: a generated fleet and a local TeamViewer sandbox.",
                "Modo de demonstração: frota gerada e sandbox local do TeamViewer.",
            )
            .to_string(),
            Some(lang.pick(
                "Start without --demo to use your own fleet and TeamViewer account.",
                "Inicie sem --demo para usar sua frota e sua conta do TeamViewer.",
            )),
        ));
    }

    let ok = checks.iter().all(|c| c.status != CheckStatus::Block);
    Ok(DoctorReport { ok, checks })
}

/// D3: the installed TeamViewer desktop client and its version, or how to get one.
async fn desktop_client(
    lang: helpatwork_domain::Lang,
    options: helpatwork_desktop::DiscoveryOptions,
) -> Check {
    let found = tokio::task::spawn_blocking(move || helpatwork_desktop::discover(&options))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    let download = helpatwork_desktop::DOWNLOAD_URL;
    match found {
        Ok(Some(client)) => {
            let advisories = helpatwork_domain::compat::desktop_advisories(&client.version);
            match advisories.first() {
                None => check(
                    "D3",
                    CheckStatus::Pass,
                    format!("{} {} ({})", lang.pick("TeamViewer desktop client", "Cliente TeamViewer para desktop"), client.version, client.install_dir.display()),
                    None,
                ),
                Some(a) => Check {
                    rule: "security".into(),
                    status: CheckStatus::Warn,
                    message: format!("TeamViewer {} — {} ({})", client.version, a.summary, a.cve),
                    fix: Some(format!("{} {} {download}", lang.pick("Update TeamViewer to", "Atualize o TeamViewer para"), a.fixed_in)),
                },
            }
        }
        Ok(None) => Check {
            rule: "D3".into(),
            status: CheckStatus::Warn,
            message: lang.pick("The TeamViewer desktop client is not installed on this computer.", "O cliente TeamViewer para desktop não está instalado neste computador.").into(),
            fix: Some(format!("{} {download}", lang.pick("Install the full TeamViewer client (basic installation, company/commercial use):", "Instale o cliente completo do TeamViewer (instalação básica, uso comercial/empresarial):"))),
        },
        Err(e) => Check {
            rule: "D3".into(),
            status: CheckStatus::Warn,
            message: format!("{} {e}", lang.pick("The TeamViewer desktop client could not be read:", "Não foi possível ler o cliente TeamViewer para desktop:")),
            fix: Some(format!("{} {download}", lang.pick("Reinstall TeamViewer, or set HELPATWORK_TEAMVIEWER_HOME to its install directory:", "Reinstale o TeamViewer ou defina HELPATWORK_TEAMVIEWER_HOME com o diretório de instalação:"))),
        },
    }
}
