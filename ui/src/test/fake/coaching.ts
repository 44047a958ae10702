/**
 * The coaching card in the fake back end, as `crates/domain/src/coaching.rs` writes it and
 * `crates/app/src/session/coaching.rs` answers it for a session: the device's platform (a Google
 * Pixel asks every session, S7), the back end's language, the session's code.
 */
import type { CoachingCard } from "../../bindings/CoachingCard";
import type { Lang } from "../../bindings/Lang";
import { apiError, type FakeState } from "./state";

export function coachingCard(state: FakeState, id: string, lang: Lang): CoachingCard {
  const session = state.sessions.get(id);
  if (!session) throw apiError("not_found", `No session ${id}.`, "Start a new session.");
  if (session.mode === "unattended") {
    throw apiError(
      "invalid_input",
      "An unattended session has no one on the device to read a coaching card.",
      "Ask for the coaching card of an attended session.",
    );
  }
  const device = state.details.get(session.device_id);
  if (!device) {
    throw apiError(
      "not_found",
      `The device ${session.device_id} is no longer in the fleet.`,
      "Sync the devices (`helpatwork devices sync`), then open the session again.",
    );
  }
  const pixel = device.manufacturer.trim().toLowerCase() === "google" && device.model.trim().toLowerCase().startsWith("pixel");
  const pt = lang === "pt-BR";
  const t = (en: string, ptBr: string) => (pt ? ptBr : en);
  const screen =
    device.platform === "ios"
      ? t("When iOS asks to share your screen, tap Start Broadcast.", "Quando o iOS pedir para compartilhar a tela, toque em Iniciar Transmissão.")
      : pixel
        ? t(
            "When Android asks to share your screen, tap Start now. This Google Pixel asks every session: accept it each time.",
            "Quando o Android pedir para compartilhar a tela, toque em Iniciar agora. Este Google Pixel pergunta em toda sessão: aceite sempre.",
          )
        : t("When Android asks to share your screen, tap Start now.", "Quando o Android pedir para compartilhar a tela, toque em Iniciar agora.");
  const code = session.code;
  const codeStep =
    code === null
      ? t("Read the session code QuickSupport shows back to your agent.", "Leia para o seu agente o código da sessão que o QuickSupport mostra.")
      : t(
          `Read the session code QuickSupport shows back to your agent: it must be ${code}.`,
          `Leia para o seu agente o código da sessão que o QuickSupport mostra: ele deve ser ${code}.`,
        );
  return {
    lang,
    title: t("Your remote support session: what you will do", "Sua sessão de suporte remoto: o que você vai fazer"),
    steps: [
      {
        rule: "S6",
        text: t(
          "Open TeamViewer QuickSupport and accept TeamViewer's licence agreement (EULA) when it is shown.",
          "Abra o TeamViewer QuickSupport e aceite o contrato de licença (EULA) do TeamViewer quando ele aparecer.",
        ),
      },
      { rule: "S7", text: screen },
      {
        rule: "S8",
        text: t(
          "Keep QuickSupport running in the background until your agent ends the session: do not close it or restart the device.",
          "Mantenha o QuickSupport em execução em segundo plano até o agente encerrar a sessão: não o feche nem reinicie o dispositivo.",
        ),
      },
      { rule: "S4", text: codeStep },
    ],
    code,
  };
}
