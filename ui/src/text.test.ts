import { describe, expect, test } from "vitest";
import { visibleText } from "./text";

describe("visibleText", () => {
  test("bidi, zero-width and control characters are made visible; other text is kept", () => {
    expect(visibleText("Ana\u202egpj.exe\u200b")).toBe("Ana⟨U+202E⟩gpj.exe⟨U+200B⟩");
    expect(visibleText("a\u001b[2Jb")).toBe("a⟨U+001B⟩[2Jb");
    expect(visibleText("José 🙂 Souza")).toBe("José 🙂 Souza");
  });
});
