import { describe, expect, it } from "vitest";
import { backoffDelay, defaultBackoff } from "../../src/realtime/backoff";

describe("backoffDelay", () => {
  it("starts at 1 s and doubles up to 5 s", () => {
    const nominal = [1, 2, 3, 4, 5, 50].map((attempt) => backoffDelay(attempt, defaultBackoff, () => 0.5));

    expect(nominal).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("spreads each delay over 50% to 150% of its nominal value, never above the maximum", () => {
    expect(backoffDelay(1, defaultBackoff, () => 0)).toBe(500);
    expect(backoffDelay(1, defaultBackoff, () => 1)).toBe(1500);
    expect(backoffDelay(2, defaultBackoff, () => 0)).toBe(1000);
    expect(backoffDelay(10, defaultBackoff, () => 0)).toBe(2500);
    expect(backoffDelay(10, defaultBackoff, () => 1)).toBe(5000);
  });

  it("stays finite for any attempt number", () => {
    expect(backoffDelay(1_000_000, defaultBackoff, () => 0.5)).toBe(5000);
    expect(backoffDelay(0, defaultBackoff, () => 0.5)).toBe(1000);
  });
});
