import { describe, expect, test } from "vitest";
import { en } from "./en";
import { createI18n, dictionaries, LANGS } from "./i18n";
import { ptBR } from "./pt-BR";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  test("en and pt-BR have identical key sets", () => {
    expect(Object.keys(ptBR).sort()).toEqual(Object.keys(en).sort());
  });

  test("no value is empty", () => {
    for (const lang of LANGS) {
      for (const [key, value] of Object.entries(dictionaries[lang])) {
        expect(value.trim(), `${lang}:${key}`).not.toBe("");
      }
    }
  });

  test("both languages use the same placeholders per key", () => {
    for (const [key, value] of Object.entries(en)) {
      expect(placeholders(ptBR[key as keyof typeof en]), key).toEqual(placeholders(value));
    }
  });

  test("spec Interface words are verbatim in en and pt-BR (S1, S2)", () => {
    const words: [keyof typeof en, string, string][] = [
      ["actions.remoteControl", "Start TeamViewer remote control", "Iniciar controle remoto do TeamViewer"],
      ["actions.remoteView", "Remote view", "Exibição remota"],
      ["mode.attended", "Attended mode (default)", "Modo assistido (padrão)"],
      ["mode.unattended", "Unattended mode (Android only)", "Modo autônomo (disponível apenas no Android)"],
      ["actions.menu", "Actions", "Ações"],
      ["devices.title", "Devices", "Dispositivos"],
    ];
    for (const [key, english, portuguese] of words) {
      expect(en[key]).toBe(english);
      expect(ptBR[key]).toBe(portuguese);
    }
  });

  test("spec Interface words of the admin page and the navigation are verbatim (A1–A3)", () => {
    const words: [keyof typeof en, string, string][] = [
      ["activation.heading", "Activate TeamViewer", "Ativar TeamViewer"],
      ["activation.attended", "Attended TeamViewer", "TeamViewer assistido"],
      ["activation.unattended", "Unattended TeamViewer (Android only)", "TeamViewer autônomo (somente Android)"],
      ["activation.activateNow", "Activate now", "Ativar agora"],
      ["eula.agree", "I agree", "Concordo"],
      ["activation.remove", "Remove activation", "Remover ativação"],
      ["removal.title", "Confirm removal of activation", "Confirmar remoção de ativação"],
      ["nav.devices", "Devices", "Dispositivos"],
      ["nav.sessions", "Sessions", "Sessões"],
      ["nav.admin", "Admin", "Administrador"],
      ["admin.crumbAdmin", "Admin", "Administrador"],
      ["admin.crumbInfrastructure", "Infrastructure", "Infraestrutura"],
      ["eula.title", "TeamViewer EULA", "EULA do TeamViewer"],
    ];
    for (const [key, english, portuguese] of words) {
      expect(en[key]).toBe(english);
      expect(ptBR[key]).toBe(portuguese);
    }
  });
});

test("account words and every session state in en and pt-BR (S3, session lifecycle)", () => {
  const words: [keyof typeof en, string, string][] = [
    ["account.signIn", "Sign in to TeamViewer", "Entrar no TeamViewer"],
    ["account.signOut", "Sign out", "Sair"],
    ["account.notSignedIn", "Not signed in", "Não conectado"],
    ["state.requested", "Requested", "Solicitada"],
    ["state.created", "Created", "Criada"],
    ["state.delivered", "Delivered to device", "Entregue ao dispositivo"],
    ["state.waiting", "Waiting for user", "Aguardando o usuário"],
    ["state.active", "Active", "Ativa"],
    ["state.closed", "Closed", "Encerrada"],
    ["state.expired", "Expired", "Expirada"],
    ["state.lost", "Lost", "Perdida"],
    ["state.failed", "Failed", "Falhou"],
  ];
  for (const [key, english, portuguese] of words) {
    expect(en[key]).toBe(english);
    expect(ptBR[key]).toBe(portuguese);
  }
});

describe("formatting in the active language", () => {
  test("placeholders, plurals and numbers follow the language", () => {
    expect(createI18n("en").tn("app.deviceCount", 1)).toBe("1 device");
    expect(createI18n("en").tn("app.deviceCount", 100000)).toBe("100,000 devices");
    expect(createI18n("pt-BR").tn("app.deviceCount", 100000)).toBe("100.000 dispositivos");
    expect(createI18n("pt-BR").tn("devices.resultCount", 1)).toBe("1 resultado");
    expect(createI18n("pt-BR").t("mode.dialogTitle", { device: "X" })).toBe("Iniciar uma sessão em X");
  });

  test("recent check-ins are relative, older ones a locale date", () => {
    const now = Date.parse("2026-11-20T12:00:00Z");
    expect(createI18n("en").formatRelative("2026-11-20T10:00:00Z", now)).toBe("2 hours ago");
    expect(createI18n("pt-BR").formatRelative("2026-11-20T10:00:00Z", now)).toBe("há 2 horas");
    expect(createI18n("en").formatRelative("2026-10-01T10:00:00Z", now)).toMatch(/2026/);
    expect(createI18n("en").formatRelative("not a date", now)).toBe("not a date");
  });
});
