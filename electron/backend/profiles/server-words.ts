// The server's own words from an error answer, so a message says what the server said: a JSON
// body's message at the profile's pointers (CouchDB `reason`, Azure `odata.error.message.value`)
// or a few common places, an XML error's <Message>, else an HTML error page's <title>. Bounded and
// single-line.
import { getAt, parseJson } from '../../../shared/json';

const COMMON_POINTERS = [
  '/message',
  '/error/message',
  '/error_description',
  '/reason',
  '/detail',
  '/title',
  '/odata.error/message/value',
  '/error',
];
const MAX_WORDS = 300;

export function serverWords(text: string, pointers: readonly string[] = []): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith('{')) {
    const parsed = parseJson(trimmed);
    if (parsed.ok) {
      for (const pointer of [...pointers, ...COMMON_POINTERS]) {
        const value = getAt(parsed.value, pointer);
        if (typeof value === 'string' && value.trim()) return tidy(value);
      }
      return null;
    }
  }
  // An XML error document (Azure Storage: <Error><Code/><Message/></Error>), else an HTML page's title.
  const message = firstElementText(
    trimmed,
    /<(?:[\w.-]+:)?message\b[^<>]*>/i,
    /<\/(?:[\w.-]+:)?message\s*>/i,
  );
  if (message && message.trim() && !/</.test(message)) return tidy(decodeEntities(message));
  const title = firstElementText(trimmed, /<title\b[^<>]*>/i, /<\/title\s*>/i);
  if (title && title.trim()) return tidy(decodeEntities(title));
  return null;
}

/**
 * The text between the first opening tag and the first closing tag after it. Two searches, each
 * one pass: a lazy `<t>([\s\S]*?)</t>` rescans the rest of the text from every opening tag that
 * has no closing one (an error page of 200,000 of them held the backend for minutes).
 */
function firstElementText(text: string, open: RegExp, close: RegExp): string | null {
  const start = open.exec(text);
  if (!start) return null;
  const from = start.index + start[0].length;
  const end = close.exec(text.slice(from));
  return end ? text.slice(from, from + end.index) : null;
}

/** "The server answered 404 …" followed by the server's words, when it gave any. */
export function withServerWords(
  message: string,
  text: string,
  pointers?: readonly string[],
): string {
  const words = serverWords(text, pointers);
  return words ? `${message} The server says: “${words}”` : message;
}

function tidy(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_WORDS ? `${line.slice(0, MAX_WORDS - 1)}…` : line;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => codePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => codePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

const codePoint = (n: number) =>
  Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd';
