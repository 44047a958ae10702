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
});
