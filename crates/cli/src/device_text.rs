//! `devices show` as text: the fleet fields, what the MDM reports about the device, its apps,
//! the Actions item and eligibility per mode. A fact the source could not report reads
//! "unknown", never "no" or "(none)".

use helpatwork_app::dto::DeviceDetail;
use helpatwork_domain::{InstalledApp, Lang};

use crate::output::readiness_word;
use crate::term::{say, visible};

fn unknown(lang: Lang) -> &'static str {
    lang.pick("unknown", "desconhecido")
}

fn yes_no(fact: Option<bool>, lang: Lang) -> &'static str {
    match fact {
        Some(true) => lang.pick("yes", "sim"),
        Some(false) => lang.pick("no", "não"),
        None => unknown(lang),
    }
}

fn app_line(a: &InstalledApp, lang: Lang) -> String {
    let mut line = format!(
        "{:<16} {:<10} {}={} {}={}",
        a.app.as_str(),
        visible(a.version.as_deref().unwrap_or(unknown(lang))),
        lang.pick("managed", "gerenciado"),
        yes_no(a.managed, lang),
        lang.pick("allowlisted", "permitido"),
        yes_no(a.allowlisted, lang),
    );
    if a.installing {
        line.push_str(lang.pick("  (installing)", "  (instalando)"));
    }
    line
}

pub fn print(d: &DeviceDetail, lang: Lang) {
    say!("{} ({})", visible(&d.name), visible(&d.id));
    say!(
        "  {}: {} <{}>",
        lang.pick("User", "Usuário"),
        visible(&d.user.name),
        visible(&d.user.email)
    );
    say!(
        "  {}: {} {} — {} {}",
        lang.pick("Device", "Dispositivo"),
        d.platform.display_name(),
        visible(&d.os_version),
        visible(&d.manufacturer),
        visible(&d.model)
    );
    say!(
        "  Kiosk: {}  MAM-only: {}  Online: {}  {}: {}",
        yes_no(Some(d.kiosk), lang),
        yes_no(Some(d.mam_only), lang),
        yes_no(Some(d.online), lang),
        lang.pick("Last check-in", "Último check-in"),
        d.last_checkin
    );
    if let Some(mdm) = &d.reported_by {
        say!(
            "  {}: {}",
            lang.pick("Reported by", "Informado por"),
            visible(mdm)
        );
    }
    let m = &d.management;
    say!(
        "  {}: {}  {}: {}  {}: {}",
        lang.pick("Compliant", "Em conformidade"),
        yes_no(m.compliant, lang),
        lang.pick("Quarantined", "Em quarentena"),
        yes_no(m.quarantined, lang),
        lang.pick("Jailbroken/rooted", "Jailbreak/root"),
        yes_no(m.jailbroken, lang),
    );
    say!(
        "  {}: {}  {}: {}  {}: {}  {}: {}",
        lang.pick("Supervised", "Supervisionado"),
        yes_no(m.supervised, lang),
        lang.pick("Lost mode", "Modo perdido"),
        yes_no(m.lost_mode, lang),
        lang.pick("Ownership", "Propriedade"),
        match m.ownership {
            Some(helpatwork_domain::Ownership::Company) => lang.pick("company", "empresa"),
            Some(helpatwork_domain::Ownership::Employee) => lang.pick("employee", "funcionário"),
            None => unknown(lang),
        },
        lang.pick("MDM client", "Cliente do MDM"),
        visible(m.client_version.as_deref().unwrap_or(unknown(lang))),
    );
    say!(
        "  {}: {}",
        lang.pick("Host activated", "Host ativado"),
        yes_no(d.host_activated, lang)
    );
    say!(
        "  {}: {}",
        lang.pick("Labels", "Rótulos"),
        match &d.labels {
            None => match (&d.reported_by, lang) {
                (Some(mdm), Lang::En) => format!("unknown: {mdm} did not report them"),
                (Some(mdm), Lang::PtBr) => format!("desconhecidos: o {mdm} não os informou"),
                (None, lang) => lang
                    .pick(
                        "unknown: the fleet file does not state them",
                        "desconhecidos: o arquivo da frota não os declara",
                    )
                    .to_string(),
            },
            Some(labels) if labels.is_empty() => lang.pick("(none)", "(nenhum)").to_string(),
            Some(labels) => labels
                .iter()
                .map(|l| visible(l).to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }
    );
    say!(
        "  {}: {}",
        lang.pick("Locale", "Localidade"),
        match (&d.locale, &d.reported_by, lang) {
            (Some(locale), _, _) => visible(locale).to_string(),
            (None, Some(mdm), Lang::En) => format!("unknown: {mdm} did not report it"),
            (None, Some(mdm), Lang::PtBr) => format!("desconhecida: o {mdm} não a informou"),
            (None, None, lang) => lang
                .pick(
                    "unknown: the fleet file does not state it",
                    "desconhecida: o arquivo da frota não a declara",
                )
                .to_string(),
        }
    );
    say!("  {}:", lang.pick("Apps", "Aplicativos"));
    match &d.apps {
        None => say!(
            "    {}",
            match (&d.reported_by, lang) {
                (Some(mdm), Lang::En) =>
                    format!("unknown: {mdm} does not report the installed apps"),
                (Some(mdm), Lang::PtBr) => {
                    format!("desconhecidos: o {mdm} não informa os aplicativos instalados")
                }
                (None, lang) => lang
                    .pick(
                        "unknown: the fleet file states them unknown",
                        "desconhecidos: o arquivo da frota os declara desconhecidos",
                    )
                    .to_string(),
            }
        ),
        Some(apps) if apps.is_empty() => {
            say!("    {}", lang.pick("(none)", "(nenhum)"))
        }
        Some(apps) => {
            for a in apps {
                say!("    {}", app_line(a, lang));
            }
        }
    }
    let action = d.remote_action.kind.label(lang);
    match &d.remote_action.disabled_reason {
        None => say!("  {}: {action}", lang.pick("Actions", "Ações")),
        Some(reason) => say!(
            "  {}: {action} ({}: {reason})",
            lang.pick("Actions", "Ações"),
            lang.pick("unavailable", "indisponível")
        ),
    }
    for e in &d.eligibility {
        say!("  {}: {}", e.mode.as_str(), readiness_word(e.status, lang));
        for r in &e.reasons {
            say!("    - {r}");
        }
    }
}
