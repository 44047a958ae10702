/**
 * The strings of armed sessions (started at the device's next check-in) and the coaching card,
 * in both languages. Spread into `en.ts` and `pt-BR.ts`; `armedPtBR` must have exactly
 * `armedEn`'s keys (a compile error otherwise).
 */
export const armedEn = {
  "armed.title": "Waiting for the device",
  "armed.hint": "Armed sessions start by themselves when the device next checks in, and notify you.",
  "armed.device": "Device",
  "armed.agent": "Agent",
  "armed.reason": "Reason",
  "armed.expires": "Waits until",
  "armed.rearmOf": "starts {id} again",
  "armed.cancel": "Cancel",
  "armed.cancelling": "Cancelling…",
  "armed.cancelFailed": "The armed session was not cancelled",
  "armed.loadFailed": "The armed sessions could not be loaded",
  "armed.firedTitle": "Armed session started",
  "armed.firedBody": "{device} checked in: the session started and went to TeamViewer.",
  "armed.failedTitle": "Armed session not started",
  "armed.failedBody": "{device} checked in, but the session did not start: {error}",
  "armed.expiredTitle": "Armed session expired",
  "armed.expiredBody": "{device} did not check in in time.",
} as const;

export const armedPtBR: Readonly<Record<keyof typeof armedEn, string>> = {
  "armed.title": "Aguardando o dispositivo",
  "armed.hint": "Sessões armadas começam sozinhas no próximo check-in do dispositivo e avisam você.",
  "armed.device": "Dispositivo",
  "armed.agent": "Agente",
  "armed.reason": "Motivo",
  "armed.expires": "Aguarda até",
  "armed.rearmOf": "reinicia {id}",
  "armed.cancel": "Cancelar",
  "armed.cancelling": "Cancelando…",
  "armed.cancelFailed": "A sessão armada não foi cancelada",
  "armed.loadFailed": "Não foi possível carregar as sessões armadas",
  "armed.firedTitle": "Sessão armada iniciada",
  "armed.firedBody": "{device} fez check-in: a sessão começou e foi para o TeamViewer.",
  "armed.failedTitle": "Sessão armada não iniciada",
  "armed.failedBody": "{device} fez check-in, mas a sessão não começou: {error}",
  "armed.expiredTitle": "Sessão armada expirada",
  "armed.expiredBody": "{device} não fez check-in a tempo.",
};
