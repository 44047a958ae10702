//! `doctor`: is this machine ready to help? Each part checked, with a fix when it is not.

use helpatwork_domain::CheckStatus;

use crate::context::AppContext;
use crate::error::Result;

pub use crate::dto::{DoctorCheck, DoctorReport};

fn check(rule: &str, status: CheckStatus, message: String, fix: Option<&str>) -> DoctorCheck {
    // `fix` is one of the app's own sentences, or a TeamViewer error's.
    DoctorCheck {
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

    checks.extend(permissions(ctx));

    if let Some(why) = ctx.store.read_only() {
        checks.push(check(
            "store",
            CheckStatus::Block,
            format!(
                "{} ({why})",
                lang.pick(
                    "The database could not be opened for writing; it is open read-only",
                    "O banco de dados não pôde ser aberto para escrita; está aberto somente para leitura"
                )
            ),
            Some(lang.pick(
                "Free space on the disk that holds it, or make it writable, then run the command again.",
                "Libere espaço no disco que o contém, ou torne-o gravável, e execute o comando novamente.",
            )),
        ));
    }

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

    if ctx.can_sync() {
        let status = crate::sync_plan::status(ctx).await?;
        checks.extend(crate::doctor_sync::check(&status, ctx.clock.now(), lang));
    }

    checks.extend(teamviewer(ctx).await);
    if let Some(owed) = teamviewer_closes(ctx).await? {
        checks.push(owed);
    }

    checks.push(desktop_client(lang, ctx.desktop.clone()).await);
    checks.extend(crate::siem::doctor::checks(ctx, crate::siem::secrets().as_ref()).await?);

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

/// TeamViewer cases that ended here but are still open at TeamViewer (they count against the
/// licence's concurrent sessions): a warning until every close succeeded.
async fn teamviewer_closes(ctx: &AppContext) -> Result<Option<DoctorCheck>> {
    let owed = ctx.store.pending_closes().await?;
    let Some(oldest) = owed.first() else {
        return Ok(None);
    };
    let lang = ctx.lang;
    let error = owed
        .iter()
        .rev()
        .find_map(|o| o.last_error.as_deref())
        .unwrap_or("-");
    Ok(Some(check(
        "teamviewer_closes",
        CheckStatus::Warn,
        match lang {
            helpatwork_domain::Lang::En => format!(
                "{} ended session(s) still open at TeamViewer (oldest {}, since {}; last error: {error}).",
                owed.len(),
                oldest.code,
                crate::dto::rfc3339(oldest.queued_at)
            ),
            helpatwork_domain::Lang::PtBr => format!(
                "{} sessão(ões) encerrada(s) ainda aberta(s) no TeamViewer (a mais antiga {}, desde {}; último erro: {error}).",
                owed.len(),
                oldest.code,
                crate::dto::rfc3339(oldest.queued_at)
            ),
        },
        Some(lang.pick(
            "Run `helpatwork session sync` when TeamViewer is reachable and you are signed in; each close is tried again.",
            "Execute `helpatwork session sync` quando o TeamViewer estiver acessível e você estiver conectado; cada encerramento é tentado de novo.",
        )),
    )))
}

/// D3: the installed TeamViewer desktop client and its version, or how to get one.
async fn desktop_client(
    lang: helpatwork_domain::Lang,
    options: helpatwork_desktop::DiscoveryOptions,
) -> DoctorCheck {
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
                Some(a) => DoctorCheck {
                    rule: "security".to_owned(),
                    status: CheckStatus::Warn,
                    message: format!("TeamViewer {} — {} ({})", client.version, a.summary, a.cve),
                    fix: Some(format!("{} {} {download}", lang.pick("Update TeamViewer to", "Atualize o TeamViewer para"), a.fixed_in)),
                },
            }
        }
        Ok(None) => DoctorCheck {
            rule: "D3".to_owned(),
            status: CheckStatus::Warn,
            message: lang.pick("The TeamViewer desktop client is not installed on this computer.", "O cliente TeamViewer para desktop não está instalado neste computador.").into(),
            fix: Some(format!("{} {download}", lang.pick("Install the full TeamViewer client (basic installation, company/commercial use):", "Instale o cliente completo do TeamViewer (instalação básica, uso comercial/empresarial):"))),
        },
        Err(e) => DoctorCheck {
            rule: "D3".to_owned(),
            status: CheckStatus::Warn,
            message: format!("{} {e}", lang.pick("The TeamViewer desktop client could not be read:", "Não foi possível ler o cliente TeamViewer para desktop:")),
            fix: Some(format!("{} {download}", lang.pick("Reinstall TeamViewer, or set HELPATWORK_TEAMVIEWER_HOME to its install directory:", "Reinstale o TeamViewer ou defina HELPATWORK_TEAMVIEWER_HOME com o diretório de instalação:"))),
        },
    }
}

/// What the window shows above everything until it is fixed: TeamViewer on a foreign host, a
/// store open read-only.
pub fn standing_warnings(ctx: &AppContext) -> Vec<String> {
    let mut out = crate::teamviewer::foreign_host_warnings(&ctx.teamviewer, ctx.lang);
    if let Some(why) = ctx.store.read_only() {
        out.push(format!(
            "{} ({why})",
            ctx.lang.pick(
                "The database could not be opened for writing: nothing can be changed until there is room on its disk",
                "O banco de dados não pôde ser aberto para escrita: nada pode ser alterado até haver espaço no disco"
            )
        ));
    }
    out
}

/// TeamViewer, for real: the configuration, the API reached (`GET /ping`), the token, and
/// which of them failed.
async fn teamviewer(ctx: &AppContext) -> Vec<DoctorCheck> {
    let lang = ctx.lang;
    let fix_config = lang.pick(
        "Check HELPATWORK_TEAMVIEWER_API_URL and HELPATWORK_TEAMVIEWER_LOGIN_URL, or unset them to use TeamViewer's (docs/teamviewer.md).",
        "Verifique HELPATWORK_TEAMVIEWER_API_URL e HELPATWORK_TEAMVIEWER_LOGIN_URL, ou remova-as para usar as do TeamViewer (docs/teamviewer.md).",
    );
    let Some(client) = ctx.teamviewer.client.as_ref() else {
        return vec![check(
            "teamviewer",
            CheckStatus::Block,
            format!(
                "{} {}",
                lang.pick(
                    "The TeamViewer configuration is not valid:",
                    "A configuração do TeamViewer não é válida:"
                ),
                ctx.teamviewer.config_error.as_deref().unwrap_or("")
            ),
            Some(fix_config),
        )];
    };
    let mut out: Vec<DoctorCheck> = crate::teamviewer::foreign_host_warnings(&ctx.teamviewer, ctx.lang)
        .into_iter()
        .map(|message| {
            check(
                "teamviewer_host",
                CheckStatus::Warn,
                message,
                Some(lang.pick(
                    "Unset HELPATWORK_TEAMVIEWER_API_URL and HELPATWORK_TEAMVIEWER_LOGIN_URL to use TeamViewer's own, unless this host is yours on purpose.",
                    "Remova HELPATWORK_TEAMVIEWER_API_URL e HELPATWORK_TEAMVIEWER_LOGIN_URL para usar as do próprio TeamViewer, a menos que este host seja seu de propósito.",
                )),
            )
        })
        .collect();
    let config = client.config();
    let api = config.api_url.as_str().trim_end_matches('/').to_string();
    let method = if config.script_token.is_some() {
        Some(lang.pick("script token", "token de script"))
    } else if config.client_id.is_some() {
        Some("OAuth")
    } else {
        None
    };
    let Some(method) = method else {
        out.push(check(
            "teamviewer",
            CheckStatus::Warn,
            lang.pick(
                "TeamViewer is not configured: no TeamViewer app (client id) and no script token.",
                "O TeamViewer não está configurado: nenhum app TeamViewer (client id) e nenhum token de script.",
            )
            .to_string(),
            Some(lang.pick(
                "Set teamviewer.client_id and teamviewer.client_secret, or teamviewer.token (helpatwork settings set …; docs/teamviewer.md).",
                "Defina teamviewer.client_id e teamviewer.client_secret, ou teamviewer.token (helpatwork settings set …; docs/teamviewer.md).",
            )),
        ));
        return out;
    };
    let unreachable = |e: helpatwork_teamviewer::TeamViewerError| {
        check(
            "teamviewer",
            CheckStatus::Block,
            format!(
                "{} {api}: {e}",
                lang.pick(
                    "TeamViewer's API does not answer at",
                    "A API do TeamViewer não responde em"
                )
            ),
            Some(e.fix()),
        )
    };
    let signed_in = matches!(client.auth_kind().await, Ok(Some(_)));
    if !signed_in {
        out.push(match client.reachable().await {
            Ok(()) => check(
                "teamviewer",
                CheckStatus::Warn,
                format!(
                    "{} {api} ({method}); {}",
                    lang.pick(
                        "TeamViewer's API answers at",
                        "A API do TeamViewer responde em"
                    ),
                    lang.pick("not signed in.", "sem sessão iniciada.")
                ),
                Some(ctx.sign_in_fix()),
            ),
            Err(e) => unreachable(e),
        });
        return out;
    }
    out.push(match client.ensure_valid_token().await {
        Ok(_) => check(
            "teamviewer",
            CheckStatus::Pass,
            format!(
                "{} {api}; {} ({method}).",
                lang.pick(
                    "TeamViewer's API answers at",
                    "A API do TeamViewer responde em"
                ),
                lang.pick("the token is valid", "o token é válido")
            ),
            None,
        ),
        Err(e)
            if e.code() == helpatwork_teamviewer::ErrorCode::SignInNeeded
                || e.code() == helpatwork_teamviewer::ErrorCode::InvalidToken =>
        {
            check(
                "teamviewer",
                CheckStatus::Warn,
                format!(
                    "{} {api}; {} ({method}).",
                    lang.pick(
                        "TeamViewer's API answers at",
                        "A API do TeamViewer responde em"
                    ),
                    lang.pick("it does not accept the token", "ela não aceita o token")
                ),
                Some(ctx.sign_in_fix()),
            )
        }
        Err(e) => unreachable(e),
    });
    out
}

/// Owner-only files (Unix): the data directory 0700, the database, its `-wal`/`-shm` and the
/// settings file 0600. A looser mode is a warning with the command that tightens it.
fn permissions(ctx: &AppContext) -> Vec<DoctorCheck> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let lang = ctx.lang;
        let mut paths = vec![(ctx.paths.root().to_path_buf(), true)];
        let mut files = vec![ctx.paths.settings_file()];
        if let Some(db) = ctx.store.sqlite_file() {
            files.push(db.to_path_buf());
            for suffix in ["-wal", "-shm"] {
                let mut name = db.as_os_str().to_os_string();
                name.push(suffix);
                files.push(name.into());
            }
        }
        paths.extend(files.into_iter().map(|f| (f, false)));
        let mut loose = Vec::new();
        for (path, dir) in paths {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                let want = if dir { "700" } else { "600" };
                loose.push(check(
                    "permissions",
                    CheckStatus::Warn,
                    format!(
                        "{} {} ({:o}).",
                        lang.pick(
                            "Other users of this computer can read",
                            "Outros usuários deste computador podem ler"
                        ),
                        path.display(),
                        mode
                    ),
                    None,
                ));
                if let Some(last) = loose.last_mut() {
                    last.fix = Some(format!(
                        "{} chmod {want} '{}'",
                        lang.pick("Make it owner-only:", "Deixe-o só para o dono:"),
                        path.display()
                    ));
                }
            }
        }
        if loose.is_empty() {
            loose.push(check(
                "permissions",
                CheckStatus::Pass,
                lang.pick(
                    "The data directory and its files are owner-only.",
                    "O diretório de dados e seus arquivos são só do dono.",
                )
                .to_string(),
                None,
            ));
        }
        loose
    }
    #[cfg(not(unix))]
    {
        // In the user's profile (AppData), whose ACL grants only the user, SYSTEM and admins.
        let _ = ctx;
        Vec::new()
    }
}
