/**
 * Performance with a 100,000-device fleet (the back end mocked, answering `list_devices` pages
 * from a generated array of the same shapes):
 * - the time from navigation to the first device rows painted (budget: 1.5 s);
 * - scrolling the whole list top to bottom: no main-thread task over 50 ms. The Long Tasks API
 *   (wall clock) and a Chromium trace (wall and CPU time of every main-thread task) both watch;
 *   the CPU time gates, the wall clock too with LONG_TASKS_STRICT=1 (see the test).
 *   The longest task, the longest frame and the scroll time are printed.
 * The figures are printed as `[perf] …` lines.
 */
import { loadavg } from "node:os";
import { expect, test, type Page } from "@playwright/test";
import type { MockConfig } from "../mock/backend";
import { openApp } from "../support";

const FLEET = 100_000;
const FIRST_ROWS_BUDGET_MS = Number(process.env.FIRST_ROWS_BUDGET_MS ?? 1500);
const LONG_TASK_MS = 50;
const fleet: Partial<MockConfig> = { details: [], generated: FLEET };

test.describe.configure({ mode: "serial" });

/** Records every long task and every frame interval from the start of the page. */
function watchMainThread(): void {
  const w = window as unknown as {
    __longTasks: { start: number; duration: number }[];
    __frames: number[];
    __framesOn: boolean;
  };
  w.__longTasks = [];
  w.__frames = [];
  w.__framesOn = false;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  let last = 0;
  const frame = (now: number) => {
    if (w.__framesOn && last > 0) w.__frames.push(now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function firstRowsMs(page: Page): Promise<{ firstRows: number; fcp: number | null; setup: number }> {
  await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined);
  return page.evaluate(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
    const w = window as unknown as { __firstRows: number; __mockSetupMs?: number };
    return { firstRows: w.__firstRows, fcp, setup: w.__mockSetupMs ?? 0 };
  });
}

test("first device rows painted with 100,000 devices", async ({ browser }) => {
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    // A new context each time: nothing cached, like a cold start of the window.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await openApp(page, fleet);
    const { firstRows, fcp, setup } = await firstRowsMs(page);
    await expect(page.getByTestId("device-count")).toHaveText("100,000 devices");
    const grid = page.getByTestId("device-grid");
    await expect(grid).toHaveAttribute("aria-rowcount", String(FLEET + 1));
    const rendered = await page.getByTestId("device-row").count();
    expect(rendered).toBeLessThan(100);
    console.log(
      `[perf] run ${run + 1}: first device rows painted ${firstRows.toFixed(0)} ms after navigation ` +
        `(first contentful paint ${fcp === null ? "n/a" : `${fcp.toFixed(0)} ms`}; ` +
        `mock back end setup ${setup.toFixed(0)} ms of it; ${rendered} rows in the DOM)`,
    );
    runs.push(firstRows);
    await context.close();
  }
  const median = [...runs].sort((a, b) => a - b)[1] ?? Infinity;
  console.log(`[perf] first device rows painted (median of 3): ${median.toFixed(0)} ms (budget ${FIRST_ROWS_BUDGET_MS} ms)`);
  expect(median).toBeLessThanOrEqual(FIRST_ROWS_BUDGET_MS);
});

/**
 * The renderer main thread's tasks from a Chromium trace (category `toplevel`): the wall time and
 * the thread (CPU) time of the longest ones. The CPU time tells a slow task from a busy machine.
 */
function mainThreadTasks(trace: Buffer): {
  topCpu: number[];
  over16Cpu: number;
  count: number;
  longestWall: number;
  longestCpu: number;
  overBudgetCpu: number;
} {
  interface Event {
    name: string;
    ph: string;
    pid: number;
    tid: number;
    dur?: number;
    tdur?: number;
    args?: { name?: string };
  }
  const events = (JSON.parse(trace.toString("utf8")) as { traceEvents: Event[] }).traceEvents;
  const mains = new Set(
    events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter(
    (e) => e.ph === "X" && mains.has(`${e.pid}:${e.tid}`) && (e.name === "ThreadControllerImpl::RunTask" || e.name === "RunTask"),
  );
  const ms = (us: number | undefined) => (us ?? 0) / 1000;
  const cpu = tasks.map((e) => ms(e.tdur)).sort((a, b) => b - a);
  return {
    topCpu: cpu.slice(0, 5),
    over16Cpu: cpu.filter((t) => t > 16).length,
    count: tasks.length,
    longestWall: tasks.reduce((max, e) => Math.max(max, ms(e.dur)), 0),
    longestCpu: tasks.reduce((max, e) => Math.max(max, ms(e.tdur)), 0),
    overBudgetCpu: tasks.filter((e) => ms(e.tdur) > LONG_TASK_MS).length,
  };
}

const load = () => loadavg().map((n) => n.toFixed(1)).join(" ");

test("scrolling all 100,000 devices has no main-thread task over 50 ms", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.addInitScript(watchMainThread);
  await openApp(page, fleet);
  await expect(page.getByTestId("device-row").first()).toBeVisible();
  await expect(page.getByTestId("device-row").first()).toHaveAttribute("data-device-id", "dev-000000");

  const grid = page.getByTestId("device-grid");
  const box = await grid.boundingBox();
  if (!box) throw new Error("the device grid has no box");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

  const { scrollHeight, clientHeight } = await grid.evaluate((node) => ({
    scrollHeight: node.scrollHeight,
    clientHeight: node.clientHeight,
  }));
  // A step of about 80 rows: every page of 200 rows is shown on the way down.
  const step = 2_880;
  const steps = Math.ceil((scrollHeight - clientHeight) / step) + 1;

  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const heap = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    return (metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / 2 ** 20;
  };
  const heapBefore = await heap();
  const loadBefore = load();
  await browser.startTracing(page, { categories: ["toplevel"] });
  const start = await page.evaluate(() => {
    (window as unknown as { __framesOn: boolean }).__framesOn = true;
    return performance.now();
  });
  const wallStart = Date.now();
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, step);
    // One frame per step, as a fast wheel or trackpad fling delivers them.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  await expect(grid).toHaveJSProperty("scrollTop", scrollHeight - clientHeight);
  // The last rows arrive and are painted.
  const last = page.locator(`[data-testid="device-row"][data-device-id="dev-0${FLEET - 1}"]`);
  await expect(last).toBeVisible();
  const end = await page.evaluate(() => {
    (window as unknown as { __framesOn: boolean }).__framesOn = false;
    return performance.now();
  });
  const wallMs = Date.now() - wallStart;
  const traced = mainThreadTasks(await browser.stopTracing());
  const heapAfter = await heap();

  const { longTasks, frames, pages } = await page.evaluate((from) => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[]; __frames: number[] };
    return {
      longTasks: w.__longTasks.filter((t) => t.start >= from),
      frames: w.__frames,
      pages: window.__mock.callsOf("list_devices").length,
    };
  }, start);
  const maxTask = longTasks.reduce((max, t) => Math.max(max, t.duration), 0);
  const maxFrame = frames.reduce((max, f) => Math.max(max, f), 0);
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  console.log(
    `[perf] scrolled ${FLEET.toLocaleString("en")} devices (${scrollHeight.toLocaleString("en")} px) in ${steps} wheel steps: ` +
      `${(end - start).toFixed(0)} ms in the page (${wallMs} ms with the test driver), ${pages} list_devices pages`,
  );
  console.log(
    `[perf] long tasks while scrolling: ${longTasks.length}` +
      `${longTasks.length > 0 ? `, longest ${maxTask.toFixed(0)} ms` : " (none over 50 ms)"}; ` +
      `frames: ${frames.length}, longest ${maxFrame.toFixed(1)} ms, 95th percentile ${p95.toFixed(1)} ms`,
  );
  console.log(
    `[perf] main-thread tasks (trace): longest ${traced.longestWall.toFixed(1)} ms wall, ` +
      `longest ${traced.longestCpu.toFixed(1)} ms CPU (then ${traced.topCpu.slice(1).map((t) => t.toFixed(0)).join(", ")}), ` +
      `${traced.overBudgetCpu} of ${traced.count} over ${LONG_TASK_MS} ms of CPU, ${traced.over16Cpu} over 16 ms; ` +
      `load average ${loadBefore} before, ${load()} after`,
  );
  console.log(
    `[perf] JS heap: ${heapBefore.toFixed(1)} MB before scrolling (the mock's fleet included), ` +
      `${heapAfter.toFixed(1)} MB after every row was loaded once`,
  );
  // The gate: no task of the page's own over 50 ms of main-thread time. On a machine shared with
  // other work a task's wall time also counts the time the CPU gave to others, so the
  // Long Tasks figure gates only with LONG_TASKS_STRICT=1 (a quiet machine).
  expect(traced.overBudgetCpu, "main-thread tasks over 50 ms of CPU time").toBe(0);
  if (process.env.LONG_TASKS_STRICT === "1") {
    expect(longTasks.filter((t) => t.duration > LONG_TASK_MS), "long tasks (wall clock)").toEqual([]);
  }
});

test("keyboard End, PageUp and Home across 100,000 devices", async ({ page }) => {
  await page.addInitScript(watchMainThread);
  await openApp(page, fleet);
  const rows = page.getByTestId("device-row");
  await expect(rows.first()).toBeVisible();
  await rows.first().focus();
  const from = await page.evaluate(() => performance.now());
  await page.keyboard.press("End");
  const last = page.locator(`[data-testid="device-row"][data-device-id="dev-0${FLEET - 1}"]`);
  await expect(last).toBeFocused();
  await expect(last).toHaveAttribute("aria-rowindex", String(FLEET + 1));
  await page.keyboard.press("PageUp");
  await expect(page.locator('[data-testid="device-row"]:focus')).toHaveAttribute("aria-rowindex", /^99\d{3}$/);
  await page.keyboard.press("Home");
  await expect(rows.first()).toBeFocused();
  await expect(rows.first()).toHaveAttribute("data-device-id", "dev-000000");
  const longTasks = await page.evaluate(
    (t0) =>
      (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= t0),
    from,
  );
  console.log(
    `[perf] End / PageUp / Home on 100,000 devices: ${longTasks.length} long tasks` +
      `${longTasks.length > 0 ? ` (longest ${Math.max(...longTasks.map((t) => t.duration)).toFixed(0)} ms)` : ""}`,
  );
  if (process.env.LONG_TASKS_STRICT === "1") expect(longTasks).toEqual([]);
});
