//! The coaching card: what the device user will have to do during an attended session, in their
//! language, and the session code they read back to the agent. The agent sees the same card.
//!
//! - accept the screen-sharing prompt (S7: a Google Pixel asks every session; iOS starts a
//!   screen broadcast);
//! - accept TeamViewer's licence agreement (EULA) when QuickSupport shows it (S6);
//! - keep QuickSupport running in the background until the agent ends the session (S8; closing
//!   it or restarting the device loses the session: S9);
//! - read the session code QuickSupport shows back to the agent, who confirms it.
//!
//! Where it goes: TeamViewer's documented `waiting_message` of the service case ("text shown to
//! the end customer while waiting", docs/reference/teamviewer-web-api.md §3.1), which the
//! end-customer link shows. TeamViewer publishes no managed-app-configuration key that
//! QuickSupport shows as a message, so none is invented.

use serde::Serialize;
use ts_rs::TS;

use crate::device::{Device, Platform};
use crate::rules::RuleId;
use crate::Lang;

/// One thing the device user does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CoachingStep {
    /// The rule it comes from (S6, S7, S8, S4 for the code).
    pub rule: RuleId,
    pub text: String,
}

/// The card, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CoachingCard {
    pub lang: Lang,
    pub title: String,
    pub steps: Vec<CoachingStep>,
    /// The session code the user reads back, when the session has one.
    pub code: Option<String>,
}

impl CoachingCard {
    /// The card as plain text: the title, then one numbered line per step.
    pub fn text(&self) -> String {
        let mut text = self.title.clone();
        for (i, step) in self.steps.iter().enumerate() {
            text.push_str(&format!("\n{}. {}", i + 1, step.text));
        }
        text
    }
}

/// The card's language: the device's locale, else its user's, else the product's. A locale is
/// read by its language (`pt`, `pt-BR`, `pt_PT` → pt-BR; `en-US` → en); one this product does
/// not speak is skipped.
pub fn card_lang(device_locale: Option<&str>, user_locale: Option<&str>, product: Lang) -> Lang {
    [device_locale, user_locale]
        .into_iter()
        .flatten()
        .find_map(locale_lang)
        .unwrap_or(product)
}

/// The card's language for `device`: its locale when this product speaks it, else its user's
/// (no source reports a user's locale yet: docs/intune.md, docs/ivanti.md), else `product`.
pub fn device_card_lang(device: &Device, product: Lang) -> Lang {
    card_lang(device.locale(), None, product)
}

fn locale_lang(locale: &str) -> Option<Lang> {
    let language = locale
        .trim()
        .split(['-', '_', '.'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match language.as_str() {
        "en" => Some(Lang::En),
        "pt" => Some(Lang::PtBr),
        _ => None,
    }
}

/// The card for a device of `platform` (`pixel`: a Google Pixel), in `lang`, with the session
/// code when known.
pub fn card(platform: Platform, pixel: bool, lang: Lang, code: Option<&str>) -> CoachingCard {
    let t = |en: &str, pt: &str| lang.pick(en, pt).to_string();
    let screen = match (platform, pixel) {
        (Platform::Ios, _) => t(
            "When iOS asks to share your screen, tap Start Broadcast.",
            "Quando o iOS pedir para compartilhar a tela, toque em Iniciar Transmissão.",
        ),
        (_, true) => t(
            "When Android asks to share your screen, tap Start now. This Google Pixel asks every session: accept it each time.",
            "Quando o Android pedir para compartilhar a tela, toque em Iniciar agora. Este Google Pixel pergunta em toda sessão: aceite sempre.",
        ),
        _ => t(
            "When Android asks to share your screen, tap Start now.",
            "Quando o Android pedir para compartilhar a tela, toque em Iniciar agora.",
        ),
    };
    let code_step = match code {
        Some(code) => match lang {
            Lang::En => format!("Read the session code QuickSupport shows back to your agent: it must be {code}."),
            Lang::PtBr => format!("Leia para o seu agente o código da sessão que o QuickSupport mostra: ele deve ser {code}."),
        },
        None => t(
            "Read the session code QuickSupport shows back to your agent.",
            "Leia para o seu agente o código da sessão que o QuickSupport mostra.",
        ),
    };
    CoachingCard {
        lang,
        title: t(
            "Your remote support session: what you will do",
            "Sua sessão de suporte remoto: o que você vai fazer",
        ),
        steps: vec![
            CoachingStep {
                rule: RuleId::S6,
                text: t(
                    "Open TeamViewer QuickSupport and accept TeamViewer's licence agreement (EULA) when it is shown.",
                    "Abra o TeamViewer QuickSupport e aceite o contrato de licença (EULA) do TeamViewer quando ele aparecer.",
                ),
            },
            CoachingStep {
                rule: RuleId::S7,
                text: screen,
            },
            CoachingStep {
                rule: RuleId::S8,
                text: t(
                    "Keep QuickSupport running in the background until your agent ends the session: do not close it or restart the device.",
                    "Mantenha o QuickSupport em execução em segundo plano até o agente encerrar a sessão: não o feche nem reinicie o dispositivo.",
                ),
            },
            CoachingStep {
                rule: RuleId::S4,
                text: code_step,
            },
        ],
        code: code.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_per_platform_and_language_names_each_step() {
        let cases = [
            (
                Platform::Android,
                false,
                Lang::En,
                "tap Start now.",
                "licence agreement (EULA)",
            ),
            (
                Platform::Android,
                true,
                Lang::En,
                "asks every session",
                "licence agreement (EULA)",
            ),
            (
                Platform::Ios,
                false,
                Lang::En,
                "Start Broadcast",
                "licence agreement (EULA)",
            ),
            (
                Platform::Android,
                false,
                Lang::PtBr,
                "Iniciar agora.",
                "contrato de licença (EULA)",
            ),
            (
                Platform::Android,
                true,
                Lang::PtBr,
                "pergunta em toda sessão",
                "contrato de licença (EULA)",
            ),
            (
                Platform::Ios,
                false,
                Lang::PtBr,
                "Iniciar Transmissão",
                "contrato de licença (EULA)",
            ),
        ];
        for (platform, pixel, lang, screen, eula) in cases {
            let card = card(platform, pixel, lang, Some("s123-456-789"));
            let rules: Vec<_> = card.steps.iter().map(|s| s.rule).collect();
            assert_eq!(rules, [RuleId::S6, RuleId::S7, RuleId::S8, RuleId::S4]);
            assert_eq!(card.lang, lang);
            assert!(card.steps[0].text.contains(eula), "{platform:?} {lang:?}");
            assert!(
                card.steps[1].text.contains(screen),
                "{platform:?} {lang:?}: {}",
                card.steps[1].text
            );
            assert!(card.steps[3].text.contains("s123-456-789"));
            let text = card.text();
            assert!(text.starts_with(&card.title));
            assert!(text.contains("\n3. "), "{text}");
            let background = lang.pick("in the background", "em segundo plano");
            assert!(
                card.steps[2].text.contains(background),
                "S8: {}",
                card.steps[2].text
            );
        }
        // Only a Pixel is told it asks every time (S7).
        assert!(!card(Platform::Android, false, Lang::En, None).steps[1]
            .text
            .contains("every session"));
        assert_eq!(card(Platform::Ios, false, Lang::En, None).code, None);
    }

    #[test]
    fn the_language_is_the_devices_else_the_users_else_the_products() {
        assert_eq!(
            card_lang(Some("pt-BR"), Some("en-US"), Lang::En),
            Lang::PtBr
        );
        assert_eq!(card_lang(Some("pt_PT"), None, Lang::En), Lang::PtBr);
        assert_eq!(card_lang(None, Some("en-GB"), Lang::PtBr), Lang::En);
        assert_eq!(
            card_lang(Some("de-DE"), Some("pt"), Lang::En),
            Lang::PtBr,
            "German is not spoken: the user's"
        );
        assert_eq!(card_lang(Some("fr"), None, Lang::PtBr), Lang::PtBr);
        assert_eq!(card_lang(None, None, Lang::En), Lang::En);
        assert_eq!(card_lang(Some(""), None, Lang::En), Lang::En);
    }

    fn device(locale: Option<&str>) -> Device {
        Device {
            id: "d1".into(),
            name: "Scanner 1".into(),
            user: crate::device::DeviceUser {
                name: "Ana".into(),
                email: "ana@example.com".into(),
            },
            platform: Platform::Android,
            os_version: "14".into(),
            manufacturer: "Samsung".into(),
            model: "SM-G991B".into(),
            kiosk: false,
            mam_only: false,
            online: true,
            last_checkin: chrono::Utc::now(),
            host_activated: None,
            apps: None,
            management: Default::default(),
            labels: None,
            locale: locale.map(str::to_owned),
        }
    }

    #[test]
    fn a_devices_card_speaks_its_locale_else_the_products() {
        assert_eq!(
            device_card_lang(&device(Some("pt_BR")), Lang::En),
            Lang::PtBr
        );
        assert_eq!(
            device_card_lang(&device(Some("pt-BR")), Lang::En),
            Lang::PtBr
        );
        assert_eq!(
            device_card_lang(&device(Some("en-US")), Lang::PtBr),
            Lang::En
        );
        assert_eq!(device_card_lang(&device(None), Lang::En), Lang::En);
        assert_eq!(device_card_lang(&device(None), Lang::PtBr), Lang::PtBr);
        // German is not spoken: the next source (no user locale is reported), the product's.
        assert_eq!(
            device_card_lang(&device(Some("de-DE")), Lang::PtBr),
            Lang::PtBr
        );
        assert_eq!(device_card_lang(&device(Some("de-DE")), Lang::En), Lang::En);
    }
}
