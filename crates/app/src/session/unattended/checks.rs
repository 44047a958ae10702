//! Preflight's unattended checks: Host assigned to the account (block) and online (warning).

use helpatwork_domain::{Check, CheckStatus, Device, Lang};

use super::matching::refresh_with;
use super::{signed_in, HostStatus, READ_BUDGET};
use crate::context::AppContext;
use crate::error::Result;

fn check(rule: &str, status: CheckStatus, message: String, fix: Option<&str>) -> Check {
    Check {
        rule: rule.into(),
        status,
        message,
        fix: fix.map(str::to_owned),
    }
}

fn when(text: &Option<String>, lang: Lang) -> String {
    match text
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => lang.pick("not reported", "não informado").to_owned(),
    }
}

/// Preflight's unattended checks: Host assigned to the account (block) and online (warning).
pub(crate) async fn host_checks(ctx: &AppContext, device: &Device) -> Result<Vec<Check>> {
    let lang = ctx.lang;
    let Some(client) = signed_in(ctx).await else {
        return Ok(vec![check(
            "host_assigned",
            CheckStatus::Warn,
            lang.pick(
                "Whether TeamViewer Host is assigned to the account is checked once you are signed in to TeamViewer.",
                "A atribuição do TeamViewer Host à conta é verificada depois que você entrar no TeamViewer.",
            ).to_owned(),
            Some(lang.pick("Sign in to TeamViewer: the start checks it then.", "Entre no TeamViewer: o início verifica isso em seguida.")),
        )]);
    };
    let status = match tokio::time::timeout(READ_BUDGET, refresh_with(ctx, client, device)).await {
        Ok(Ok(status)) => status,
        failed => {
            let why = match failed {
                Ok(Err(e)) => e.message,
                _ => lang
                    .pick("no answer in time", "sem resposta a tempo")
                    .to_owned(),
            };
            return Ok(vec![check(
                "host_assigned",
                CheckStatus::Block,
                match lang {
                    Lang::En => format!("TeamViewer's device list could not be read: {why}"),
                    Lang::PtBr => format!("A lista de dispositivos do TeamViewer não pôde ser lida: {why}"),
                },
                Some(lang.pick("Try again in a moment; `helpatwork settings test teamviewer` checks the connection.", "Tente de novo em instantes; `helpatwork settings test teamviewer` verifica a conexão.")),
            )]);
        }
    };
    Ok(checks_for(&status, lang))
}

fn checks_for(status: &HostStatus, lang: Lang) -> Vec<Check> {
    let id = status.teamviewer_id.clone().unwrap_or_default();
    if !status.matched {
        let fix = if let Some(c) = status.candidates.first() {
            match lang {
                Lang::En => format!("If it is this device, confirm the match: helpatwork devices match {} {} (or Confirm in the device panel).", status.device_id, c.remotecontrol_id),
                Lang::PtBr => format!("Se for este dispositivo, confirme a correspondência: helpatwork devices match {} {} (ou Confirmar no painel do dispositivo).", status.device_id, c.remotecontrol_id),
            }
        } else {
            lang.pick(
                "Distribute Host with the assignment configuration (helpatwork admin host-assignment --id ASSIGNMENT_ID), then let the device user open Host once to complete the one-time activation.",
                "Distribua o Host com a configuração de atribuição (helpatwork admin host-assignment --id ID_DA_ATRIBUICAO) e deixe o usuário abrir o Host uma vez para concluir a ativação única.",
            ).to_owned()
        };
        let message = match lang {
            Lang::En => format!("TeamViewer Host on this device is not assigned to the TeamViewer account: no device of the account carries the alias \"{}\".", status.expected_alias),
            Lang::PtBr => format!("O TeamViewer Host deste dispositivo não está atribuído à conta do TeamViewer: nenhum dispositivo da conta tem o alias \"{}\".", status.expected_alias),
        };
        return vec![Check {
            rule: "host_assigned".into(),
            status: CheckStatus::Block,
            message,
            fix: Some(fix),
        }];
    }
    if !status.assigned {
        return vec![check(
            "host_assigned",
            CheckStatus::Block,
            match lang {
                Lang::En => format!("TeamViewer device {id} is in the account's list but not assigned to the account."),
                Lang::PtBr => format!("O dispositivo {id} do TeamViewer está na lista da conta, mas não atribuído a ela."),
            },
            Some(lang.pick(
                "Let the device user complete Host's one-time activation with the assignment configuration in its managed app configuration.",
                "Deixe o usuário concluir a ativação única do Host com a configuração de atribuição na configuração de aplicativo gerenciado.",
            )),
        )];
    }
    let by = match (status.matched_by.as_deref(), lang) {
        (Some("confirmed"), Lang::En) => format!(
            "match confirmed by {}",
            status.confirmed_by.as_deref().unwrap_or("an admin")
        ),
        (Some("confirmed"), Lang::PtBr) => format!(
            "correspondência confirmada por {}",
            status.confirmed_by.as_deref().unwrap_or("um administrador")
        ),
        (_, Lang::En) => "matched by its alias".to_owned(),
        (_, Lang::PtBr) => "correspondência pelo alias".to_owned(),
    };
    let assigned = check(
        "host_assigned",
        CheckStatus::Pass,
        match lang {
            Lang::En => {
                format!("TeamViewer Host is assigned to the account: TeamViewer ID {id} ({by}).")
            }
            Lang::PtBr => {
                format!("O TeamViewer Host está atribuído à conta: ID do TeamViewer {id} ({by}).")
            }
        },
        None,
    );
    let online = match status.online_state.as_deref() {
        Some("online" | "busy" | "away") => check(
            "host_online",
            CheckStatus::Pass,
            lang.pick("TeamViewer Host is online.", "O TeamViewer Host está online.").to_owned(),
            None,
        ),
        Some("offline") => check(
            "host_online",
            CheckStatus::Warn,
            match lang {
                Lang::En => format!("TeamViewer Host is offline (last seen {}).", when(&status.last_seen, lang)),
                Lang::PtBr => format!("O TeamViewer Host está offline (visto por último em {}).", when(&status.last_seen, lang)),
            },
            Some(lang.pick(
                "The connection opens once the device is online: ask the user to connect it, or try later.",
                "A conexão abre quando o dispositivo estiver online: peça ao usuário para conectá-lo ou tente mais tarde.",
            )),
        ),
        _ => check(
            "host_online",
            CheckStatus::Warn,
            lang.pick("TeamViewer does not report whether Host is online.", "O TeamViewer não informa se o Host está online.").to_owned(),
            Some(lang.pick("The connection opens if the device is online.", "A conexão abre se o dispositivo estiver online.")),
        ),
    };
    vec![assigned, online]
}
