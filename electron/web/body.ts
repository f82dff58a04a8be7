// Reading a contract call's body with two bounds, so no client holds memory or a connection at
// will: a size limit (stop at it, do not read on to the end) and a stall limit (no bytes for that
// long ends the request, instead of Node's 5-minute request timeout).
import type { IncomingMessage } from 'node:http';

/** A body that sends nothing for this long is answered 408 and its connection closed. */
export const BODY_STALL_MS = 10_000;

export type BodyRead =
  | { kind: 'ok'; bytes: Buffer }
  | { kind: 'too-large' }
  | { kind: 'stalled' }
  /** The client went away: there is no one to answer. */
  | { kind: 'aborted' };

export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  stallMs: number,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    // A declared length over the limit is refused before anything is read.
    if (Number(req.headers['content-length'] ?? 0) > maxBytes)
      return resolve({ kind: 'too-large' });
    const chunks: Buffer[] = [];
    let total = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (read: BodyRead) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      // Nothing more is read; the caller's answer closes the connection.
      if (read.kind !== 'ok') req.pause();
      resolve(read);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'stalled' }), stallMs);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return finish({ kind: 'too-large' });
      chunks.push(chunk);
      arm();
    };
    const onEnd = () => finish({ kind: 'ok', bytes: Buffer.concat(chunks) });
    const onError = () => finish({ kind: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onError);
    arm();
  });
}
