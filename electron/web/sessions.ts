// Who may call the web host's contract. The printed launch token is single-use: the page
// exchanges it once for a session credential it keeps in sessionStorage (scoped to this exact
// origin, port included, unlike a cookie) and sends as a header. Scripts use the script token the
// host writes to `api-token` in the data directory. Neither is ever accepted in a URL or a cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export type Sessions = {
  /** A fresh single-use launch token (the printed address carries it). */
  newLaunchToken(): string;
  /** Spends a launch token: a new session credential, or null when unknown or already spent. */
  exchange(launchToken: string): string | null;
  /** Whether a header value is the script token or a live session credential. */
  accepts(credential: string): boolean;
};

const newSecret = () => randomBytes(32).toString('hex');

export function createSessions(scriptToken: string): Sessions {
  const launchTokens = new Set<string>();
  const sessions = new Set<string>();
  const findIn = (set: Set<string>, presented: string) =>
    [...set].find((known) => sameSecret(known, presented)) ?? null;
  return {
    newLaunchToken() {
      const token = newSecret();
      launchTokens.add(token);
      return token;
    },
    exchange(launchToken) {
      const known = findIn(launchTokens, launchToken);
      if (known === null) return null;
      launchTokens.delete(known);
      const session = newSecret();
      sessions.add(session);
      return session;
    },
    accepts(credential) {
      return sameSecret(credential, scriptToken) || findIn(sessions, credential) !== null;
    },
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
