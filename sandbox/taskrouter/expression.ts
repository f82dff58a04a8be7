// A subset of TaskRouter's expression language for the EvaluateTaskAttributes list filter:
//   customer.tier == "gold" AND (priority > 5 OR skills HAS "spanish") AND channel IN ['voice','chat']
// Operators: == = != <> > < >= <= IN, NOT IN, HAS, CONTAINS; logic AND/OR/NOT (&&, ||, !); parentheses.

type Token = { t: 'str' | 'num' | 'id' | 'op' | 'punct' | 'kw'; v: string };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'HAS', 'CONTAINS', 'TRUE', 'FALSE', 'NULL']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated string');
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const op = /^(==|!=|<>|>=|<=|&&|\|\||=|>|<|!)/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    if ('()[],'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const id = /^[A-Za-z_][\w.-]*/.exec(src.slice(i));
    if (id) {
      const upper = id[0].toUpperCase();
      out.push(KEYWORDS.has(upper) ? { t: 'kw', v: upper } : { t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`unexpected character ${c}`);
  }
  return out;
}

type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'path'; v: string }
  | { k: 'list'; v: Node[] }
  | { k: 'not'; v: Node }
  | { k: 'logic'; op: 'AND' | 'OR'; a: Node; b: Node }
  | { k: 'cmp'; op: string; a: Node; b: Node };

export type Predicate = (attributes: unknown) => boolean;

/** Compiles an expression; throws Error with a readable message when it does not parse. */
export function compileExpression(src: string): Predicate {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const is = (t: Token['t'], v?: string) => peek()?.t === t && (v === undefined || peek()?.v === v);
  const expect = (t: Token['t'], v: string) => {
    if (!is(t, v)) throw new Error(`expected ${v}`);
    pos++;
  };

  function parseOr(): Node {
    let a = parseAnd();
    while (is('kw', 'OR') || is('op', '||')) {
      pos++;
      a = { k: 'logic', op: 'OR', a, b: parseAnd() };
    }
    return a;
  }
  function parseAnd(): Node {
    let a = parseNot();
    while (is('kw', 'AND') || is('op', '&&')) {
      pos++;
      a = { k: 'logic', op: 'AND', a, b: parseNot() };
    }
    return a;
  }
  function parseNot(): Node {
    if (is('kw', 'NOT') || is('op', '!')) {
      pos++;
      return { k: 'not', v: parseNot() };
    }
    return parseCmp();
  }
  function parseCmp(): Node {
    const a = parseOperand();
    const tok = peek();
    if (tok?.t === 'op' && ['==', '=', '!=', '<>', '>', '<', '>=', '<='].includes(tok.v)) {
      pos++;
      return { k: 'cmp', op: tok.v, a, b: parseOperand() };
    }
    if (tok?.t === 'kw' && ['IN', 'HAS', 'CONTAINS'].includes(tok.v)) {
      pos++;
      return { k: 'cmp', op: tok.v, a, b: parseOperand() };
    }
    if (
      tok?.t === 'kw' &&
      tok.v === 'NOT' &&
      tokens[pos + 1]?.t === 'kw' &&
      tokens[pos + 1]?.v === 'IN'
    ) {
      pos += 2;
      return { k: 'cmp', op: 'NOT IN', a, b: parseOperand() };
    }
    return a;
  }
  function parseOperand(): Node {
    const tok = peek();
    if (tok === undefined) throw new Error('unexpected end of expression');
    pos++;
    if (tok.t === 'str') return { k: 'lit', v: tok.v };
    if (tok.t === 'num') return { k: 'lit', v: Number(tok.v) };
    if (tok.t === 'id') return { k: 'path', v: tok.v };
    if (tok.t === 'kw' && tok.v === 'TRUE') return { k: 'lit', v: true };
    if (tok.t === 'kw' && tok.v === 'FALSE') return { k: 'lit', v: false };
    if (tok.t === 'kw' && tok.v === 'NULL') return { k: 'lit', v: null };
    if (tok.t === 'punct' && tok.v === '(') {
      const inner = parseOr();
      expect('punct', ')');
      return inner;
    }
    if (tok.t === 'punct' && tok.v === '[') {
      const items: Node[] = [];
      while (!is('punct', ']')) {
        items.push(parseOperand());
        if (is('punct', ',')) pos++;
        else if (!is('punct', ']')) throw new Error('expected , or ]');
      }
      pos++;
      return { k: 'list', v: items };
    }
    throw new Error(`unexpected ${tok.v}`);
  }

  const root = parseOr();
  if (pos !== tokens.length) throw new Error(`unexpected ${tokens[pos]?.v ?? 'token'}`);
  return (attributes) => truthy(evaluate(root, attributes));
}

function evaluate(node: Node, attrs: unknown): unknown {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'path':
      return node.v
        .split('.')
        .reduce<unknown>(
          (obj, key) =>
            typeof obj === 'object' && obj !== null
              ? (obj as Record<string, unknown>)[key]
              : undefined,
          attrs,
        );
    case 'list':
      return node.v.map((n) => evaluate(n, attrs));
    case 'not':
      return !truthy(evaluate(node.v, attrs));
    case 'logic':
      return node.op === 'AND'
        ? truthy(evaluate(node.a, attrs)) && truthy(evaluate(node.b, attrs))
        : truthy(evaluate(node.a, attrs)) || truthy(evaluate(node.b, attrs));
    case 'cmp':
      return compare(node.op, evaluate(node.a, attrs), evaluate(node.b, attrs));
  }
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '=':
      return equal(a, b);
    case '!=':
    case '<>':
      return a !== undefined && !equal(a, b);
    case '>':
    case '<':
    case '>=':
    case '<=': {
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const x = a as number | string,
        y = b as number | string;
      return op === '>' ? x > y : op === '<' ? x < y : op === '>=' ? x >= y : x <= y;
    }
    case 'IN':
      return Array.isArray(b) && b.some((v) => equal(a, v));
    case 'NOT IN':
      return Array.isArray(b) && a !== undefined && !b.some((v) => equal(a, v));
    case 'HAS':
      return Array.isArray(a) && a.some((v) => equal(v, b));
    case 'CONTAINS':
      return typeof a === 'string' && typeof b === 'string'
        ? a.includes(b)
        : Array.isArray(a) && a.some((v) => equal(v, b));
    default:
      return false;
  }
}

function equal(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    (typeof a === 'number' && typeof b === 'string' && String(a) === b) ||
    (typeof a === 'string' && typeof b === 'number' && a === String(b))
  );
}

function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}
