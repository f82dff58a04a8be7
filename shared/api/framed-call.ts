// The page's side of a framed call (browser mode): its arguments framed, long texts sent as deltas
// of texts the host sent or received lately, and the answer read with the texts the request
// carried (the host may send Server now as a delta of the operator's own text). When the host no
// longer holds a text a delta names, it says so before calling anything (409 unknown-text), and
// the call goes again with every text whole. The fetch itself is the caller's (lib/api.ts).
import { isHostError } from './contract';
import { TextShelf } from './text-shelf';
import { decodeBodyWith, encodeBody, type EncodedBody } from './wire';

/** One POST of an encoded body to a method; what came back, read as text. */
export type Post = (
  method: string,
  encoded: EncodedBody,
) => Promise<{ status: number; contentType: string | null; text: string }>;

export type FramedAnswer = {
  readonly status: number;
  /** The answer's value; undefined (with `error`) when it could not be read. */
  readonly body: unknown;
  readonly error?: unknown;
};

/** How many texts, and characters, the page keeps as bases. */
const SHELF_TEXTS = 4;
const SHELF_CHARS = 32 * 1024 * 1024;

/**
 * Calls made through `post`, sharing one shelf of texts (a draft's text is the base of the save
 * of the same text that follows it). `newId` names each framed string uniquely.
 */
export function framedCaller(
  post: Post,
  newId: () => string,
): (method: string, args: unknown) => Promise<FramedAnswer> {
  const shelf = new TextShelf(SHELF_TEXTS, SHELF_CHARS);
  return async (method, args) => {
    let encoded = encodeBody(args ?? {}, true, { newId, bases: shelf.entries() });
    let answer = await post(method, encoded);
    if (answer.status === 409 && isUnknownText(answer.text)) {
      encoded = encodeBody(args ?? {}, true, { newId });
      answer = await post(method, encoded);
    }
    const sent = new Map(encoded.framed);
    try {
      const decoded = decodeBodyWith(
        answer.text,
        answer.contentType,
        (id) => sent.get(id) ?? shelf.get(id),
      );
      shelf.put(encoded.framed);
      shelf.put(decoded.framed);
      return { status: answer.status, body: decoded.value };
    } catch (error) {
      return { status: answer.status, body: undefined, error };
    }
  };
}

/** Whether an answer is the host saying a delta named a text it no longer holds. */
function isUnknownText(answer: string): boolean {
  try {
    const body: unknown = JSON.parse(answer);
    return isHostError(body) && body.code === 'unknown-text';
  } catch {
    return false;
  }
}
