// Fault injection: matched by method + path prefix, one-shot or N times (or until removed).
// Delays stack; the first matching non-delay fault decides the outcome.
import { isPlainObject } from './http';

export type FaultKind =
  'delay' | 'delay-after' | 'error' | 'rate-limit' | 'close-before' | 'close-after';
export const FAULT_KINDS: readonly FaultKind[] = [
  'delay',
  'delay-after',
  'error',
  'rate-limit',
  'close-before',
  'close-after',
];

export type Fault = {
  id: number;
  kind: FaultKind;
  /** HTTP method or '*'. */
  method: string;
  pathPrefix: string;
  /**
   * For 'delay' (and optionally any other kind: wait first). For 'delay-after': how long the
   * answer, made at once, is held before it is sent.
   */
  delayMs: number;
  /** For 'error': a 5xx status. For 'rate-limit': 429. */
  status: number;
  /** For 'rate-limit': the Retry-After header in seconds. */
  retryAfter: number;
  /** Remaining applications; null = until removed. */
  remaining: number | null;
  hits: number;
};

export type FaultPlan = { delayMs: number; action: Fault | null };

export function createFaults() {
  let faults: Fault[] = [];
  let nextId = 1;
  return {
    list: (): Fault[] => faults.map((f) => ({ ...f })),
    clear(): void {
      faults = [];
    },
    remove(id: number): boolean {
      const before = faults.length;
      faults = faults.filter((f) => f.id !== id);
      return faults.length !== before;
    },
    /** Validates an admin request body and adds the fault; returns the fault or an error message. */
    add(input: unknown): Fault | string {
      if (!isPlainObject(input)) return 'the body must be a JSON object';
      const kind = input.kind;
      if (typeof kind !== 'string' || !FAULT_KINDS.includes(kind as FaultKind))
        return `kind must be one of ${FAULT_KINDS.join(', ')}`;
      const method = input.method === undefined ? '*' : String(input.method).toUpperCase();
      const pathPrefix = input.pathPrefix ?? input.path ?? '/';
      if (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/'))
        return 'pathPrefix must be a string starting with /';
      const delayMs =
        input.delayMs === undefined
          ? kind === 'delay' || kind === 'delay-after'
            ? 1000
            : 0
          : Number(input.delayMs);
      if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > 120_000)
        return 'delayMs must be between 0 and 120000';
      const status =
        input.status === undefined ? (kind === 'rate-limit' ? 429 : 503) : Number(input.status);
      if (kind === 'error' && (!Number.isInteger(status) || status < 500 || status > 599))
        return 'status must be a 5xx code for kind error';
      const retryAfter = input.retryAfter === undefined ? 1 : Number(input.retryAfter);
      if (!Number.isInteger(retryAfter) || retryAfter < 0)
        return 'retryAfter must be a whole number of seconds';
      const times = input.times === undefined ? 1 : input.times;
      if (times !== null && (typeof times !== 'number' || !Number.isInteger(times) || times < 1))
        return 'times must be a positive integer or null (until removed)';
      const fault: Fault = {
        id: nextId++,
        kind: kind as FaultKind,
        method,
        pathPrefix,
        delayMs,
        status: kind === 'rate-limit' ? 429 : status,
        retryAfter,
        remaining: times,
        hits: 0,
      };
      faults.push(fault);
      return { ...fault };
    },
    /** Consumes the faults that match this request. */
    plan(method: string, path: string): FaultPlan {
      let delayMs = 0;
      let action: Fault | null = null;
      for (const f of faults) {
        if ((f.method !== '*' && f.method !== method) || !path.startsWith(f.pathPrefix)) continue;
        if (f.kind !== 'delay' && action !== null) continue;
        f.hits++;
        if (f.remaining !== null) f.remaining--;
        // A held answer waits after the request is handled, not before.
        if (f.kind !== 'delay-after') delayMs += f.delayMs;
        if (f.kind !== 'delay') action = { ...f };
      }
      faults = faults.filter((f) => f.remaining === null || f.remaining > 0);
      return { delayMs, action };
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
