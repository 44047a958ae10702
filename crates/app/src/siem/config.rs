//! A sink's settings checked before anything is written, and turned into a target to send to.

use std::path::{Path, PathBuf};

use helpatwork_domain::Lang;
use helpatwork_net::{service_url, Query, Sensitive};
use helpatwork_siem::{check_header_field, SyslogIdentity, SyslogTarget, Target, WebhookTarget};

use crate::dto::AuditSinkConfig;
use crate::error::{AppError, Result};

fn invalid(lang: Lang, en: String, pt: String, fix_en: &str, fix_pt: &str) -> AppError {
    AppError::invalid(lang.pick(&en, &pt).to_string()).with_fix(lang.pick(fix_en, fix_pt))
}

/// This machine's name as an RFC 5424 HOSTNAME, or `-` (the NILVALUE) when it has none usable.
pub fn default_hostname() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    if check_header_field("hostname", &name, 255).is_ok() {
        name
    } else {
        "-".into()
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn check_ca_file(lang: Lang, ca_file: Option<String>) -> Result<Option<String>> {
    let Some(path) = ca_file
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
    else {
        return Ok(None);
    };
    let absolute = std::path::absolute(Path::new(&path)).unwrap_or_else(|_| PathBuf::from(&path));
    if let Err(e) = helpatwork_siem::read_ca_file(&absolute) {
        return Err(invalid(
            lang,
            format!("The CA file is not usable: {e}"),
            format!("O arquivo de CA não pode ser usado: {e}"),
            "Give a readable PEM file holding the CA certificate(s) that signed the receiver's certificate.",
            "Informe um arquivo PEM legível com o(s) certificado(s) da CA que assinou o certificado do receptor.",
        ));
    }
    Ok(Some(absolute.display().to_string()))
}

/// Checks sink `id` and its settings; answers them normalised (trimmed, defaults filled in,
/// the CA file's absolute path).
pub fn validate(lang: Lang, id: &str, config: AuditSinkConfig) -> Result<AuditSinkConfig> {
    let id_ok = !id.is_empty()
        && id.len() <= 40
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !id_ok {
        return Err(invalid(
            lang,
            format!("The sink id \"{id}\" is not valid."),
            format!("O id de destino \"{id}\" não é válido."),
            "Use 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter or digit (e.g. splunk-1).",
            "Use de 1 a 40 letras minúsculas, dígitos, '-' ou '_', começando por letra ou dígito (ex.: splunk-1).",
        ));
    }
    match config {
        AuditSinkConfig::Syslog {
            host,
            port,
            tls,
            ca_file,
            app_name,
            hostname,
        } => {
            let host = host.trim().to_string();
            if host.is_empty() || host.len() > 253 || host.contains(char::is_whitespace) {
                return Err(invalid(
                    lang,
                    format!("The syslog host \"{host}\" is not valid."),
                    format!("O host syslog \"{host}\" não é válido."),
                    "Give the receiver's host name or IP address, without spaces or a port.",
                    "Informe o nome ou o endereço IP do receptor, sem espaços nem porta.",
                ));
            }
            if port == 0 {
                return Err(invalid(
                    lang,
                    "The syslog port 0 is not valid.".into(),
                    "A porta syslog 0 não é válida.".into(),
                    "Give the receiver's TCP port (6514 for syslog over TLS).",
                    "Informe a porta TCP do receptor (6514 para syslog sobre TLS).",
                ));
            }
            if !tls && !is_loopback_host(&host) {
                return Err(invalid(
                    lang,
                    format!("Syslog without TLS to {host} would send the audit trail in clear text."),
                    format!("Syslog sem TLS para {host} enviaria a trilha de auditoria em texto claro."),
                    "Turn TLS on (plain TCP is allowed only to 127.0.0.1/localhost, e.g. a local relay).",
                    "Ative o TLS (TCP sem TLS só é permitido para 127.0.0.1/localhost, ex.: um relay local).",
                ));
            }
            let app_name = match app_name.trim() {
                "" => "helpatwork".to_string(),
                a => a.to_string(),
            };
            let hostname = match hostname.trim() {
                "" => default_hostname(),
                h => h.to_string(),
            };
            for (field, value, max) in [("app-name", &app_name, 48), ("hostname", &hostname, 255)] {
                if check_header_field(field, value, max).is_err() {
                    return Err(invalid(
                        lang,
                        format!("The syslog {field} \"{value}\" is not valid."),
                        format!("O {field} do syslog \"{value}\" não é válido."),
                        &format!("Use 1 to {max} printable ASCII characters, without spaces (RFC 5424)."),
                        &format!("Use de 1 a {max} caracteres ASCII imprimíveis, sem espaços (RFC 5424)."),
                    ));
                }
            }
            Ok(AuditSinkConfig::Syslog {
                host,
                port,
                tls,
                ca_file: check_ca_file(lang, ca_file)?,
                app_name,
                hostname,
            })
        }
        AuditSinkConfig::Webhook {
            url,
            ca_file,
            uses_bearer,
        } => {
            let url = url.trim().to_string();
            if let Err(problem) = service_url(&url, Query::Allowed) {
                return Err(invalid(
                    lang,
                    format!("The webhook URL \"{url}\" {problem}."),
                    format!("A URL do webhook \"{url}\" não é aceita: {problem}."),
                    "Give the receiver's https:// URL (http:// only for 127.0.0.1/localhost), without user:password@.",
                    "Informe a URL https:// do receptor (http:// só para 127.0.0.1/localhost), sem usuário:senha@.",
                ));
            }
            Ok(AuditSinkConfig::Webhook {
                url,
                ca_file: check_ca_file(lang, ca_file)?,
                uses_bearer,
            })
        }
    }
}

/// The target a validated sink sends to, with its bearer secret when it has one.
pub(crate) fn target(
    config: &AuditSinkConfig,
    bearer: Option<Sensitive<String>>,
) -> Result<Target> {
    Ok(match config {
        AuditSinkConfig::Syslog {
            host,
            port,
            tls,
            ca_file,
            app_name,
            hostname,
        } => Target::Syslog(SyslogTarget {
            host: host.clone(),
            port: *port,
            tls: *tls,
            ca_file: ca_file.as_ref().map(PathBuf::from),
            identity: SyslogIdentity {
                app_name: app_name.clone(),
                hostname: hostname.clone(),
            },
        }),
        AuditSinkConfig::Webhook { url, ca_file, .. } => Target::Webhook(WebhookTarget {
            url: service_url(url, Query::Allowed)
                .map_err(|e| AppError::invalid(format!("webhook URL {url}: {e}")))?,
            bearer,
            ca_file: ca_file.as_ref().map(PathBuf::from),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syslog(host: &str, tls: bool) -> AuditSinkConfig {
        AuditSinkConfig::Syslog {
            host: host.into(),
            port: 6514,
            tls,
            ca_file: None,
            app_name: String::new(),
            hostname: "desk-01".into(),
        }
    }

    #[test]
    fn a_bad_sink_is_refused_with_a_fix_in_both_languages() {
        for lang in [Lang::En, Lang::PtBr] {
            let e = validate(lang, "Bad Id", syslog("siem.example", true)).unwrap_err();
            assert!(e.fix.is_some());
            let e = validate(lang, "s1", syslog("siem.example", false)).unwrap_err();
            assert!(e.message.contains("TLS"), "{}", e.message);
            let e = validate(
                lang,
                "w1",
                AuditSinkConfig::Webhook {
                    url: "http://siem.example/in".into(),
                    ca_file: None,
                    uses_bearer: false,
                },
            )
            .unwrap_err();
            assert!(e.fix.as_deref().unwrap().contains("https://"));
        }
        let e = validate(Lang::PtBr, "s1", syslog("siem.example", false)).unwrap_err();
        assert!(e.message.contains("texto claro"), "{}", e.message);
    }

    #[test]
    fn defaults_are_filled_in_and_plain_tcp_is_for_loopback_only() {
        let ok = validate(Lang::En, "relay", syslog("127.0.0.1", false)).unwrap();
        let AuditSinkConfig::Syslog { app_name, .. } = ok else {
            panic!("not syslog")
        };
        assert_eq!(app_name, "helpatwork");
        assert!(validate(
            Lang::En,
            "hook",
            AuditSinkConfig::Webhook {
                url: "http://localhost:8080/in".into(),
                ca_file: None,
                uses_bearer: false,
            }
        )
        .is_ok());
    }
}
