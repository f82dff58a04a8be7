// Serialising JSON values, bigint included, in a chosen layout. Layouts are detected from the text a
// value came from, so a compact string stays compact and Python's `{"a": 1}` keeps its spaces.
import type { JsonValue } from './types';

export type JsonStyle = {
  /** Indentation unit for pretty output; '' means everything on one line. */
  readonly indent: string;
  /** Separators used on one line (compact output only). */
  readonly colon: ':' | ': ';
  readonly comma: ',' | ', ';
  readonly finalNewline: boolean;
};

export const COMPACT: JsonStyle = { indent: '', colon: ':', comma: ',', finalNewline: false };
export const PRETTY: JsonStyle = { indent: '  ', colon: ': ', comma: ',', finalNewline: true };

export function detectStyle(text: string): JsonStyle {
  const finalNewline = text.endsWith('\n');
  // The layout shows in the first few kilobytes; large documents need not be scanned whole.
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  const indent = /\n([ \t]+)\S/.exec(head);
  if (indent) return { indent: indent[1]!, colon: ': ', comma: ',', finalNewline };
  // One line: look at the separators outside strings.
  const outside = head.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return {
    indent: '',
    colon: /:\s/.test(outside) ? ': ' : ':',
    comma: /,\s/.test(outside) ? ', ' : ',',
    finalNewline,
  };
}

/**
 * The line break a text's lines end with: CRLF when its first line break is one (a file checked out
 * on Windows, or committed that way), else LF. A merge writes its output with it, as git does, so a
 * merge does not rewrite every line of a CRLF file.
 */
export function lineBreakOf(text: string): '\n' | '\r\n' {
  const at = text.indexOf('\n');
  return at > 0 && text.charCodeAt(at - 1) === 13 ? '\r\n' : '\n';
}

/**
 * JSON text (or diff3-marked JSON text) with every line ending in `eol`. Only for text whose line
 * breaks are all layout: JSON strings cannot hold a raw line break, so none is inside a value.
 */
export function withLineBreaks(text: string, eol: '\n' | '\r\n'): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

function containsBigInt(value: JsonValue): boolean {
  if (typeof value === 'bigint') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(containsBigInt);
  for (const key in value) if (containsBigInt(value[key]!)) return true;
  return false;
}

/**
 * JSON.stringify, or undefined when the value holds a bigint. The native serialiser throws on a
 * bigint (unless something gave BigInt a toJSON, in which case the value is scanned first), so
 * the common case costs no extra walk over the value.
 */
function nativeStringify(value: JsonValue, indent: string): string | undefined {
  if ('toJSON' in BigInt.prototype)
    return containsBigInt(value) ? undefined : JSON.stringify(value, null, indent);
  try {
    return JSON.stringify(value, null, indent);
  } catch (err) {
    if (err instanceof TypeError && containsBigInt(value)) return undefined;
    throw err;
  }
}

export function stringifyJson(value: JsonValue, style: JsonStyle = COMPACT): string {
  const native = style.colon === (style.indent === '' ? ':' : ': ') && style.comma === ',';
  // The native serialiser is several times faster; use it whenever its layout is the one asked for.
  let body = native ? nativeStringify(value, style.indent) : undefined;
  if (body === undefined) {
    const parts: string[] = [];
    write(value, style, '', parts);
    body = parts.join('');
  }
  return style.finalNewline ? body + '\n' : body;
}

function write(value: JsonValue, style: JsonStyle, indent: string, out: string[]): void {
  if (typeof value === 'bigint') {
    out.push(value.toString());
    return;
  }
  if (typeof value !== 'object' || value === null) {
    out.push(JSON.stringify(value));
    return;
  }
  const pretty = style.indent !== '';
  const inner = indent + style.indent;
  const open = pretty ? '\n' + inner : '';
  const sep = pretty ? ',\n' + inner : style.comma;
  const close = pretty ? '\n' + indent : '';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[', open);
    value.forEach((item, i) => {
      if (i > 0) out.push(sep);
      write(item, style, inner, out);
    });
    out.push(close, ']');
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{', open);
  keys.forEach((key, i) => {
    if (i > 0) out.push(sep);
    out.push(JSON.stringify(key), pretty ? ': ' : style.colon);
    write(value[key]!, style, inner, out);
  });
  out.push(close, '}');
}
