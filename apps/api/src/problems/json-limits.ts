/**
 * The shape limits of a JSON body (DESIGN.md §10), checked by one linear pass over the text BEFORE it is
 * parsed: a hostile body (200,000 keys, a 300,000-element array, 100,000 levels) is refused in the time
 * it takes to read it, and nothing downstream (JSON.parse, class-transformer, whose cost per object grows
 * with the square of its keys, class-validator) ever sees it.
 */
export interface JsonLimits {
  /** Containers nested inside each other, the outermost counting 1. */
  readonly maxDepth: number;
  /** Keys of one object. */
  readonly maxKeysPerObject: number;
  /** Elements of one array. */
  readonly maxItemsPerArray: number;
  /** Values of the whole document (every key's value, every element, the root). */
  readonly maxValues: number;
}

export interface JsonViolation {
  /** `body-bom`, `body-too-deep`, `too-many-keys`, `too-many-items`, `too-many-values`, `duplicate-key`. */
  readonly rule: string;
  /** Where: `body`, or a JSON path such as `lines[3]` or `x.a`. */
  readonly field: string;
  readonly message: string;
}

interface Frame {
  readonly isObject: boolean;
  /** Keys seen (objects) or elements seen (arrays). */
  count: number;
  /** Decoded keys seen so far (objects only), for duplicate detection. */
  readonly keys: Set<string> | undefined;
  /** The segment of the path this container is at, in its parent. */
  readonly segment: string;
  /** The key of the value being read (objects only). */
  key: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const BOM = 0xfeff;
/** A path names keys by at most this many characters (a refusal stays small whatever the keys are). */
const SEGMENT_CHARS = 40;

/**
 * The first limit the text breaks, or undefined. Correct on every valid JSON text; on invalid text it
 * may report a limit or nothing, and the parse that follows refuses it as malformed.
 */
export function checkJsonLimits(text: string, limits: JsonLimits): JsonViolation | undefined {
  if (text.charCodeAt(0) === BOM) {
    return {
      rule: 'body-bom',
      field: 'body',
      message: 'the body starts with a byte order mark (U+FEFF); send UTF-8 JSON without one (RFC 8259 §8.1)',
    };
  }
  const stack: Frame[] = [];
  let values = 0;
  /** After `{` or `,` in an object: the next string is a key. */
  let expectKey = false;
  /** After `[`, `,` in an array, `:` or at the start: the next token starts a value. */
  let expectValue = true;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09) continue;
    const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (char === QUOTE && expectKey && top?.isObject) {
      const end = endOfString(text, i);
      const key = decodeKey(text, i, end);
      top.count += 1;
      if (top.count > limits.maxKeysPerObject) {
        return atPath(stack, 'too-many-keys', `an object has more than ${limits.maxKeysPerObject} keys`);
      }
      if (top.keys?.has(key)) {
        top.key = key;
        return {
          rule: 'duplicate-key',
          field: pathOf(stack, segmentOf(top)),
          message: `the key ${JSON.stringify(shorten(key))} appears twice in one object`,
        };
      }
      top.keys?.add(key);
      top.key = key;
      expectKey = false;
      i = end;
      continue;
    }
    if (char === COLON) {
      expectValue = true;
      continue;
    }
    if (char === COMMA) {
      if (top?.isObject) expectKey = true;
      else expectValue = true;
      continue;
    }
    if (char === CLOSE_OBJECT || char === CLOSE_ARRAY) {
      stack.pop();
      expectKey = false;
      expectValue = false;
      continue;
    }
    // any other token starts a value
    if (expectValue) {
      values += 1;
      if (values > limits.maxValues) {
        return {
          rule: 'too-many-values',
          field: 'body',
          message: `the body holds more than ${limits.maxValues} values`,
        };
      }
      if (top && !top.isObject) {
        top.count += 1;
        if (top.count > limits.maxItemsPerArray) {
          return atPath(
            stack,
            'too-many-items',
            `an array has more than ${limits.maxItemsPerArray} elements`,
          );
        }
      }
      expectValue = false;
    }
    if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      const isObject = char === OPEN_OBJECT;
      stack.push({
        isObject,
        count: 0,
        keys: isObject ? new Set() : undefined,
        segment: top ? segmentOf(top) : '',
        key: '',
      });
      if (stack.length > limits.maxDepth) {
        return atPath(stack, 'body-too-deep', `the body nests deeper than ${limits.maxDepth} levels`);
      }
      expectKey = isObject;
      expectValue = !isObject;
      continue;
    }
    if (char === QUOTE) i = endOfString(text, i);
  }
  return undefined;
}

/** The violation of a limit by the container being read, named by its path. */
function atPath(stack: readonly Frame[], rule: string, message: string): JsonViolation {
  return { rule, field: pathOf(stack), message };
}

/** Index of the closing quote of the string opening at `start` (or the last index when unterminated). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length - 1;
    let backslashes = 0;
    for (let j = quote - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/** The key as JSON.parse would read it, so `"a"` and `"\u0061"` are the same key. */
function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  if (raw.indexOf('\\') < 0) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return raw;
  }
}

function segmentOf(frame: Frame): string {
  if (!frame.isObject) return `[${frame.count - 1}]`;
  return /^[A-Za-z_$][\w$]*$/.test(frame.key) && frame.key.length <= SEGMENT_CHARS
    ? `.${frame.key}`
    : `[${JSON.stringify(shorten(frame.key))}]`;
}

/** `body` for the root container, else the path of the innermost container (`lines[3]`, `x.a`), or of `last` in it. */
function pathOf(stack: readonly Frame[], last = ''): string {
  const path =
    stack
      .slice(1)
      .map((frame) => frame.segment)
      .join('') + last;
  if (path === '') return 'body';
  return path.startsWith('.') ? path.slice(1) : path;
}

function shorten(key: string): string {
  return key.length > SEGMENT_CHARS ? `${key.slice(0, SEGMENT_CHARS)}…` : key;
}
