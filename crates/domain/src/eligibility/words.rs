//! Findings put into words, in both languages, each with its fix where something can be done.
//!
//! A fact the source could not report is said to be unverifiable through that source (the
//! MDM by name, or the fleet file), with where to check it: never stated as absent.

use super::{Delivery, Finding, Reporter};
use crate::device::AppKind;
use crate::lang::Lang;

impl Finding {
    /// The finding as words for the user: a message and, when something can be done, the fix.
    /// `reporter` is who reported the device's facts (named for facts it could not report).
    pub fn describe(&self, lang: Lang, reporter: Reporter<'_>) -> (String, Option<String>) {
        use Finding::*;
        let t = |en: &str, pt: &str| lang.pick(en, pt).to_string();
        match self {
            PlatformSupported => (t("The platform is supported.", "A plataforma é compatível."), None),
            PlatformNotSupported(p) => (
                match lang {
                    Lang::En => format!("{} devices are not supported: Help@Work supports Android and iOS 11.0 or later.", p.display_name()),
                    Lang::PtBr => format!("Dispositivos {} não são compatíveis: o Help@Work oferece suporte a Android e iOS 11.0 ou posterior.", p.display_name()),
                },
                None,
            ),
            IosTooOld(v) => (
                match lang {
                    Lang::En => format!("iOS {v} is not supported: Help@Work needs iOS 11.0 or later."),
                    Lang::PtBr => format!("O iOS {v} não é compatível: o Help@Work requer iOS 11.0 ou posterior."),
                },
                Some(t("Update the device to iOS 11.0 or later.", "Atualize o dispositivo para o iOS 11.0 ou posterior.")),
            ),
            IosVersionUnknown(v) => (
                match lang {
                    Lang::En => format!("The iOS version \"{v}\" cannot be read, so support cannot be confirmed."),
                    Lang::PtBr => format!("A versão do iOS \"{v}\" não pode ser lida; a compatibilidade não pode ser confirmada."),
                },
                Some(t("Force a check-in so the device reports its iOS version.", "Force um check-in para que o dispositivo informe a versão do iOS.")),
            ),
            IosMamOnly => (
                t("iOS devices enrolled MAM-only are not supported.", "Dispositivos iOS registrados somente com MAM não são compatíveis."),
                Some(t("Enroll the device in full MDM to use Help@Work.", "Registre o dispositivo no MDM completo para usar o Help@Work.")),
            ),
            UnattendedNeedsAndroid => (
                t("Unattended mode is available on Android only.", "O modo autônomo está disponível apenas no Android."),
                Some(t("Use attended mode.", "Use o modo assistido.")),
            ),
            UnattendedNeedsDeviceOwner => (
                t("Unattended mode needs a fully managed or dedicated Android device: this one is enrolled with a work profile, which manages the profile, not the device.", "O modo autônomo exige um dispositivo Android totalmente gerenciado ou dedicado: este está registrado com perfil de trabalho, que gerencia o perfil, não o dispositivo."),
                Some(t("Use attended mode, or enroll the device as fully managed or dedicated.", "Use o modo assistido ou registre o dispositivo como totalmente gerenciado ou dedicado.")),
            ),
            AppReady(app) => (
                match lang {
                    Lang::En => format!("{} is installed, managed and allowlisted.", app.display_name()),
                    Lang::PtBr => format!("{} está instalado, gerenciado e na lista de permissões.", app.display_name()),
                },
                None,
            ),
            QuickSupportWillBePrompted => (
                t("QuickSupport is not installed: the user will be prompted to download it.", "O QuickSupport não está instalado: o usuário será solicitado a baixá-lo."),
                Some(t("Distribute QuickSupport to the device.", "Distribua o QuickSupport para o dispositivo.")),
            ),
            IosAppMissing => (
                t("QuickSupport is not installed: on iOS it must come from the App Catalog.", "O QuickSupport não está instalado: no iOS ele deve vir do Catálogo de aplicativos."),
                Some(t("Distribute QuickSupport from the App Catalog.", "Distribua o QuickSupport pelo Catálogo de aplicativos.")),
            ),
            IosAppNotManaged => (
                t("QuickSupport was installed by the user and is not managed.", "O QuickSupport foi instalado pelo usuário e não é gerenciado."),
                Some(t("Convert QuickSupport to a managed app.", "Converta o QuickSupport em um aplicativo gerenciado.")),
            ),
            AppMissing(app) => (
                match lang {
                    Lang::En => format!("{} is not installed.", app.display_name()),
                    Lang::PtBr => format!("{} não está instalado.", app.display_name()),
                },
                Some(match lang {
                    Lang::En => format!("Distribute {} to the device.", app.display_name()),
                    Lang::PtBr => format!("Distribua o {} para o dispositivo.", app.display_name()),
                }),
            ),
            AppNotManaged(app) => (
                match lang {
                    Lang::En => format!("{} is installed but not managed.", app.display_name()),
                    Lang::PtBr => format!("{} está instalado, mas não é gerenciado.", app.display_name()),
                },
                Some(match lang {
                    Lang::En => format!("Distribute {} through the MDM so it becomes managed.", app.display_name()),
                    Lang::PtBr => format!("Distribua o {} pelo MDM para que ele seja gerenciado.", app.display_name()),
                }),
            ),
            AppNotAllowlisted { app, kiosk } => (
                match (lang, kiosk) {
                    (Lang::En, true) => format!("{} is not allowed in the kiosk.", app.display_name()),
                    (Lang::En, false) => format!("{} is not allowlisted on the device.", app.display_name()),
                    (Lang::PtBr, true) => format!("{} não é permitido no quiosque.", app.display_name()),
                    (Lang::PtBr, false) => format!("{} não está na lista de permissões do dispositivo.", app.display_name()),
                },
                Some(match (lang, kiosk) {
                    (Lang::En, true) => format!("Allow {} in the device's kiosk policy.", app.display_name()),
                    (Lang::En, false) => format!("Add {} to the device's app allowlist.", app.display_name()),
                    (Lang::PtBr, true) => format!("Permita o {} na política de quiosque do dispositivo.", app.display_name()),
                    (Lang::PtBr, false) => format!("Adicione o {} à lista de permissões do dispositivo.", app.display_name()),
                }),
            ),
            HostNotActivated => (
                t("TeamViewer Host has not had its one-time activation on the device.", "O TeamViewer Host ainda não teve a ativação única no dispositivo."),
                Some(t("Ask the user to open Host once and grant the permission, or set Host's auto-start parameters in its managed app configuration.", "Peça ao usuário para abrir o Host uma vez e conceder a permissão, ou defina os parâmetros de início automático do Host na configuração de aplicativo gerenciado.")),
            ),
            HostActivated => (t("TeamViewer Host is activated on the device.", "O TeamViewer Host está ativado no dispositivo."), None),
            ControlAvailable(addon) => (
                match lang {
                    Lang::En => format!("Remote control is available ({}).", addon.display_name()),
                    Lang::PtBr => format!("O controle remoto está disponível ({}).", addon.display_name()),
                },
                None,
            ),
            ViewOnlyNoAddon => (
                t("No control add-on is installed: the session will be view only.", "Nenhum complemento de controle está instalado: a sessão será somente de visualização."),
                Some(t("Distribute the universal add-on or the device's OEM add-on.", "Distribua o complemento universal ou o complemento OEM do dispositivo.")),
            ),
            AddonNotAllowlisted(addon) => (
                match lang {
                    Lang::En => format!("{} is not allowed in the kiosk.", addon.display_name()),
                    Lang::PtBr => format!("{} não é permitido no quiosque.", addon.display_name()),
                },
                Some(match lang {
                    Lang::En => format!("Allow {} in the device's kiosk policy.", addon.display_name()),
                    Lang::PtBr => format!("Permita o {} na política de quiosque do dispositivo.", addon.display_name()),
                }),
            ),
            IosViewOnly => (t("iOS sessions are view only (screen sharing).", "Sessões no iOS são somente de visualização (compartilhamento de tela)."), None),
            PixelConsentEverySession => (
                t("Google Pixel devices do not keep the permission: the user must give consent in this session.", "Dispositivos Google Pixel não mantêm a permissão: o usuário precisa dar o consentimento nesta sessão."),
                Some(t("Tell the user to accept the screen-sharing prompt.", "Avise o usuário para aceitar a solicitação de compartilhamento de tela.")),
            ),
            KeepQuickSupportRunning => (
                t("Reminder: QuickSupport must keep running in the background for the whole session; closing it or restarting the device ends the session (S9).", "Lembrete: o QuickSupport precisa continuar em execução em segundo plano durante toda a sessão; fechá-lo ou reiniciar o dispositivo encerra a sessão (S9)."),
                Some(t("The coaching card tells the user; if the session is lost, arm it again: helpatwork session rearm ID.", "O cartão de orientação avisa o usuário; se a sessão se perder, arme-a de novo: helpatwork session rearm ID.")),
            ),
            Online => (t("The device is online.", "O dispositivo está on-line."), None),
            Offline(Delivery::ManagedAppConfig) => (
                t("The device is offline: it will get the session at its next check-in.", "O dispositivo está off-line: ele receberá a sessão no próximo check-in."),
                Some(t("Force a check-in or ask the user to connect the device.", "Force um check-in ou peça ao usuário para conectar o dispositivo.")),
            ),
            Offline(Delivery::EndCustomerLink) => (
                t("The device is offline: the user can open the session's link only once it is connected.", "O dispositivo está off-line: o usuário só poderá abrir o link da sessão quando ele estiver conectado."),
                Some(t("Ask the user to connect the device, then send them the session's end-customer link.", "Peça ao usuário para conectar o dispositivo e envie a ele o link de cliente final da sessão.")),
            ),
            Delivered(Delivery::ManagedAppConfig) => (
                t("The session code reaches the app through its managed app configuration.", "O código da sessão chega ao aplicativo pela configuração de aplicativo gerenciado."),
                None,
            ),
            Delivered(Delivery::EndCustomerLink) => (
                match (lang, reporter) {
                    (Lang::En, Reporter::Mdm(mdm)) => format!("{mdm} cannot pass the session code to the app through managed app configuration: the device user will get the session's end-customer link."),
                    (Lang::PtBr, Reporter::Mdm(mdm)) => format!("O {mdm} não consegue passar o código da sessão ao aplicativo pela configuração de aplicativo gerenciado: o usuário do dispositivo receberá o link de cliente final da sessão."),
                    (lang, Reporter::FleetFile) => t_owned(lang, "The session code cannot reach the app through managed app configuration: the device user will get the session's end-customer link.", "O código da sessão não pode chegar ao aplicativo pela configuração de aplicativo gerenciado: o usuário do dispositivo receberá o link de cliente final da sessão."),
                },
                Some(t("Send the device user the end-customer link the session shows (e-mail or chat); they open it on the device.", "Envie ao usuário do dispositivo o link de cliente final que a sessão mostra (e-mail ou chat); ele o abre no dispositivo.")),
            ),
            IosAppManaged => (
                t("QuickSupport is installed as a managed app.", "O QuickSupport está instalado como aplicativo gerenciado."),
                None,
            ),
            AppsUnknown(app) => (
                unverifiable(lang, reporter, &installed_what(lang, *app)),
                Some(check_in_console(lang, reporter, &match lang {
                    Lang::En => format!("that {} is installed and managed", app.display_name()),
                    Lang::PtBr => format!("se o {} está instalado e gerenciado", app.display_name()),
                })),
            ),
            AppManagedUnknown(app) => (
                unverifiable(lang, reporter, &match lang {
                    Lang::En => format!("Whether {} is a managed app", app.display_name()),
                    Lang::PtBr => format!("se o {} é um aplicativo gerenciado", app.display_name()),
                }),
                Some(check_in_console(lang, reporter, &match lang {
                    Lang::En => format!("that {} is managed (distributed from the App Catalog)", app.display_name()),
                    Lang::PtBr => format!("se o {} é gerenciado (distribuído pelo Catálogo de aplicativos)", app.display_name()),
                })),
            ),
            AppAllowlistUnknown { app, kiosk } => (
                unverifiable(lang, reporter, &match (lang, kiosk) {
                    (Lang::En, true) => format!("Whether {} is allowed in the kiosk", app.display_name()),
                    (Lang::En, false) => format!("Whether {} is allowlisted on the device", app.display_name()),
                    (Lang::PtBr, true) => format!("se o {} é permitido no quiosque", app.display_name()),
                    (Lang::PtBr, false) => format!("se o {} está na lista de permissões do dispositivo", app.display_name()),
                }),
                Some(check_in_console(lang, reporter, &match (lang, kiosk) {
                    (Lang::En, true) => format!("that the device's kiosk policy allows {}", app.display_name()),
                    (Lang::En, false) => format!("that no app restriction of the device blocks {}", app.display_name()),
                    (Lang::PtBr, true) => format!("se a política de quiosque do dispositivo permite o {}", app.display_name()),
                    (Lang::PtBr, false) => format!("se nenhuma restrição de aplicativos do dispositivo bloqueia o {}", app.display_name()),
                })),
            ),
            AppInstalling(app) => (
                match lang {
                    Lang::En => format!("{} is still being installed on the device.", app.display_name()),
                    Lang::PtBr => format!("O {} ainda está sendo instalado no dispositivo.", app.display_name()),
                },
                Some(t("Wait for the installation to finish (force a check-in to see it), then start.", "Aguarde o fim da instalação (force um check-in para vê-lo) e então inicie.")),
            ),
            AppVersionUnknown(app) => (
                match lang {
                    Lang::En => format!("{}: compatibility with this computer's TeamViewer is not confirmed.", unverifiable(lang, reporter, &format!("The {} version", app.display_name())).trim_end_matches('.')),
                    Lang::PtBr => format!("{}: a compatibilidade com o TeamViewer deste computador não foi confirmada.", unverifiable(lang, reporter, &format!("a versão do {}", app.display_name())).trim_end_matches('.')),
                },
                Some(check_in_console(lang, reporter, &match lang {
                    Lang::En => format!("the {} version on the device", app.display_name()),
                    Lang::PtBr => format!("a versão do {} no dispositivo", app.display_name()),
                })),
            ),
            HostActivationUnknown => (
                unverifiable(lang, reporter, lang.pick("TeamViewer Host's one-time activation on the device", "a ativação única do TeamViewer Host no dispositivo")),
                Some(t("Ask the user whether Host was opened once and its permission granted, or set Host's auto-start parameters in its managed app configuration.", "Pergunte ao usuário se o Host foi aberto uma vez e a permissão concedida, ou defina os parâmetros de início automático do Host na configuração de aplicativo gerenciado.")),
            ),
            AddonsUnknown => (
                unverifiable(lang, reporter, lang.pick("Whether a control add-on is installed (without one the session is view only)", "se um complemento de controle está instalado (sem ele a sessão é somente de visualização)")),
                Some(check_in_console(lang, reporter, lang.pick("that the universal add-on or the device's OEM add-on is installed", "se o complemento universal ou o complemento OEM do dispositivo está instalado"))),
            ),
            AddonAllowlistUnknown(addon) => (
                unverifiable(lang, reporter, &match lang {
                    Lang::En => format!("Whether {} is allowed in the kiosk (without it the session is view only)", addon.display_name()),
                    Lang::PtBr => format!("se o {} é permitido no quiosque (sem ele a sessão é somente de visualização)", addon.display_name()),
                }),
                Some(check_in_console(lang, reporter, &match lang {
                    Lang::En => format!("that the device's kiosk policy allows {}", addon.display_name()),
                    Lang::PtBr => format!("se a política de quiosque do dispositivo permite o {}", addon.display_name()),
                })),
            ),
            Jailbroken => (
                match (lang, reporter) {
                    (Lang::En, Reporter::Mdm(mdm)) => format!("{mdm} reports the device jailbroken or rooted: what is shown or typed in the session may be exposed."),
                    (Lang::PtBr, Reporter::Mdm(mdm)) => format!("O {mdm} informa que o dispositivo tem jailbreak ou root: o que for mostrado ou digitado na sessão pode ficar exposto."),
                    (lang, Reporter::FleetFile) => t_owned(lang, "The device is jailbroken or rooted: what is shown or typed in the session may be exposed.", "O dispositivo tem jailbreak ou root: o que for mostrado ou digitado na sessão pode ficar exposto."),
                },
                Some(match (lang, reporter) {
                    (Lang::En, Reporter::Mdm(mdm)) => format!("Check the device's compromise violation in {mdm} (Policies) with your security team before connecting; never ask for passwords in the session."),
                    (Lang::PtBr, Reporter::Mdm(mdm)) => format!("Verifique a violação de dispositivo comprometido no {mdm} (Políticas) com a equipe de segurança antes de conectar; nunca peça senhas na sessão."),
                    (lang, Reporter::FleetFile) => t_owned(lang, "Check the device with your security team before connecting; never ask for passwords in the session.", "Verifique o dispositivo com a equipe de segurança antes de conectar; nunca peça senhas na sessão."),
                }),
            ),
            Quarantined => (
                match (lang, reporter) {
                    (Lang::En, Reporter::Mdm(mdm)) => format!("{mdm} has quarantined the device: its managed apps and configurations may be removed, QuickSupport included."),
                    (Lang::PtBr, Reporter::Mdm(mdm)) => format!("O {mdm} colocou o dispositivo em quarentena: os aplicativos e configurações gerenciados podem ser removidos, inclusive o QuickSupport."),
                    (lang, Reporter::FleetFile) => t_owned(lang, "The device is quarantined: its managed apps and configurations may be removed, QuickSupport included.", "O dispositivo está em quarentena: os aplicativos e configurações gerenciados podem ser removidos, inclusive o QuickSupport."),
                },
                Some(match (lang, reporter) {
                    (Lang::En, Reporter::Mdm(mdm)) => format!("Resolve the policy violation that quarantined the device in {mdm}, then force a check-in."),
                    (Lang::PtBr, Reporter::Mdm(mdm)) => format!("Resolva no {mdm} a violação de política que colocou o dispositivo em quarentena e force um check-in."),
                    (lang, Reporter::FleetFile) => t_owned(lang, "Resolve the policy violation that quarantined the device in the MDM, then import the fleet again.", "Resolva no MDM a violação de política que colocou o dispositivo em quarentena e importe a frota de novo."),
                }),
            ),
            LostMode => (
                t("The device is in lost mode: it is locked and its user cannot accept a session.", "O dispositivo está no modo perdido: ele está bloqueado e o usuário não consegue aceitar uma sessão."),
                Some(t("Confirm with the user that the device was found, and turn lost mode off in the MDM first.", "Confirme com o usuário que o dispositivo foi encontrado e desative antes o modo perdido no MDM.")),
            ),
        }
    }
}

fn t_owned(lang: Lang, en: &str, pt: &str) -> String {
    lang.pick(en, pt).to_string()
}

/// "Whether X is installed" for an app.
fn installed_what(lang: Lang, app: AppKind) -> String {
    match lang {
        Lang::En => format!("Whether {} is installed", app.display_name()),
        Lang::PtBr => format!("se o {} está instalado", app.display_name()),
    }
}

/// "{what} cannot be verified through {MDM}." (or: the fleet file states it unknown). In
/// Portuguese `what` starts in lower case: it follows "Não é possível verificar".
fn unverifiable(lang: Lang, reporter: Reporter<'_>, what: &str) -> String {
    match (lang, reporter) {
        (Lang::En, Reporter::Mdm(mdm)) => format!("{what} cannot be verified through {mdm}."),
        (Lang::PtBr, Reporter::Mdm(mdm)) => format!("Não é possível verificar pelo {mdm} {what}."),
        (Lang::En, Reporter::FleetFile) => {
            format!("{what} cannot be verified: the fleet file states it unknown.")
        }
        (Lang::PtBr, Reporter::FleetFile) => {
            format!("Não é possível verificar {what}: o arquivo da frota o declara desconhecido.")
        }
    }
}

/// Where to check a fact the source could not report.
fn check_in_console(lang: Lang, reporter: Reporter<'_>, what: &str) -> String {
    match (lang, reporter) {
        (Lang::En, Reporter::Mdm(mdm)) => format!(
            "Open the device in the {mdm} admin portal and check {what} (its installed apps and policies)."
        ),
        (Lang::PtBr, Reporter::Mdm(mdm)) => format!(
            "Abra o dispositivo no portal de administração do {mdm} e verifique {what} (aplicativos instalados e políticas)."
        ),
        (Lang::En, Reporter::FleetFile) => format!(
            "Check {what} in your MDM, state it in the fleet file and import the file again."
        ),
        (Lang::PtBr, Reporter::FleetFile) => format!(
            "Verifique {what} no MDM, declare-o no arquivo da frota e importe o arquivo de novo."
        ),
    }
}
