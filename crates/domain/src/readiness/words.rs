//! What each board group means and how it is fixed, in English and Brazilian Portuguese.

use super::Blocker;
use crate::device::Mode;
use crate::lang::Lang;

impl Blocker {
    /// The group's label and its fix sentence.
    pub fn words(self, mode: Mode, lang: Lang) -> (&'static str, &'static str) {
        let label = match self {
            Blocker::Unsupported => lang.pick(
                "Unsupported platform or OS",
                "Plataforma ou sistema sem suporte",
            ),
            Blocker::Quicksupport => lang.pick(
                "QuickSupport missing or unmanaged",
                "QuickSupport ausente ou não gerenciado",
            ),
            Blocker::HostNotDistributed => {
                lang.pick("Host not distributed", "Host não distribuído")
            }
            Blocker::HostNotActivated => lang.pick("Host not activated", "Host não ativado"),
            Blocker::Allowlist => lang.pick(
                "Not allowlisted (kiosk)",
                "Fora da lista de permissões (quiosque)",
            ),
            Blocker::VersionsApart => lang.pick(
                "Desktop client and device app versions apart",
                "Versões do cliente desktop e do aplicativo distantes",
            ),
            Blocker::ViewOnly => lang.pick(
                "No control add-on: view only",
                "Sem add-on de controle: somente visualização",
            ),
            Blocker::Offline => lang.pick("Offline for too long", "Offline há muito tempo"),
            Blocker::FactsUnknown => lang.pick(
                "Facts the MDM does not report",
                "Fatos que o MDM não informa",
            ),
        };
        let fix = match (self, mode) {
            (Blocker::Unsupported, Mode::Unattended) => lang.pick(
                "No fix: unattended needs Android (L2, S2); help these devices attended.",
                "Sem correção: o modo autônomo requer Android (L2, S2); atenda estes dispositivos no modo assistido.",
            ),
            (Blocker::Unsupported, Mode::Attended) => lang.pick(
                "No fix from here: Help@Work supports Android and iOS 11 or later, not MAM-only (L2).",
                "Sem correção por aqui: o Help@Work suporta Android e iOS 11 ou posterior, sem ser só MAM (L2).",
            ),
            (Blocker::Quicksupport, _) => lang.pick(
                "Distribute QuickSupport as a managed app (iOS: from the App Catalog; a user-installed copy is converted to managed).",
                "Distribua o QuickSupport como aplicativo gerenciado (iOS: pelo App Catalog; uma cópia instalada pelo usuário é convertida em gerenciada).",
            ),
            (Blocker::HostNotDistributed, _) => lang.pick(
                "Distribute Host to these devices: each takes an unattended licence (U3).",
                "Distribua o Host para estes dispositivos: cada um usa uma licença autônoma (U3).",
            ),
            (Blocker::HostNotActivated, _) => lang.pick(
                "Ask each device user to open Host once for its one-time activation (U2); a forced check-in reports it.",
                "Peça a cada usuário que abra o Host uma vez para a ativação única (U2); um check-in forçado a informa.",
            ),
            (Blocker::Allowlist, _) => lang.pick(
                "Add the app and the add-on to the kiosk's allowlist in the MDM console (U4).",
                "Adicione o aplicativo e o add-on à lista de permissões do quiosque no console do MDM (U4).",
            ),
            (Blocker::VersionsApart, _) => lang.pick(
                "Update the TeamViewer desktop client on this PC (S11).",
                "Atualize o cliente desktop do TeamViewer neste PC (S11).",
            ),
            (Blocker::ViewOnly, _) => lang.pick(
                "Distribute the add-on that serves each device's manufacturer, else the Universal Add-On (A6).",
                "Distribua o add-on do fabricante de cada dispositivo ou o Universal Add-On (A6).",
            ),
            (Blocker::Offline, _) => lang.pick(
                "Force a check-in; devices that stay silent may be retired in the MDM.",
                "Force um check-in; dispositivos que continuarem sem resposta podem ser desativados no MDM.",
            ),
            (Blocker::FactsUnknown, _) => lang.pick(
                "Force a check-in so the MDM reports the apps; check the rest in the MDM console.",
                "Force um check-in para que o MDM informe os aplicativos; verifique o restante no console do MDM.",
            ),
        };
        (label, fix)
    }
}
