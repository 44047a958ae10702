import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import type { FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

async function openPolicies(options: FakeOptions = {}) {
  const rendered = await renderApp(options);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  const view = await screen.findByTestId("settings-view");
  const section = await within(view).findByTestId("settings-policies");
  return { ...rendered, section };
}

const BYOD: PolicyEntry = {
  policy: { name: "BYOD", group: { ownership: "personal" }, reason_required: true, unattended: "forbidden", personal_view_only: true },
  updated_at: "2026-12-06T12:00:00Z",
  updated_by: "maria.admin",
};

describe("settings: support policies", () => {
  test("add a policy: the ticket pattern is checked as it is typed, then saved and listed", async () => {
    const { user, section, backend } = await openPolicies();
    expect(within(section).getByRole("heading", { level: 2, name: "Support policies" })).toBeInTheDocument();
    expect(await within(section).findByTestId("policies-empty")).toHaveTextContent("No support policies.");
    await user.click(within(section).getByTestId("policy-add"));
    const form = within(section).getByTestId("policy-form");
    await user.type(within(form).getByLabelText("Name"), "Tickets");
    const pattern = within(form).getByLabelText("Ticket pattern (regular expression, whole reference)");
    await user.type(pattern, "INC(");
    expect(within(form).getByRole("alert")).toHaveTextContent("Not a valid regular expression.");
    await user.click(within(form).getByTestId("policy-save"));
    expect(backend.callsOf("set_policy")).toHaveLength(0);
    await user.clear(pattern);
    await user.type(pattern, "INC\\d{{7}");
    await user.selectOptions(within(form).getByLabelText("Unattended"), "approval");
    await user.clear(within(form).getByLabelText("Approval valid for (minutes)"));
    await user.type(within(form).getByLabelText("Approval valid for (minutes)"), "15");
    await user.click(within(form).getByTestId("policy-save"));
    const item = await within(section).findByTestId("policy-item");
    expect(item).toHaveTextContent("Tickets");
    expect(item).toHaveTextContent("INC\\d{7}");
    expect(backend.callsOf("set_policy")).toEqual([
      {
        policy: {
          name: "Tickets",
          group: {},
          reason_required: false,
          ticket_pattern: "INC\\d{7}",
          unattended: "approval",
          approval_minutes: 15,
          personal_view_only: false,
        },
      },
    ]);
  });

  test("edit keeps the group and shows the back end's refusal with its fix; remove takes it off the list (pt-BR)", async () => {
    const { user, section, backend } = await openPolicies({ policies: [BYOD], lang: "pt-BR" });
    const item = await within(section).findByTestId("policy-item");
    expect(item).toHaveTextContent("Somente visualização em dispositivos pessoais");
    await user.click(within(item).getByTestId("policy-edit"));
    const form = within(section).getByTestId("policy-form");
    expect(within(form).getByLabelText("Propriedade")).toHaveValue("personal");
    await user.selectOptions(within(form).getByLabelText("Acesso autônomo"), "approval");
    await user.clear(within(form).getByLabelText("Aprovação válida por (minutos)"));
    await user.type(within(form).getByLabelText("Aprovação válida por (minutos)"), "0");
    await user.click(within(form).getByTestId("policy-save"));
    const error = await within(section).findByTestId("policy-error");
    expect(error).toHaveTextContent("A política não foi salva");
    expect(error).toHaveTextContent("Set approval_minutes, e.g. 30.");
    await user.click(within(form).getByTestId("policy-cancel"));
    await user.click(within(section).getByTestId("policy-remove"));
    await within(section).findByTestId("policies-empty");
    expect(backend.callsOf("remove_policy")).toEqual([{ name: "BYOD" }]);
    await waitFor(() => {
      expect(within(section).queryByTestId("policy-item")).not.toBeInTheDocument();
    });
  });

  test("allowed hours: on with a time zone and ranges, checked as typed, saved, listed; the back end's zone check shows", async () => {
    const { user, section, backend } = await openPolicies();
    await user.click(within(section).getByTestId("policy-add"));
    const form = within(section).getByTestId("policy-form");
    await user.type(within(form).getByLabelText("Name"), "Office hours");
    await user.click(within(form).getByLabelText("Only at set hours (otherwise any time)"));
    const zone = within(form).getByLabelText("Time zone (IANA, e.g. America/Sao_Paulo)");
    await user.clear(zone);
    await user.type(zone, "America/Sao_Paulo");
    const range = (n: number): HTMLElement => {
      const found = within(form).getAllByTestId("policy-range")[n];
      if (found === undefined) throw new Error(`no time range ${String(n + 1)}`);
      return found;
    };
    const first = range(0);
    await user.clear(within(first).getByTestId("policy-to"));
    await user.type(within(first).getByTestId("policy-to"), "7:00");
    expect(within(first).getByRole("alert")).toHaveTextContent("Write times as HH:MM");
    await user.click(within(form).getByTestId("policy-save"));
    expect(backend.callsOf("set_policy")).toHaveLength(0);
    await user.clear(within(first).getByTestId("policy-to"));
    await user.type(within(first).getByTestId("policy-to"), "07:00");
    expect(within(first).getByRole("alert")).toHaveTextContent("ends before it starts");
    await user.clear(within(first).getByTestId("policy-to"));
    await user.type(within(first).getByTestId("policy-to"), "18:00");
    expect(within(first).queryByRole("alert")).not.toBeInTheDocument();
    await user.click(within(form).getByTestId("policy-range-add"));
    const second = range(1);
    await user.click(within(second).getByTestId("policy-day-sat"));
    expect(within(second).getByRole("alert")).toHaveTextContent("Choose at least one day.");
    await user.click(within(second).getByTestId("policy-day-sun"));
    await user.click(within(form).getByTestId("policy-save"));
    const item = await within(section).findByTestId("policy-item");
    expect(item).toHaveTextContent("Allowed hours: Mon, Tue, Wed, Thu, Fri 08:00–18:00; Sun 09:00–13:00 (America/Sao_Paulo)");
    expect(backend.callsOf("set_policy")[0]).toMatchObject({
      policy: {
        hours: {
          time_zone: "America/Sao_Paulo",
          windows: [
            { days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "18:00" },
            { days: ["sun"], from: "09:00", to: "13:00" },
          ],
        },
      },
    });

    await user.click(within(item).getByTestId("policy-edit"));
    const edit = within(section).getByTestId("policy-form");
    expect(within(edit).getByLabelText("Time zone (IANA, e.g. America/Sao_Paulo)")).toHaveValue("America/Sao_Paulo");
    await user.clear(within(edit).getByLabelText("Time zone (IANA, e.g. America/Sao_Paulo)"));
    await user.type(within(edit).getByLabelText("Time zone (IANA, e.g. America/Sao_Paulo)"), "Mars/Olympus");
    await user.click(within(edit).getByTestId("policy-save"));
    const error = await within(section).findByTestId("policy-error");
    expect(error).toHaveTextContent('"Mars/Olympus" is not a known time zone.');
    expect(error).toHaveTextContent("Use an IANA time zone name");
    await user.click(within(edit).getByLabelText("Only at set hours (otherwise any time)"));
    await user.click(within(edit).getByTestId("policy-save"));
    await waitFor(() => {
      expect(within(section).getByTestId("policy-item")).not.toHaveTextContent("Allowed hours");
    });
    expect(backend.callsOf("set_policy").at(-1)).not.toHaveProperty("policy.hours");
  });
});
