import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";

const DIR = path.resolve(import.meta.dirname);

/**
 * The style sheets use no CSS nesting: a rule opened inside a style rule is a brace left open,
 * which silently scopes every later rule (of this file and of the files imported after it)
 * under that selector. Returns what is wrong, with line numbers.
 */
function structureProblems(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (s) => " ".repeat(s.length));
  const problems: string[] = [];
  const open: { prelude: string; line: number }[] = [];
  let line = 1;
  let prelude = "";
  for (const c of text) {
    if (c === "\n") line += 1;
    if (c === "{") {
      const parent = open.at(-1);
      const head = prelude.trim();
      if (parent !== undefined && !parent.prelude.startsWith("@")) {
        problems.push(`line ${String(line)}: "${head}" opens inside "${parent.prelude}" (line ${String(parent.line)}), left open`);
      }
      open.push({ prelude: head, line });
      prelude = "";
    } else if (c === "}") {
      if (open.pop() === undefined) problems.push(`line ${String(line)}: a "}" closes nothing`);
      prelude = "";
    } else if (c === ";") {
      prelude = "";
    } else {
      prelude += c;
    }
  }
  for (const o of open) problems.push(`line ${String(o.line)}: "${o.prelude}" is never closed`);
  return problems;
}

describe("style sheets", () => {
  const sheets = readdirSync(DIR).filter((f) => f.endsWith(".css"));

  test("there are style sheets to check", () => {
    expect(sheets).toContain("app.css");
  });

  test.each(sheets)("%s: every rule is closed, none is nested in another", (sheet) => {
    expect(structureProblems(readFileSync(path.join(DIR, sheet), "utf8"))).toEqual([]);
  });

  test("the check finds a rule left open", () => {
    expect(structureProblems(".a {\n  margin: 0;\n/* next */\n.b {\n  color: red;\n}\n")).toEqual([
      'line 4: ".b" opens inside ".a" (line 1), left open',
      'line 1: ".a" is never closed',
    ]);
    expect(structureProblems("@media (max-width: 10px) {\n  .a { color: red; }\n}\n")).toEqual([]);
  });
});
