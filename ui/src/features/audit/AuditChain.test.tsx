import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { AuditVerification } from "../../bindings/AuditVerification";
import { apiError, makeAuditEntry, type FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

const AUDIT = [
  makeAuditEntry({ id: "a3", at: "2026-11-20T12:00:00.000Z", action: "session.close" }),
  makeAuditEntry({ id: "a2", at: "2026-11-20T11:00:00.000Z", action: "session.start" }),
  makeAuditEntry({ id: "a1", at: "2026-11-20T10:00:00.000Z", action: "admin.activate" }),
];

/** What the back end answers when event a2 was edited in the database. */
const EDITED: AuditVerification = {
  intact: false,
  verified: 1,
  verified_up_to: { seq: 1, id: "a1", at: "2026-11-20T10:00:00.000Z", action: "admin.activate", hash: "ab".repeat(32) },
  head_seq: 3,
  broken: {
    kind: "edited",
    seq: 2,
    event: { seq: 2, id: "a2", at: "2026-11-20T11:00:00.000Z", action: "session.start", hash: "cd".repeat(32) },
    expected: `hash ${"cd".repeat(32)}`,
    found: `hash ${"ef".repeat(32)} of the event as stored`,
    description: "Event a2 (#2, session.start, 2026-11-20T11:00:00.000Z) was changed after it was written.",
  },
  message:
    "The audit trail was tampered with. Event a2 (#2, session.start, 2026-11-20T11:00:00.000Z) was changed after it was written.",
  fix: "Keep the database and this report as they are, compare the trail with a backup or an earlier export.",
};

async function openAudit(options: FakeOptions = {}) {
  const rendered = await renderApp({ audit: AUDIT, ...options });
  await rendered.user.click(screen.getByTestId("nav-audit"));
  const view = await screen.findByTestId("audit-view");
  return { ...rendered, view };
}

describe("audit chain", () => {
  test("an intact trail says how far it was verified: the newest event, its position and time", async () => {
    const { view, backend } = await openAudit();
    const chain = await within(view).findByTestId("audit-chain");
    expect(chain).toHaveAttribute("data-intact", "true");
    expect(chain).toHaveAttribute("role", "status");
    const at = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(
      new Date("2026-11-20T12:00:00.000Z"),
    );
    expect(chain).toHaveTextContent(`Verified up to event a3 (#3, session.close, ${at})`);
    expect(chain).toHaveTextContent("3 events, each chained to the one before it by its hash");
    expect(backend.callsOf("verify_audit")).toHaveLength(1);
  });

  test("a broken chain is a visible warning naming the event, what differs and the fix", async () => {
    const { view } = await openAudit({ auditChain: EDITED });
    const chain = await within(view).findByTestId("audit-chain");
    expect(chain).toHaveAttribute("data-intact", "false");
    expect(chain).toHaveAttribute("role", "alert");
    expect(chain).toHaveClass("notice--warn");
    expect(chain).toHaveAttribute("data-break-kind", "edited");
    expect(chain).toHaveAttribute("data-break-event", "a2");
    expect(chain).toHaveTextContent("The audit trail was tampered with");
    expect(within(chain).getByTestId("audit-chain-message")).toHaveTextContent("Event a2 (#2, session.start");
    expect(chain).toHaveTextContent(`Expected${"hash " + "cd".repeat(32)}`);
    expect(chain).toHaveTextContent("How to fix: Keep the database and this report as they are");
    expect(chain).toHaveTextContent("Verified up to event a1 (#1, admin.activate");
    // The events themselves are still listed.
    expect(await within(view).findAllByTestId("audit-row")).toHaveLength(3);
  });

  test("verify again asks the back end again and shows its new answer", async () => {
    const { view, user, backend } = await openAudit({ auditChain: EDITED });
    await within(view).findByTestId("audit-chain");
    backend.setAuditChain(null);
    await user.click(within(view).getByTestId("audit-chain-again"));
    await waitFor(() => {
      expect(within(view).getByTestId("audit-chain")).toHaveAttribute("data-intact", "true");
    });
    expect(backend.callsOf("verify_audit")).toHaveLength(2);
  });

  test("an empty trail has nothing to verify", async () => {
    const { view } = await openAudit({ audit: [] });
    expect(await within(view).findByTestId("audit-chain")).toHaveTextContent("No audit events to verify yet.");
  });

  test("when the chain cannot be read, the error and its fix, with a retry", async () => {
    const { view } = await openAudit({
      errors: { verify_audit: apiError("internal", "database error: no such table", "Run the command again.") },
    });
    const error = await within(view).findByTestId("audit-chain-error");
    expect(error).toHaveTextContent("The audit trail could not be verified");
    expect(error).toHaveTextContent("Run the command again.");
  });

  test("pt-BR: verified up to", async () => {
    const { view } = await openAudit({ info: { lang: "pt-BR" } });
    expect(await within(view).findByTestId("audit-chain")).toHaveTextContent("Verificada até o evento a3 (nº 3, session.close");
  });

  test("pt-BR: the broken chain's warning", async () => {
    const { view } = await openAudit({ info: { lang: "pt-BR" }, auditChain: EDITED });
    const warning = await within(view).findByTestId("audit-chain");
    expect(warning).toHaveTextContent("A trilha de auditoria foi adulterada");
    expect(warning).toHaveTextContent("Esperado");
    expect(warning).toHaveTextContent("Verificar de novo");
  });
});
