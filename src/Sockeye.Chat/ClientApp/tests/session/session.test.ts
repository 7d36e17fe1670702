import { describe, expect, it, vi } from "vitest";
import { createTokenSource, login, LoginError } from "../../src/session/session";
import type { Session } from "../../src/session/session";

const now = Date.parse("2026-12-04T10:00:00Z");

function session(expiresInMs: number, token = "old"): Session {
  return { username: "alice", userId: "alice", token, expiresAt: new Date(now + expiresInMs).toISOString() };
}

describe("createTokenSource", () => {
  it("hands out the current token while it has more than a minute left", async () => {
    const signIn = vi.fn();
    const tokens = createTokenSource(() => session(5 * 60_000), vi.fn(), signIn, () => now);

    await expect(tokens.getToken()).resolves.toBe("old");
    expect(signIn).not.toHaveBeenCalled();
  });

  it("signs in again for a token about to expire, and keeps the new session", async () => {
    const update = vi.fn();
    const signIn = vi.fn(async () => session(12 * 3600_000, "new"));
    const tokens = createTokenSource(() => session(30_000), update, signIn, () => now);

    await expect(tokens.getToken()).resolves.toBe("new");
    expect(signIn).toHaveBeenCalledWith("alice");
    expect(update).toHaveBeenCalledWith(expect.objectContaining({ token: "new" }));
  });

  it("refreshes on demand, after the service said the token expired", async () => {
    const signIn = vi.fn(async () => session(12 * 3600_000, "new"));
    const tokens = createTokenSource(() => session(5 * 60_000), vi.fn(), signIn, () => now);

    await expect(tokens.refreshToken()).resolves.toBe("new");
  });
});

describe("login", () => {
  it("posts the user name to the development login and reads the token", async () => {
    const fetchImpl = vi.fn(async () => Response.json({ token: "jwt", user_id: "alice", expires_at: "2026-12-04T22:00:00Z" }));

    const result = await login("alice", fetchImpl);

    expect(result).toEqual({ username: "alice", userId: "alice", token: "jwt", expiresAt: "2026-12-04T22:00:00Z" });
    expect(fetchImpl).toHaveBeenCalledWith("/api/auth/token", expect.objectContaining({ method: "POST", body: JSON.stringify({ username: "alice" }) }));
  });

  it("explains a refusal with the problem details the service sent", async () => {
    const invalid = async () =>
      Response.json({ title: "One or more validation errors occurred.", errors: { username: ["1 to 32 characters: ASCII letters, digits, '_' and '-'."] } }, { status: 400 });
    const disabled = async () => Response.json({ title: "Development login is disabled", detail: "Tokens come from the identity provider." }, { status: 404 });

    await expect(login("no spaces", invalid)).rejects.toThrow("1 to 32 characters: ASCII letters, digits, '_' and '-'.");
    await expect(login("alice", disabled)).rejects.toThrow("Tokens come from the identity provider.");
    await expect(login("alice", async () => Promise.reject(new TypeError("Failed to fetch")))).rejects.toBeInstanceOf(LoginError);
  });
});
