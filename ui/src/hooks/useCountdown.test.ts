import { describe, expect, test } from "vitest";
import { formatCountdown } from "./useCountdown";

describe("formatCountdown (S5)", () => {
  test("mm:ss, rounding up, and h:mm:ss from an hour", () => {
    expect(formatCountdown(30 * 60_000)).toBe("30:00");
    expect(formatCountdown(29 * 60_000 + 59_001)).toBe("30:00");
    expect(formatCountdown(1)).toBe("00:01");
    expect(formatCountdown(0)).toBe("00:00");
    expect(formatCountdown(-5)).toBe("00:00");
    expect(formatCountdown(3_600_000 + 61_000)).toBe("1:01:01");
  });
});
