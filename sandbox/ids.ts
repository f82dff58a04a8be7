// Deterministic ids for the demo seed (same SIDs on every run) and random ids for API creates.
import { createHash, randomBytes } from 'node:crypto';

/** A Twilio-style SID (2-letter prefix + 32 hex) derived from a label. */
export function seededSid(prefix: string, label: string): string {
  return (
    prefix +
    createHash('sha256')
      .update(`conflict-desk-sandbox:${prefix}:${label}`)
      .digest('hex')
      .slice(0, 32)
  );
}

export function randomSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A UUID derived from a label (Genesys ids are UUIDs). */
export function seededUuid(label: string): string {
  const h = createHash('sha256').update(`conflict-desk-sandbox:uuid:${label}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** mulberry32: a tiny seeded PRNG so the demo data is identical on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
