//! Connection tests of the saved settings (`helpatwork settings test`, the window's "Test
//! connection"): TeamViewer, the MDM (and what a sync of it would keep), the store, the desktop
//! client. A test that passes says what it found; a failed one is an [`AppError`] with its fix.

use std::path::PathBuf;

use helpatwork_domain::Lang;

use crate::error::{AppError, ErrorCode, Result};
use crate::settings::{ConnectionTest, Settings, TestTarget};

/// Tests `target` as the running app's saved settings (and the environment) describe it.
pub async fn test_saved(ctx: &crate::AppContext, target: TestTarget) -> Result<ConnectionTest> {
    test(&Settings::load(&ctx.paths)?, target, ctx.lang).await
}

/// Tests the connection `target` as the saved settings (and the environment) describe it.
pub async fn test(settings: &Settings, target: TestTarget, lang: Lang) -> Result<ConnectionTest> {
    match target {
        TestTarget::Teamviewer => test_teamviewer(settings, lang).await,
        TestTarget::Mdm => test_mdm(settings, lang).await,
        TestTarget::Store => test_store(settings, lang).await,
        TestTarget::Desktop => test_desktop(settings, lang).await,
    }
}

async fn test_teamviewer(settings: &Settings, lang: Lang) -> Result<ConnectionTest> {
    let tv = crate::teamviewer::TeamViewer::from_lookup(|n| settings.lookup(n));
    let client = tv.client()?;
    let script = client.config().script_token.is_some();
    if !script && client.config().client_id.is_none() {
        return Err(AppError::invalid(lang.pick(
            "Neither a script token nor a TeamViewer app client id is set.",
            "Nem um token de script nem o client id do app TeamViewer estão definidos.",
        ))
        .with_fix(lang.pick(
            "Set teamviewer.sign_in and either teamviewer.token, or teamviewer.client_id and teamviewer.client_secret.",
            "Defina teamviewer.sign_in e teamviewer.token, ou teamviewer.client_id e teamviewer.client_secret.",
        )));
    }
    client.ensure_valid_token().await?;
    if !client.ping().await? {
        return Err(AppError::new(
            ErrorCode::SignInNeeded,
            lang.pick(
                "TeamViewer does not accept the token.",
                "O TeamViewer não aceita o token.",
            ),
        )
        .with_fix(if script {
            lang.pick(
                "Create a new script token in the TeamViewer Management Console and save it as teamviewer.token.",
                "Crie um novo token de script no TeamViewer Management Console e salve-o em teamviewer.token.",
            )
        } else {
            lang.pick("Sign in again: helpatwork auth login.", "Entre novamente: helpatwork auth login.")
        }));
    }
    Ok(ConnectionTest {
        target: TestTarget::Teamviewer,
        message: format!(
            "{} {} ({})",
            lang.pick(
                "TeamViewer accepts the token:",
                "O TeamViewer aceita o token:"
            ),
            client.config().api_url,
            if script {
                lang.pick("script token", "token de script")
            } else {
                "OAuth"
            }
        ),
        notes: Vec::new(),
    })
}

async fn test_mdm(settings: &Settings, lang: Lang) -> Result<ConnectionTest> {
    let name = settings.mdm_connector();
    match name.as_str() {
        "embedded" => Ok(ConnectionTest {
            target: TestTarget::Mdm,
            message: lang
                .pick(
                    "The embedded fleet needs no connection: devices come from `devices import` and device reports.",
                    "A frota incorporada não precisa de conexão: os dispositivos vêm de `devices import` e dos relatos dos dispositivos.",
                )
                .to_string(),
            notes: Vec::new(),
        }),
        "ivanti" => {
            let config = helpatwork_mdm::IvantiConfig::from_lookup(|n| settings.lookup(n))
                .map_err(|e| AppError::from(e).with_fix(lang.pick(
                    "Set ivanti.url, ivanti.user and ivanti.password (and both ivanti.cps_user and ivanti.cps_password, or neither).",
                    "Defina ivanti.url, ivanti.user e ivanti.password (e ivanti.cps_user e ivanti.cps_password juntos, ou nenhum dos dois).",
                )))?;
            let connector = helpatwork_mdm::IvantiConnector::new(config)?;
            let spaces = connector.partitions().await?;
            let counts = connector.fleet_counts().await?;
            let mut notes: Vec<String> = spaces
                .iter()
                .map(|p| {
                    format!(
                        "{} {} ({}){}",
                        lang.pick("Device space", "Espaço de dispositivos"),
                        p.id,
                        p.name,
                        if p.default {
                            lang.pick(", default", ", padrão")
                        } else {
                            ""
                        }
                    )
                })
                .collect();
            notes.push(inventory_note(&connector, lang).await);
            Ok(ConnectionTest {
                target: TestTarget::Mdm,
                message: what_a_sync_keeps(counts, lang),
                notes,
            })
        }
        "intune" => test_intune(settings, lang).await,
        other => Err(AppError::invalid(format!(
            "HELPATWORK_MDM=\"{other}\" is not a connector."
        ))
        .with_fix("Use embedded, ivanti or intune.")),
    }
}

/// Intune: signs in, reads one device (the read permission), asks `syncDevice` for a device
/// that cannot exist (the permission is checked first: 403 without it, 404 with it, and nothing
/// happens to any device), and probes the session delivery's permissions the same way
/// (`IntuneConnector::check_delivery`). Every Graph permission missing is named.
async fn test_intune(settings: &Settings, lang: Lang) -> Result<ConnectionTest> {
    use helpatwork_mdm::{MdmConnector, MdmError};
    let config =
        helpatwork_mdm::IntuneConfig::from_lookup(|n| settings.lookup(n)).map_err(|e| {
            AppError::from(e).with_fix(lang.pick(
            "Set intune.tenant_id, intune.client_id and intune.client_secret (docs/intune.md).",
            "Defina intune.tenant_id, intune.client_id e intune.client_secret (docs/intune.md).",
        ))
        })?;
    let connector = helpatwork_mdm::IntuneConnector::new(config)?;
    let read = connector.check().await;
    const NO_DEVICE: &str = "00000000-0000-0000-0000-000000000000";
    let sync = connector.force_checkin(NO_DEVICE).await;
    // The session delivery's permissions (S4): Entra ID devices, groups, app configurations.
    let delivery = connector.check_delivery().await;
    let mut missing = Vec::new();
    if let Err(MdmError::MissingPermission { permissions, .. }) = &read {
        missing.push(*permissions);
    }
    if let Err(MdmError::MissingPermission { permissions, .. }) = &sync {
        missing.push(*permissions);
    }
    if let Ok(lacking) = &delivery {
        missing.extend(lacking.iter().copied());
    }
    if !missing.is_empty() {
        let list = missing.join("; ");
        return Err(AppError::new(
            crate::error::ErrorCode::ServiceFailed,
            match lang {
                Lang::En => format!("Microsoft Graph refused the app registration: missing application permission(s): {list}."),
                Lang::PtBr => format!("O Microsoft Graph recusou o registro de aplicativo: faltam permissões de aplicativo: {list}."),
            },
        )
        .with_fix(lang.pick(
            "In Entra ID → App registrations → the app → API permissions, add these Microsoft Graph application permissions and grant admin consent (docs/intune.md).",
            "No Entra ID → Registros de aplicativo → o aplicativo → Permissões de API, adicione essas permissões de aplicativo do Microsoft Graph e conceda o consentimento do administrador (docs/intune.md).",
        ))
        .with_details(crate::error::ErrorDetails::Mdm {
            mdm_error: "forbidden".to_string(),
        }));
    }
    let count = read?;
    match sync {
        Err(MdmError::DeviceNotFound { .. }) | Ok(()) => {}
        Err(other) => return Err(other.into()),
    }
    delivery?;
    let devices = count.map_or_else(|| "?".to_string(), |n| n.to_string());
    Ok(ConnectionTest {
        target: TestTarget::Mdm,
        message: match lang {
            Lang::En => format!("Microsoft Intune answers: {devices} managed devices; the app may read them, request a device sync and deliver the session code through a managed app configuration."),
            Lang::PtBr => format!("O Microsoft Intune responde: {devices} dispositivos gerenciados; o aplicativo pode lê-los, solicitar a sincronização de um dispositivo e entregar o código da sessão por uma configuração de aplicativo gerenciado."),
        },
        notes: vec![lang
            .pick(
                "Installed apps: Graph's device list does not report them, so they stay unknown and preflight warns. The session code reaches QuickSupport / Host through a managed app configuration assigned to a Help@Work group holding only that device, deleted when the session ends (docs/intune.md).",
                "Aplicativos instalados: a lista de dispositivos do Graph não os informa; continuam desconhecidos e a verificação prévia avisa. O código da sessão chega ao QuickSupport / Host por uma configuração de aplicativo gerenciado atribuída a um grupo do Help@Work que contém só esse dispositivo, excluído quando a sessão termina (docs/intune.md).",
            )
            .to_string()],
    })
}

/// "A sync keeps N devices (A active); R retired are marked removed", from the search's
/// registration counts.
fn what_a_sync_keeps(counts: helpatwork_mdm::FleetCounts, lang: Lang) -> String {
    let head = lang.pick(
        "Ivanti Neurons for MDM answers:",
        "O Ivanti Neurons for MDM responde:",
    );
    match (counts.active, counts.retired) {
        (Some(active), Some(retired)) => {
            let kept = counts.total.saturating_sub(retired);
            match lang {
                Lang::En => format!(
                    "{head} a sync keeps {kept} devices ({active} active); {retired} retired are marked removed."
                ),
                Lang::PtBr => format!(
                    "{head} uma sincronização mantém {kept} dispositivos ({active} ativos); {retired} desativados são marcados como removidos."
                ),
            }
        }
        _ => match lang {
            Lang::En => format!(
                "{head} {} devices (it did not say how many are retired; a sync marks those removed).",
                counts.total
            ),
            Lang::PtBr => format!(
                "{head} {} dispositivos (não informou quantos estão desativados; a sincronização os marca como removidos).",
                counts.total
            ),
        },
    }
}

/// Whether the app inventory (CPS) can be read: one call about a device that does not exist,
/// which CPS ignores silently, so it proves the address, the user and its CPS role.
async fn inventory_note(connector: &helpatwork_mdm::IvantiConnector, lang: Lang) -> String {
    const NO_DEVICE: &str = "00000000-0000-0000-0000-000000000000";
    let probe = [(NO_DEVICE, helpatwork_domain::Platform::Android)];
    match connector.app_inventory(&probe).await {
        Ok(Some(_)) => lang
            .pick(
                "App inventory (CPS): readable; a sync reads the installed TeamViewer apps.",
                "Inventário de aplicativos (CPS): acessível; a sincronização lê os aplicativos TeamViewer instalados.",
            )
            .to_string(),
        Ok(None) => lang
            .pick(
                "App inventory (CPS): not configured, so installed apps stay unknown and preflight warns about them. Set ivanti.cps_user and ivanti.cps_password (docs/ivanti.md).",
                "Inventário de aplicativos (CPS): não configurado; os aplicativos instalados continuam desconhecidos e a verificação prévia avisa sobre eles. Defina ivanti.cps_user e ivanti.cps_password (docs/ivanti.md).",
            )
            .to_string(),
        Err(e) => format!(
            "{} {e} {}",
            lang.pick("App inventory (CPS) failed:", "Inventário de aplicativos (CPS) falhou:"),
            e.fix()
        ),
    }
}

async fn test_store(settings: &Settings, lang: Lang) -> Result<ConnectionTest> {
    let (store, shown) = match settings.database_url() {
        Some(url) => (
            helpatwork_store::Store::open(&url).await?,
            helpatwork_store::redact_url(&url),
        ),
        None => {
            let path = settings
                .file()
                .parent()
                .map(|d| d.join("helpatwork.db"))
                .unwrap_or_else(|| PathBuf::from("helpatwork.db"));
            (
                helpatwork_store::Store::open_sqlite(&path).await?,
                path.display().to_string(),
            )
        }
    };
    let devices = store.device_count().await?;
    let backend = store.backend();
    store.close().await;
    Ok(ConnectionTest {
        target: TestTarget::Store,
        message: format!(
            "{} {backend:?} {shown}: {} {devices} {}",
            lang.pick("Store", "Banco de dados"),
            lang.pick("schema up to date,", "esquema atualizado,"),
            lang.pick("devices", "dispositivos")
        ),
        notes: Vec::new(),
    })
}

async fn test_desktop(settings: &Settings, lang: Lang) -> Result<ConnectionTest> {
    let options = settings.discovery();
    let found = tokio::task::spawn_blocking(move || helpatwork_desktop::discover(&options))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    let download = helpatwork_desktop::DOWNLOAD_URL;
    match found {
        Ok(Some(client)) => {
            let notes = helpatwork_domain::compat::desktop_advisories(&client.version)
                .iter()
                .map(|a| {
                    format!(
                        "{} ({}): {} {}",
                        a.cve,
                        a.summary,
                        lang.pick("update to", "atualize para"),
                        a.fixed_in
                    )
                })
                .collect();
            Ok(ConnectionTest {
                target: TestTarget::Desktop,
                message: format!(
                    "{} {} ({}, {})",
                    lang.pick(
                        "TeamViewer desktop client",
                        "Cliente TeamViewer para desktop"
                    ),
                    client.version,
                    client.install_dir.display(),
                    client.source
                ),
                notes,
            })
        }
        Ok(None) => Err(AppError::not_found(lang.pick(
            "No TeamViewer desktop client was found there.",
            "Nenhum cliente TeamViewer para desktop foi encontrado ali.",
        ))
        .with_fix(format!(
            "{} {download}",
            lang.pick(
                "Set desktop.teamviewer_home to its install directory, or install it:",
                "Defina desktop.teamviewer_home com o diretório de instalação, ou instale-o:"
            )
        ))),
        Err(e) => Err(AppError::invalid(format!(
            "{} {e}",
            lang.pick(
                "The TeamViewer desktop client could not be read:",
                "Não foi possível ler o cliente TeamViewer para desktop:"
            )
        ))
        .with_fix(format!(
            "{} {download}",
            lang.pick("Reinstall TeamViewer:", "Reinstale o TeamViewer:")
        ))),
    }
}
