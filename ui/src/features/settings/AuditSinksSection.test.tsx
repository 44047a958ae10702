import { screen, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { AuditSinkStatus } from "../../bindings/AuditSinkStatus";
import type { FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

const DOWN: AuditSinkStatus = {
  id: "splunk",
  config: { kind: "syslog", host: "siem.example", port: 6514, tls: true, ca_file: null, app_name: "helpatwork", hostname: "desk-01" },
  bearer_set: false,
  pending: 1250,
  oldest_at: "2026-11-20T08:00:00.000Z",
  oldest_age_seconds: 7200,
  attempts: 9,
  last_error: "could not connect to syslog siem.example:6514: Connection refused",
  last_error_at: "2026-11-20T09:59:00.000Z",
  next_attempt_at: "2026-11-20T10:04:00.000Z",
  delivered: 310,
  last_delivered_at: "2026-11-20T08:00:00.000Z",
};

async function openSinks(options: FakeOptions = {}) {
  const rendered = await renderApp(options);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  const section = await screen.findByTestId("settings-sinks");
  return { ...rendered, section };
}

describe("audit streaming in settings", () => {
  test("shows each sink's backlog and last error, and Send now delivers it", async () => {
    const { user, section, backend } = await openSinks({ sinks: [DOWN] });
    const backlog = await within(section).findByTestId("sink-splunk-backlog");
    expect(backlog).toHaveTextContent("1,250 pending, oldest 7,200 s ago · 310 delivered");
    expect(within(section).getByTestId("sink-splunk-error")).toHaveTextContent("Connection refused");
    await user.click(within(section).getByTestId("sinks-send"));
    expect(await within(section).findByTestId("sinks-sent")).toHaveTextContent("splunk: 1,250 sent, 0 pending (delivered)");
    expect(backend.callsOf("send_audit")).toHaveLength(1);
    expect(await within(section).findByTestId("sink-splunk-backlog")).toHaveTextContent("0 pending · 1,560 delivered");
  });

  test("adding a plain-TCP sink to another host is refused with the fix; a TLS one is added", async () => {
    const { user, section, backend } = await openSinks();
    expect(await within(section).findByTestId("sinks-none")).toBeInTheDocument();
    await user.type(within(section).getByTestId("sink-form-id"), "siem-1");
    await user.type(within(section).getByTestId("sink-form-host"), "siem.example");
    await user.click(within(section).getByTestId("sink-form-tls"));
    await user.click(within(section).getByTestId("sink-form-save"));
    const error = await within(section).findByTestId("sink-form-error");
    expect(error).toHaveTextContent("clear text");
    expect(error).toHaveTextContent("Turn TLS on");

    await user.click(within(section).getByTestId("sink-form-tls"));
    await user.click(within(section).getByTestId("sink-form-save"));
    expect(await within(section).findByTestId("sink-siem-1")).toHaveTextContent("syslog siem.example:6514 (TLS)");
    expect(backend.callsOf("put_audit_sink").at(-1)).toEqual({
      sink: {
        id: "siem-1",
        config: { kind: "syslog", host: "siem.example", port: 6514, tls: true, ca_file: null, app_name: "", hostname: "" },
        bearer: null,
      },
    });

    await user.click(within(section).getByTestId("sink-siem-1-remove"));
    expect(await within(section).findByTestId("sinks-none")).toBeInTheDocument();
  });

  test("speaks Portuguese", async () => {
    const { section } = await openSinks({ sinks: [DOWN], lang: "pt-BR" });
    expect(await within(section).findByTestId("sink-splunk-backlog")).toHaveTextContent("pendentes");
    expect(within(section).getByTestId("sinks-send")).toHaveTextContent("Enviar agora");
  });
});
