/** The signed-in user and the token the service issued for them. */
export interface Session {
  username: string;
  userId: string;
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}

export class LoginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoginError";
  }
}

const sessionKey = "sockeye-chat:session";

/** A token this close to its expiry is replaced before it is used. */
const refreshMarginMs = 60_000;

/** Signs in through the development login: `POST /api/auth/token { username }`. */
export async function login(username: string, fetchImpl: typeof fetch = fetch): Promise<Session> {
  let response: Response;
  try {
    response = await fetchImpl("/api/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username }),
    });
  } catch {
    throw new LoginError("The chat service cannot be reached. Try again in a moment.");
  }
  if (!response.ok) {
    throw new LoginError(await problemMessage(response));
  }
  const body = (await response.json()) as { token: string; user_id: string; expires_at: string };
  return { username, userId: body.user_id, token: body.token, expiresAt: body.expires_at };
}

async function problemMessage(response: Response): Promise<string> {
  try {
    // RFC 7807 problem details; validation problems carry their messages in `errors`.
    const problem = (await response.json()) as { title?: string; detail?: string; errors?: Record<string, string[]> };
    const first = problem.errors ? Object.values(problem.errors).flat()[0] : undefined;
    return first ?? problem.detail ?? problem.title ?? `Sign-in failed (HTTP ${response.status}).`;
  } catch {
    return `Sign-in failed (HTTP ${response.status}).`;
  }
}

export function loadSession(storage: Storage = window.localStorage): Session | null {
  try {
    const value = JSON.parse(storage.getItem(sessionKey) ?? "null") as Session | null;
    return value && typeof value.token === "string" && typeof value.userId === "string" ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage = window.localStorage): void {
  if (session === null) {
    storage.removeItem(sessionKey);
  } else {
    storage.setItem(sessionKey, JSON.stringify(session));
  }
}

/** Tokens for the connection: the current one, or a fresh one from the login when it is about to expire. */
export function createTokenSource(
  current: () => Session,
  update: (session: Session) => void,
  signIn: (username: string) => Promise<Session> = login,
  now: () => number = Date.now,
) {
  async function refresh(): Promise<string> {
    const session = await signIn(current().username);
    update(session);
    return session.token;
  }

  return {
    async getToken(): Promise<string> {
      const session = current();
      return Date.parse(session.expiresAt) - now() > refreshMarginMs ? session.token : refresh();
    },
    refreshToken: refresh,
  };
}
