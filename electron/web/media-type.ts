// Which request bodies the contract reads: JSON or the framed type, UTF-8 only. Media types and
// parameter names are case-insensitive (RFC 9110 §8.3.1), so Application/JSON is JSON too.
import { FRAMES_TYPE } from '../../shared/api/wire';

export type BodyType = { ok: true; framed: boolean } | { ok: false; message: string };

/** Quoted back in a refusal, never at any length. */
const shown = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

export function bodyTypeOf(header: string | undefined): BodyType {
  const [rawType = '', ...params] = (header ?? '').split(';');
  const type = rawType.trim().toLowerCase();
  if (type !== 'application/json' && type !== FRAMES_TYPE)
    return {
      ok: false,
      message: `Send the arguments as application/json (the Content-Type was ${header === undefined ? 'missing' : shown(header)}).`,
    };
  for (const param of params) {
    const at = param.indexOf('=');
    if (param.slice(0, at).trim().toLowerCase() !== 'charset') continue;
    const charset = param
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    // The body is decoded as UTF-8 whatever it says: any other charset would be misread.
    if (!/^utf-?8$/i.test(charset))
      return {
        ok: false,
        message: `The charset ${shown(charset)} is not accepted: send the arguments as UTF-8 (charset=utf-8).`,
      };
  }
  return { ok: true, framed: type === FRAMES_TYPE };
}
