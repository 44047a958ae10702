// Real-window smoke journey: the built Tauri app on the demo fleet, driven through WebDriver.
// Needs: DISPLAY (Xvfb), tauri-driver on TAURI_DRIVER_PORT, APP_BIN, HELPATWORK_DATA_DIR.
import { remote } from "webdriverio";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";

const app = process.env.APP_BIN;
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.SCREENSHOT_DIR ?? "docs/screenshots";
mkdirSync(shots, { recursive: true });

const results = [];
// textContent through the page: WebKitWebDriver's getText is unreliable on virtualized rows.
const text = (selector) =>
  browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
async function step(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${e?.message ?? e}`);
    const failure = path.join(process.env.FAILURE_DIR ?? "/tmp", "window-test-failure.png");
    await browser.saveScreenshot(failure).catch(() => {});
    console.log(`     screenshot: ${failure}`);
    throw e;
  }
}

const browser = await remote({
  hostname: "127.0.0.1",
  port,
  path: "/",
  logLevel: "warn",
  capabilities: {
    browserName: "wry",
    // WebKitWebDriver rejects the BiDi webSocketUrl capability that WebdriverIO 9 adds.
    "wdio:enforceWebDriverClassic": true,
    "tauri:options": { application: app, args: ["--demo"] },
  },
});

try {
  await step("the demo fleet is listed", async () => {
    const row = await browser.$('[data-testid="device-row"]');
    await row.waitForDisplayed({ timeout: 30000 });
    const badge = await browser.$('[data-testid="demo-badge"]');
    if (!(await badge.isDisplayed())) throw new Error("Demo badge missing");
    const rows = await browser.$$('[data-testid="device-row"]');
    if (rows.length < 10) throw new Error(`only ${rows.length} rows rendered`);
    if (rows.length > 120) throw new Error(`${rows.length} rows rendered: the table is not virtualized`);
    await browser.saveScreenshot(path.join(shots, "devices.png"));
  });

  await step("search finds a Pixel and its Actions menu offers remote control (S1)", async () => {
    const search = await browser.$('[data-testid="device-search"]');
    await search.setValue("and-0020");
    await browser.waitUntil(
      async () => (await text('[data-testid="device-row"]')).includes("Pixel"),
      { timeout: 10000, timeoutMsg: "no Pixel row after search" },
    );
    await (await browser.$('[data-testid="device-row"]')).click();
    const detail = await browser.$('[data-testid="device-detail"]');
    await detail.waitForDisplayed({ timeout: 10000 });
    await (await browser.$('[data-testid="actions-button"]')).click();
    const item = await browser.$('[data-testid="remote-action"]');
    await item.waitForDisplayed({ timeout: 5000 });
    const label = await text('[data-testid="remote-action"]');
    if (!label.includes("Start TeamViewer remote control")) throw new Error(`menu item reads "${label}"`);
    await browser.saveScreenshot(path.join(shots, "actions-menu.png"));
  });

  await step("the mode dialog offers Attended (default) and Unattended (Android only) (S2)", async () => {
    await (await browser.$('[data-testid="remote-action"]')).click();
    const dialog = await browser.$('[data-testid="mode-dialog"]');
    await dialog.waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="mode-attended"]')).waitForDisplayed({ timeout: 5000 });
    if (!(await text('[data-testid="mode-attended"]')).includes("Attended mode (default)")) throw new Error("attended label");
    if (!(await text('[data-testid="mode-unattended"]')).includes("Unattended mode (Android only)")) throw new Error("unattended label");
    await browser.pause(500);
    await browser.saveScreenshot(path.join(shots, "mode-dialog.png"));
  });

  await step("not signed in: Start → sign in → the start continues by itself (S3)", async () => {
    await (await browser.$('[data-testid="start-button"]')).click();
    const signIn = await browser.$('[data-testid="sign-in-continue"]');
    await signIn.waitForDisplayed({ timeout: 15000 });
    await signIn.click();
    const code = await browser.$('[data-testid="session-code"]');
    await code.waitForDisplayed({ timeout: 30000 });
    const value = (await text('[data-testid="session-code"]')).trim();
    if (!/^s\d{2,4}-\d{3}-\d{3}$/.test(value)) throw new Error(`session code "${value}"`);
    await browser.saveScreenshot(path.join(shots, "session-panel.png"));
  });

  await step("the session panel shows the coaching card: what the Pixel's user will do (S6, S7, S8) and the code to confirm; Code confirmed", async () => {
    const card = await browser.$('[data-testid="coaching-card"]');
    await card.waitForDisplayed({ timeout: 15000 });
    await (await browser.$('[data-testid="coaching-steps"]')).waitForDisplayed({ timeout: 15000 });
    const rules = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="coaching-step"]')].map((li) => li.dataset.rule),
    );
    for (const rule of ["S6", "S7", "S8"]) if (!rules.includes(rule)) throw new Error(`card steps ${rules}`);
    const pixel = await text('[data-testid="coaching-step"][data-rule="S7"]');
    if (!/every/i.test(pixel)) throw new Error(`a Pixel asks every session (S7): "${pixel}"`);
    const sessionCode = (await text('[data-testid="session-code"]')).trim();
    const cardCode = await browser.execute(() => document.querySelector('[data-testid="coaching-code"]')?.dataset.code ?? "");
    if (cardCode !== sessionCode) throw new Error(`card code "${cardCode}", session code "${sessionCode}"`);
    const confirm = await browser.$('[data-testid="coaching-confirm-button"]');
    await confirm.click();
    await (await browser.$('[data-testid="coaching-confirmed"]')).waitForDisplayed({ timeout: 5000 });
    if ((await confirm.getAttribute("aria-pressed")) !== "true") throw new Error("Code confirmed is not pressed");
    await card.scrollIntoView();
    await browser.saveScreenshot(path.join(shots, "coaching-card.png"));
  });

  await step("the desktop client got the supporter link", async () => {
    const opened = process.env.OPENED_FILE;
    await browser.waitUntil(async () => opened && existsSync(opened), { timeout: 10000, timeoutMsg: "the opener was not called" });
    const links = readFileSync(opened, "utf8").trim().split("\n");
    if (links.length !== 1 || !links[0].startsWith("https://get.teamviewer.com/")) throw new Error(`opener got ${links}`);
  });

  await step("the session follows TeamViewer on its own: the user joins → Active, the case closed there → Closed", async () => {
    // The demo's world outside the product, as another process: the device user opens the
    // session in QuickSupport, later the case is closed at TeamViewer. No click in the window.
    const outside = (event) =>
      execFileSync(process.env.CLI_BIN, ["--demo", "demo", event, "and-0020"], { stdio: "pipe" });
    const state = () => browser.execute(() => document.querySelector('[data-testid="session-state"]')?.dataset.state ?? "");
    // The window reads open sessions back every 15 s (RECONCILE_EVERY); a case gone from
    // TeamViewer's open list is asked for by its code at most once a minute (SINGLE_READ_EVERY):
    // a change shows within 75 s at worst.
    const followed = 100000;
    outside("customer-joins");
    await browser.waitUntil(async () => (await state()) === "active", {
      timeout: followed,
      timeoutMsg: "the session did not turn active from TeamViewer",
    });
    outside("close-case");
    await browser.waitUntil(async () => (await state()) === "closed", {
      timeout: followed,
      timeoutMsg: "the session did not close from TeamViewer",
    });
    await (await browser.$('[data-testid="session-closed-at-teamviewer"]')).waitForDisplayed({ timeout: 5000 });
    await browser.saveScreenshot(path.join(shots, "session-closed-at-teamviewer.png"));
  });
  const cli = (...args) => execFileSync(process.env.CLI_BIN, ["--demo", ...args], { stdio: "pipe" }).toString();
  const openDeviceById = async (id) => {
    const search = await browser.$('[data-testid="device-search"]');
    await search.clearValue();
    await search.setValue(id);
    const row = await browser.$(`[data-device-id="${id}"]`);
    await row.waitForDisplayed({ timeout: 10000 });
    await row.click();
    await browser.waitUntil(async () => (await text('[data-testid="device-detail"]')).includes(id), { timeout: 10000 });
  };
  const lastOpened = () => readFileSync(process.env.OPENED_FILE, "utf8").trim().split("\n").pop() ?? "";

  await step("unattended: the device's Host is matched, assigned and online; Start opens it by its ID, no code written", async () => {
    await browser.keys(["Escape"]);
    await browser.pause(300);
    await (await browser.$('[data-testid="nav-devices"]')).click();
    await openDeviceById("and-0003");
    await browser.waitUntil(
      async () => browser.execute(() => document.querySelector('[data-testid="host-section"]')?.getAttribute("aria-busy") === "false"),
      { timeout: 15000, timeoutMsg: "the Host section did not load" },
    );
    const state = await text('[data-testid="host-state"]');
    if (!/Online/.test(state)) throw new Error(`Host state "${state}"`);
    if (!/alias/.test(await text('[data-testid="host-matched-by"]'))) throw new Error("not matched by its alias");
    await browser.execute(() => document.querySelector('[data-testid="host-section"]')?.scrollIntoView());
    await browser.pause(300);
    await browser.saveScreenshot(path.join(shots, "unattended-host.png"));
    await (await browser.$('[data-testid="actions-button"]')).click();
    await (await browser.$('[data-testid="remote-action"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="remote-action"]')).click();
    await (await browser.$('[data-testid="mode-dialog"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="mode-unattended"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-rule="host_assigned"][data-status="pass"]')).length > 0, {
      timeout: 15000,
      timeoutMsg: "no passing host_assigned check",
    });
    await (await browser.$('[data-testid="start-button"]')).click();
    const panel = await browser.$('[data-testid="session-panel"]');
    await panel.waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(
      async () => browser.execute(() => document.querySelector('[data-testid="session-state"]')?.dataset.state === "active"),
      { timeout: 10000, timeoutMsg: "the unattended session is not active" },
    );
    if (!lastOpened().startsWith("https://start.teamviewer.com/device/r")) throw new Error(`opener got ${lastOpened()}`);
    if ((await text('[data-testid="session-code"]')).match(/^s\d/)) throw new Error("an unattended session shows a session code");
    await browser.saveScreenshot(path.join(shots, "unattended-session.png"));
    await (await browser.$('[data-testid="session-close"]')).click();
    await browser.waitUntil(async () => /closed/i.test(await text('[data-testid="session-state"]')), { timeout: 10000 });
    await browser.keys(["Escape"]);
    await browser.pause(300);
  });

  await step("inbox: a device user asks for help → the badge counts it → Take → assigned to the agent, the desktop client opens it", async () => {
    cli("demo", "request-help", "and-0001");
    const badge = await browser.$('[data-testid="inbox-badge"]');
    await badge.waitForDisplayed({ timeout: 40000, timeoutMsg: "no help request badge" });
    await (await browser.$('[data-testid="nav-inbox"]')).click();
    const row = await browser.$('[data-testid="request-row"]');
    await row.waitForDisplayed({ timeout: 10000 });
    const said = await text('[data-testid="request-row"]');
    if (!said.includes("and-0001") || !said.includes("Samuel")) throw new Error(`request row "${said}"`);
    await browser.saveScreenshot(path.join(shots, "inbox.png"));
    const code = await browser.execute(() => document.querySelector('[data-testid="request-row"]')?.dataset.code ?? "");
    await (await browser.$('[data-testid="request-take"]')).click();
    await (await browser.$('[data-testid="session-panel"]')).waitForDisplayed({ timeout: 30000 });
    if ((await text('[data-testid="session-code"]')).trim() !== code) throw new Error("the taken session is not the request's case");
    if (!lastOpened().startsWith("https://get.teamviewer.com/")) throw new Error(`opener got ${lastOpened()}`);
    const open = JSON.parse(cli("--json", "session", "list", "--open"));
    if (!open.some((s) => s.code === code && s.delivery === "help_request")) throw new Error("no session for the request");
  });

  await step("hand over: Hand over → tier 2 with a reason → theirs at TeamViewer and here; the old holder's Close is gone", async () => {
    await (await browser.$('[data-testid="session-hand-over"]')).click();
    await (await browser.$('[data-testid="handover-dialog"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="handover-agent"]')).waitForDisplayed({ timeout: 10000 });
    await (await browser.$('[data-testid="handover-reason"]')).setValue("needs tier 2: the scanner driver");
    await browser.saveScreenshot(path.join(shots, "handover.png"));
    await (await browser.$('[data-testid="handover-confirm"]')).click();
    await (await browser.$('[data-testid="session-handed-over"]')).waitForDisplayed({ timeout: 15000 });
    if ((await browser.$$('[data-testid="session-close"]')).length !== 0) throw new Error("the old holder can still close it");
    await browser.saveScreenshot(path.join(shots, "handed-over.png"));
    const open = JSON.parse(cli("--json", "session", "list", "--open"));
    const held = open.find((s) => s.device_id === "and-0001");
    if (held?.agent !== "tier2.agent" || held?.teamviewer_userid !== "u22334455") throw new Error(`held by ${held?.agent}`);
    await browser.keys(["Escape"]);
    await browser.pause(300);
    await (await browser.$('[data-testid="nav-devices"]')).click();
  });

  await step("four eyes: a held unattended start awaits approval; tier 2 approves, the start goes on; the window approves tier 2's", async () => {
    // A support policy on Android: unattended needs another agent's approval.
    const policyFile = path.join(process.env.HELPATWORK_DATA_DIR, "four-eyes.json");
    writeFileSync(
      policyFile,
      JSON.stringify({ name: "Four eyes", group: { platform: "android" }, unattended: "approval", approval_minutes: 30 }),
    );
    cli("policy", "set", policyFile);
    await openDeviceById("and-0003");
    await (await browser.$('[data-testid="actions-button"]')).click();
    await (await browser.$('[data-testid="remote-action"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="remote-action"]')).click();
    await (await browser.$('[data-testid="mode-dialog"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="mode-unattended"]')).click();
    await (await browser.$('[data-testid="policy-four-eyes"]')).waitForDisplayed({ timeout: 15000 });
    await (await browser.$('[data-testid="start-button"]')).click();
    await (await browser.$('[data-testid="awaiting-approval"]')).waitForDisplayed({ timeout: 15000 });
    if (!/Awaiting approval/.test(await text('[data-testid="start-error"]'))) throw new Error("no awaiting approval title");
    await browser.saveScreenshot(path.join(shots, "awaiting-approval.png"));
    const held = JSON.parse(cli("--json", "approvals", "list"));
    const mine = held.find((a) => a.device_id === "and-0003" && a.state === "pending");
    if (!mine) throw new Error(`no pending request: ${JSON.stringify(held)}`);
    // The requester cannot approve their own; tier 2, with their own TeamViewer user, does.
    let own = "";
    try {
      cli("--json", "approvals", "approve", mine.id);
    } catch (e) {
      own = `${e.status}`;
    }
    if (own !== "3") throw new Error(`the requester's own approval exited ${own || 0}`);
    const approved = JSON.parse(cli("demo", "tier2", "approve", mine.id));
    if (approved.state !== "approved" || approved.decided_by !== "tier2.agent") throw new Error(JSON.stringify(approved));
    await (await browser.$('[data-testid="start-button"]')).click();
    const panel = await browser.$('[data-testid="session-panel"]');
    await panel.waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(
      async () => browser.execute(() => document.querySelector('[data-testid="session-state"]')?.dataset.state === "active"),
      { timeout: 10000, timeoutMsg: "the approved unattended session is not active" },
    );
    await (await browser.$('[data-testid="session-close"]')).click();
    await browser.waitUntil(async () => /closed/i.test(await text('[data-testid="session-state"]')), { timeout: 10000 });
    await browser.keys(["Escape"]);
    await browser.pause(300);

    // Tier 2's start is held; this window's agent approves it in Approvals.
    let tier2Exit = 0;
    try {
      cli("demo", "tier2", "start", "and-0003", "--reason", "kiosk frozen");
    } catch (e) {
      tier2Exit = e.status;
    }
    if (tier2Exit !== 9) throw new Error(`tier 2's start exited ${tier2Exit}, not 9 (awaiting approval)`);
    await (await browser.$('[data-testid="nav-approvals"]')).click();
    const approve = await browser.$('[data-testid="approval-row"][data-state="pending"] [data-testid="approval-approve"]');
    await approve.waitForDisplayed({ timeout: 15000 });
    await browser.saveScreenshot(path.join(shots, "approvals.png"));
    await approve.click();
    await browser.waitUntil(
      async () => /Approved/.test(await text('[data-testid="approval-row"] [data-testid="approval-state"]')),
      { timeout: 10000, timeoutMsg: "the request was not approved in the window" },
    );
    const audit = JSON.parse(cli("--json", "audit", "list", "--action", "approval.approved"));
    if (audit.length !== 2) throw new Error(`${audit.length} approval.approved events`);
    cli("policy", "remove", "Four eyes");
    await (await browser.$('[data-testid="nav-devices"]')).click();
  });

  await step("blocked: a MAM-only iOS device shows Remote view disabled with the reason (L2)", async () => {
    await browser.keys(["Escape"]);
    await browser.pause(300);
    const search = await browser.$('[data-testid="device-search"]');
    await search.clearValue();
    await search.setValue("ios-0048");
    await browser.waitUntil(
      async () => (await text('[data-testid="device-row"]')).includes("Bruno"),
      { timeout: 10000, timeoutMsg: "no ios-0048 row" },
    );
    await (await browser.$('[data-testid="device-row"]')).click();
    await (await browser.$('[data-testid="device-detail"]')).waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(async () => (await text('[data-testid="device-detail"]')).includes("ios-0048"), { timeout: 10000 });
    await (await browser.$('[data-testid="actions-button"]')).click();
    const item = await browser.$('[data-testid="remote-action"]');
    await item.waitForDisplayed({ timeout: 5000 });
    const label = await text('[data-testid="remote-action"]');
    const disabled = await item.getAttribute("aria-disabled");
    if (!label.includes("Remote view") || disabled !== "true" || !/MAM/.test(await text('[data-testid="device-detail"]'))) {
      throw new Error(`item "${label}" aria-disabled=${disabled}`);
    }
    await browser.saveScreenshot(path.join(shots, "blocked-ios.png"));
    await browser.keys(["Escape"]);
  });

  await step("iOS: Remote view → Unattended is not offered (reason shown) → Start → the 30-minute countdown (S5)", async () => {
    const search = await browser.$('[data-testid="device-search"]');
    await search.clearValue();
    await search.setValue("ios-0087");
    const row = await browser.$('[data-device-id="ios-0087"]');
    await row.waitForDisplayed({ timeout: 10000 });
    await row.click();
    await browser.waitUntil(async () => (await text('[data-testid="device-detail"]')).includes("ios-0087"), { timeout: 10000 });
    await (await browser.$('[data-testid="actions-button"]')).click();
    const item = await browser.$('[data-testid="remote-action"]');
    await item.waitForDisplayed({ timeout: 5000 });
    if (!(await text('[data-testid="remote-action"]')).includes("Remote view")) throw new Error("the iOS item is not Remote view");
    await item.click();
    await (await browser.$('[data-testid="mode-dialog"]')).waitForDisplayed({ timeout: 5000 });
    const reason = await text('[data-testid="unattended-reason"]');
    if (!/Android/.test(reason)) throw new Error(`no reason for Unattended: "${reason}"`);
    const unattended = await browser.$('[data-testid="mode-unattended"]');
    if (await unattended.isEnabled()) {
      const disabled = await unattended.getAttribute("aria-disabled");
      if (disabled !== "true") throw new Error("Unattended is offered on iOS");
    }
    await (await browser.$('[data-testid="start-button"]')).click();
    const countdown = await browser.$('[data-testid="session-countdown"]');
    await countdown.waitForDisplayed({ timeout: 30000 });
    const shown = await text('[data-testid="session-countdown"]');
    if (!/(29|30):\d\d/.test(shown)) throw new Error(`countdown reads "${shown}"`);
    await browser.saveScreenshot(path.join(shots, "ios-countdown.png"));
    await (await browser.$('[data-testid="session-close"]')).click();
    await browser.waitUntil(async () => /closed/i.test(await text('[data-testid="session-state"]')), {
      timeout: 10000,
      timeoutMsg: "the iOS session did not close",
    });
    await browser.keys(["Escape"]);
    await browser.pause(300);
  });

  await step("an offline device: the start dialog pre-selects arming with why → Arm session → the Sessions view lists it waiting → Cancel", async () => {
    await openDeviceById("and-0106");
    await (await browser.$('[data-testid="actions-button"]')).click();
    const item = await browser.$('[data-testid="remote-action"]');
    await item.waitForDisplayed({ timeout: 5000 });
    await item.click();
    await (await browser.$('[data-testid="mode-dialog"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="arm-offline"]')).waitForDisplayed({ timeout: 10000 });
    if (!(await (await browser.$('[data-testid="when-later"]')).isSelected())) throw new Error("arming is not pre-selected for an offline device");
    const offline = await text('[data-testid="arm-offline"]');
    if (!/offline/i.test(offline)) throw new Error(`the reason reads "${offline}"`);
    await (await browser.$('[data-testid="arm-choice"]')).scrollIntoView({ block: "center" });
    await browser.saveScreenshot(path.join(shots, "arm-dialog.png"));
    await (await browser.$('[data-testid="start-button"]')).click();
    await (await browser.$('[data-testid="arm-done"]')).waitForDisplayed({ timeout: 15000 });
    await browser.keys(["Escape"]);
    await (await browser.$('[data-testid="device-armed"]')).waitForDisplayed({ timeout: 10000 });
    await (await browser.$('[data-testid="nav-sessions"]')).click();
    const row = await browser.$('[data-testid="armed-row"][data-armed-id]');
    await row.waitForDisplayed({ timeout: 10000 });
    if (!(await text('[data-testid="armed-sessions"]')).includes("and-0106")) throw new Error("the armed session is not listed");
    await (await browser.$('[data-testid="armed-cancel"]')).click();
    await browser.waitUntil(async () => !(await text('[data-testid="armed-sessions"]')).includes("and-0106"), {
      timeout: 10000,
      timeoutMsg: "the armed session was not cancelled",
    });
    const armed = JSON.parse(cli("--json", "session", "armed", "list", "--all"));
    const rows = Array.isArray(armed) ? armed : armed.items ?? armed.armed ?? [];
    if (!rows.some((a) => a.device_id === "and-0106" && a.state === "cancelled")) throw new Error(`armed list: ${JSON.stringify(armed)}`);
    await (await browser.$('[data-testid="nav-devices"]')).click();
  });

  await step("blocked: an incompatible TeamViewer desktop client blocks the start with the fix (S11)", async () => {
    const conf = path.join(process.env.HELPATWORK_DATA_DIR, "demo", "teamviewer", "config", "global.conf");
    const current = readFileSync(conf, "utf8");
    writeFileSync(conf, '[strng] Version = "12.0.1"\n');
    try {
      const search = await browser.$('[data-testid="device-search"]');
      await search.clearValue();
      await search.setValue("and-0020");
      const row = await browser.$('[data-device-id="and-0020"]');
      await row.waitForDisplayed({ timeout: 10000 });
      await row.click();
      await browser.waitUntil(async () => (await text('[data-testid="device-detail"]')).includes("and-0020"), { timeout: 10000 });
      await (await browser.$('[data-testid="actions-button"]')).click();
      await (await browser.$('[data-testid="remote-action"]')).waitForDisplayed({ timeout: 5000 });
      await (await browser.$('[data-testid="remote-action"]')).click();
      await (await browser.$('[data-testid="mode-dialog"]')).waitForDisplayed({ timeout: 5000 });
      const check = await browser.$('[data-rule="S11"][data-status="block"]');
      await check.waitForDisplayed({ timeout: 15000 });
      const said = await browser.execute(() => document.querySelector('[data-rule="S11"][data-status="block"]')?.textContent ?? "");
      if (!said.includes("12.0.1") || !said.includes("Update TeamViewer")) throw new Error(`S11 says "${said}"`);
      const start = await browser.$('[data-testid="start-button"]');
      if ((await start.isEnabled()) && (await start.getAttribute("aria-disabled")) !== "true") {
        throw new Error("Start is offered with an incompatible desktop client");
      }
      await browser.execute(() => document.querySelector('[data-rule="S11"]')?.scrollIntoView());
      await browser.pause(300);
      await browser.saveScreenshot(path.join(shots, "blocked-desktop-client.png"));
    } finally {
      writeFileSync(conf, current);
    }
    await browser.keys(["Escape"]);
    await browser.pause(300);
  });

  await step("admin: Remove activation → Confirm removal of activation → Activate now → EULA → I agree (A2–A4)", async () => {
    await (await browser.$('[data-testid="nav-admin"]')).click();
    const remove = await browser.$('[data-testid="remove-activation"]');
    await remove.waitForDisplayed({ timeout: 10000 });
    await browser.saveScreenshot(path.join(shots, "admin.png"));
    await remove.click();
    await (await browser.$('[data-testid="confirm-removal"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="confirm-removal-yes"]')).click();
    const activate = await browser.$('[data-testid="activate-attended"]');
    await activate.waitForDisplayed({ timeout: 10000 });
    await activate.click();
    await (await browser.$('[data-testid="eula-dialog"]')).waitForDisplayed({ timeout: 10000 });
    await browser.execute(() => {
      const el = document.querySelector('[data-testid="eula-text"]');
      if (el) el.scrollTop = el.scrollHeight;
    });
    const agree = await browser.$('[data-testid="eula-agree"]');
    await browser.waitUntil(async () => agree.isEnabled(), { timeout: 5000, timeoutMsg: "I agree stays disabled after the text was shown" });
    await browser.saveScreenshot(path.join(shots, "eula.png"));
    await agree.click();
    await browser.waitUntil(
      async () => (await browser.$$('[data-testid="activate-attended"]')).length === 0,
      { timeout: 15000, timeoutMsg: "attended was not activated" },
    );
    await browser.saveScreenshot(path.join(shots, "admin-activated.png"));
  });

  await step("audit: the chain verified up to its newest event; the trail shows this session; filtering by action narrows it; Export CSV saves a file", async () => {
    await (await browser.$('[data-testid="nav-audit"]')).click();
    const row = await browser.$('[data-testid="audit-row"]');
    await row.waitForDisplayed({ timeout: 10000 });
    await browser.waitUntil(
      async () =>
        browser.execute(() => {
          const chain = document.querySelector('[data-testid="audit-chain"]');
          return chain?.getAttribute("data-intact") === "true" && /Verified up to event /.test(chain.textContent ?? "");
        }),
      { timeout: 10000, timeoutMsg: "the audit chain is not shown verified" },
    );
    const action = await browser.$('[data-testid="audit-action"]');
    await browser.waitUntil(
      async () => (await text('[data-testid="audit-action"]')).includes("session.requested"),
      { timeout: 10000, timeoutMsg: "session.requested is not among the actions" },
    );
    await action.selectByAttribute("value", "session.requested");
    await (await browser.$('[data-testid="audit-apply"]')).click();
    await browser.waitUntil(
      async () =>
        browser.execute(() => {
          const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
          return rows.length > 0 && rows.every((r) => (r.textContent ?? "").includes("session.requested"));
        }),
      { timeout: 10000, timeoutMsg: "the action filter did not narrow the list" },
    );
    await browser.saveScreenshot(path.join(shots, "audit.png"));
    await (await browser.$('[data-testid="audit-export"]')).click();
    await browser.waitUntil(
      async () => /saved as CSV/.test(await text('[data-testid="audit-export-status"]')),
      { timeout: 10000, timeoutMsg: "no export confirmation" },
    );
    const saved = (await text('[data-testid="audit-export-status"]')).match(/File: (.+\.csv)/)?.[1];
    if (!saved || !existsSync(saved) || !readFileSync(saved, "utf8").startsWith("id,at,actor,action")) {
      throw new Error(`export file "${saved}"`);
    }
  });

  await step("readiness: the board paints each mode's groups with their counts and lines; a group's fix opens as a dry run", async () => {
    await (await browser.$('[data-testid="nav-readiness"]')).click();
    const group = await browser.$('[data-testid^="readiness-group-"]');
    await group.waitForDisplayed({ timeout: 30000 });
    await browser.waitUntil(async () => (await browser.$$('[data-testid="readiness-refreshing"]')).length === 0, {
      timeout: 60000,
      timeoutMsg: "the fresh board did not come",
    });
    if (!/Computed at/.test(await text('[data-testid="readiness-computed-at"]'))) throw new Error("no computed-at time");
    if (!/can be helped now/.test(await text('[data-testid="readiness-helpable"]'))) throw new Error("no helped-now count");
    await (await browser.$('[data-testid="readiness-group-view_only"]')).waitForDisplayed({ timeout: 10000 });
    await browser.pause(500);
    await browser.saveScreenshot(path.join(shots, "readiness.png"));
    // The demo fleet's Android devices without a control add-on: a fix the embedded fleet can run.
    await (await browser.$('[data-testid="readiness-group-view_only"] [data-testid="group-fix"]')).click();
    const plan = await browser.$('[data-testid="fix-plan"]');
    await plan.waitForDisplayed({ timeout: 30000 });
    if (!/Dry run: nothing has changed yet/.test(await text('[data-testid="fix-plan"]'))) throw new Error("the dry run is not said");
    if (!/devices would change/.test(await text('[data-testid="fix-changes"]'))) throw new Error("no change counted");
    await (await browser.$('[data-testid="fix-run"]')).waitForDisplayed({ timeout: 5000 });
    await browser.saveScreenshot(path.join(shots, "readiness-fix.png"));
    await (await browser.$('[data-testid="fix-close"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="fix-dialog"]')).length === 0, {
      timeout: 10000,
      timeoutMsg: "the fix dialog did not close",
    });
  });

  await step("settings: the values and their source; a password in a store URL is refused with the fix; Test connection", async () => {
    await (await browser.$('[data-testid="nav-settings"]')).click();
    await (await browser.$('[data-testid="settings-file"]')).waitForDisplayed({ timeout: 10000 });
    if (!(await text('[data-testid="settings-file"]')).includes("settings.json")) throw new Error("no settings file shown");
    const store = await browser.$('[data-testid="setting-input-store.url"]');
    await store.setValue("postgres://agent:pw@db.example/help");
    await (await browser.$('[data-testid="setting-save-store.url"]')).click();
    const refused = await browser.$('[data-testid="setting-error-store.url"]');
    await refused.waitForDisplayed({ timeout: 10000 });
    if (!(await text('[data-testid="setting-error-store.url"]')).includes("PGPASSFILE")) throw new Error("no PGPASSFILE fix");
    await store.clearValue();
    await (await browser.$('[data-testid="test-button-store"]')).click();
    await (await browser.$('[data-testid="test-ok-store"]')).waitForDisplayed({ timeout: 15000 });
    await browser.execute(() => document.getElementById("settings-heading")?.scrollIntoView());
    await browser.pause(300);
    await browser.saveScreenshot(path.join(shots, "settings.png"));
  });

  await step("pt-BR: the language switch re-words the window; device list, Actions menu, start dialog, session panel, admin and EULA in Portuguese", async () => {
    const pt = path.join(shots, "pt-BR");
    mkdirSync(pt, { recursive: true });
    await (await browser.$('[data-testid="lang-switch"]')).selectByAttribute("value", "pt-BR");
    await browser.waitUntil(async () => (await text('[data-testid="nav-devices"]')).includes("Dispositivos"), {
      timeout: 10000,
      timeoutMsg: "the navigation was not re-worded",
    });
    await (await browser.$('[data-testid="nav-devices"]')).click();
    const search = await browser.$('[data-testid="device-search"]');
    await search.waitForDisplayed({ timeout: 10000 });
    await browser.saveScreenshot(path.join(pt, "devices.png"));
    await search.setValue("and-0020");
    await browser.waitUntil(async () => (await text('[data-testid="device-row"]')).includes("Pixel"), {
      timeout: 10000,
      timeoutMsg: "no and-0020 row",
    });
    await (await browser.$('[data-testid="device-row"]')).click();
    await (await browser.$('[data-testid="device-detail"]')).waitForDisplayed({ timeout: 10000 });
    await (await browser.$('[data-testid="actions-button"]')).click();
    await (await browser.$('[data-testid="remote-action"]')).waitForDisplayed({ timeout: 5000 });
    const label = await text('[data-testid="remote-action"]');
    if (!label.includes("Iniciar controle remoto do TeamViewer")) throw new Error(`menu item reads "${label}"`);
    await browser.saveScreenshot(path.join(pt, "actions-menu.png"));
    await (await browser.$('[data-testid="remote-action"]')).click();
    await (await browser.$('[data-testid="mode-dialog"]')).waitForDisplayed({ timeout: 5000 });
    if (!(await text('[data-testid="mode-attended"]')).includes("Modo assistido (padrão)")) throw new Error("attended label");
    await browser.pause(500);
    await browser.saveScreenshot(path.join(pt, "mode-dialog.png"));
    await (await browser.$('[data-testid="start-button"]')).click();
    await (await browser.$('[data-testid="session-code"]')).waitForDisplayed({ timeout: 30000 });
    await browser.saveScreenshot(path.join(pt, "session-panel.png"));
    await (await browser.$('[data-testid="session-close"]')).click();
    await browser.waitUntil(async () => /encerrada/i.test(await text('[data-testid="session-state"]')), {
      timeout: 10000,
      timeoutMsg: "the session did not close",
    });
    await browser.keys(["Escape"]);
    await browser.pause(300);
    await (await browser.$('[data-testid="nav-admin"]')).click();
    const activate = await browser.$('[data-testid="activate-unattended"]');
    await activate.waitForDisplayed({ timeout: 10000 });
    await browser.saveScreenshot(path.join(pt, "admin.png"));
    await activate.click();
    await (await browser.$('[data-testid="eula-dialog"]')).waitForDisplayed({ timeout: 10000 });
    await browser.saveScreenshot(path.join(pt, "eula.png"));
    await (await browser.$('[data-testid="eula-cancel"]')).click();
  });
  await step("pt-BR: Pedidos de ajuda → Assumir → Passar adiante; o Host do dispositivo em português", async () => {
    const pt = path.join(shots, "pt-BR");
    cli("demo", "request-help", "and-0003");
    await (await browser.$('[data-testid="nav-inbox"]')).click();
    if (!(await text('[data-testid="nav-inbox"]')).includes("Pedidos de ajuda")) throw new Error("nav not in Portuguese");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="request-row"]')).length > 0, {
      timeout: 40000,
      timeoutMsg: "no request row",
    });
    if (!(await text('[data-testid="request-take"]')).includes("Assumir")) throw new Error("Take is not Assumir");
    await browser.saveScreenshot(path.join(pt, "inbox.png"));
    await (await browser.$('[data-testid="request-take"]')).click();
    await (await browser.$('[data-testid="session-panel"]')).waitForDisplayed({ timeout: 30000 });
    await (await browser.$('[data-testid="session-hand-over"]')).click();
    await (await browser.$('[data-testid="handover-dialog"]')).waitForDisplayed({ timeout: 5000 });
    await (await browser.$('[data-testid="handover-agent"]')).waitForDisplayed({ timeout: 10000 });
    if (!/Passar a sessão .* adiante/.test(await text('[data-testid="handover-dialog"]'))) throw new Error("dialog not in Portuguese");
    await (await browser.$('[data-testid="handover-reason"]')).setValue("precisa do nível 2");
    await browser.saveScreenshot(path.join(pt, "handover.png"));
    await (await browser.$('[data-testid="handover-confirm"]')).click();
    await browser.waitUntil(async () => /Passada para/.test(await text('[data-testid="session-handed-over"]')), {
      timeout: 15000,
      timeoutMsg: "no hand-over confirmation in Portuguese",
    });
    await browser.keys(["Escape"]);
    await browser.pause(300);
    await (await browser.$('[data-testid="nav-devices"]')).click();
    await openDeviceById("and-0019");
    await browser.waitUntil(async () => /TeamViewer Host \(autônomo\)/.test(await text('[data-testid="host-section"]')), {
      timeout: 15000,
      timeoutMsg: "no Host section in Portuguese",
    });
    await browser.execute(() => document.querySelector('[data-testid="host-section"]')?.scrollIntoView());
    await browser.pause(300);
    await browser.saveScreenshot(path.join(pt, "unattended-host.png"));
  });
} finally {
  await browser.deleteSession().catch(() => {});
}

const passed = results.filter(([, ok]) => ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length && results.length === 21 ? 0 : 1);
