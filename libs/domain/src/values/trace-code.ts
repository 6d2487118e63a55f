import { InvalidTraceCode, ChildIndexExhausted } from '../errors';
import type { WasteCategory } from './category';
import { MOD37_2_CHECK_SYMBOLS, mod37_2CheckSymbol, mod37_2IsValid } from './check-character';
import { encodeCrockford, decodeCrockford, isCrockford, normaliseCrockford } from './crockford';
import { daysInMonth } from './time';
import { PROVINCE_CODES } from './district';
import { accepts } from '../util';

/**
 * Trace code (浙固码 style), canonical printed form: upper case, no separators:
 *
 *   DDDDDD C YYMMDD RRRRRRRR X
 *   330106 W 250303 7K2M9QXA Q      (22 characters, a root code and a child alike)
 *
 *  - DDDDDD  origin district (6-digit division code) — for a consolidated batch, the consolidator's district
 *  - C       category letter (pinyin initials, all inside Crockford's alphabet):
 *            G 一般工业 industrial · W 危险废物 hazardous · S 生活垃圾 household · N 农业 agricultural · J 建筑 construction
 *  - YYMMDD  date of generation (or consolidation) in China Standard Time
 *  - R×8     random part from the command, Crockford base32 (40 bits)
 *  - X       ISO/IEC 7064 MOD 37-2 check character over everything before it (see check-character.ts):
 *            one of the 32 Crockford symbols or `*` `~` `$` `=` `U`
 *
 * A child (a split part, a rejected part back with the shipper) keeps its parent's prefix (district,
 * category, date) and gets a random part of its own from its command (`childTraceCode`): every code has
 * the same 22 characters at any depth of splits (DESIGN §2 Identifiers); the lineage lives in the ledger
 * (`parentTraceCode`, `childIndex` of the events), not in the code.
 *
 * Legacy child codes: before issue 10 row 7 a child was its parent's body + 2 base32 symbols (its child
 * index) + a new check, so a code grew by 2 characters per generation (22 + 2·depth). Such codes are
 * stored and never rewritten: they still parse (`childPath`, `parentCode`) and are read by every route;
 * the ledger issues none any more (`legacyChildTraceCode` only re-derives those of old events).
 *
 * Input is case-insensitive; I and L read as 1, O as 0 (Crockford); spaces and hyphens are ignored, so the
 * display form `330106-W-250303-7K2M9QXA-Q` (see `formatTraceCode`) is accepted too.
 */
export const TRACE_RANDOM_LENGTH = 8;
export const ROOT_TRACE_CODE_LENGTH = 6 + 1 + 6 + TRACE_RANDOM_LENGTH + 1;
export const MAX_CHILD_INDEX = 32 * 32 - 1;

export const TRACE_CATEGORY_LETTERS: Readonly<Record<WasteCategory, string>> = {
  industrial: 'G',
  hazardous: 'W',
  household: 'S',
  agricultural: 'N',
  construction: 'J',
};

const CATEGORY_OF_LETTER: ReadonlyMap<string, WasteCategory> = new Map(
  (Object.entries(TRACE_CATEGORY_LETTERS) as [WasteCategory, string][]).map(([category, letter]) => [
    letter,
    category,
  ]),
);

export function categoryOfLetter(letter: string): WasteCategory | undefined {
  return CATEGORY_OF_LETTER.get(letter);
}

export interface TraceCodeParts {
  /** Canonical form. */
  readonly code: string;
  readonly districtCode: string;
  readonly category: WasteCategory;
  /** YYMMDD */
  readonly date: string;
  readonly randomPart: string;
  /** A legacy child code's indices from the root down; empty for every code issued now (22 characters). */
  readonly childPath: readonly number[];
  /** Canonical code of the parent, for a legacy child code (a code of 22 characters does not name its parent). */
  readonly parentCode?: string;
}

/** Canonical form of an input: separators removed, upper case, Crockford look-alikes mapped. */
export function normaliseTraceCodeInput(input: string): string {
  return normaliseCrockford(input.replace(/[\s-]/g, ''));
}

export function parseTraceCode(value: unknown, field = 'traceCode'): TraceCodeParts {
  if (typeof value !== 'string') throw new InvalidTraceCode(field, null, 'a trace code string is required');
  const code = normaliseTraceCodeInput(value);
  const bad = (reason: string): never => {
    throw new InvalidTraceCode(field, value, reason);
  };
  if (code.length < ROOT_TRACE_CODE_LENGTH || (code.length - ROOT_TRACE_CODE_LENGTH) % 2 !== 0)
    bad('wrong length');
  const body = code.slice(0, -1);
  const check = code.slice(-1);
  if (!isCrockford(body)) bad('illegal character (Crockford base32 expected)');
  if (!MOD37_2_CHECK_SYMBOLS.includes(check)) bad('illegal check character');
  if (!mod37_2IsValid(body, check)) bad('wrong check character');
  const districtCode = body.slice(0, 6);
  if (!/^\d{6}$/.test(districtCode) || !PROVINCE_CODES.includes(districtCode.slice(0, 2)))
    bad('no district code');
  const category = categoryOfLetter(body[6]);
  if (category === undefined) bad('unknown category letter');
  const date = body.slice(7, 13);
  if (!isValidYymmdd(date)) bad('no date');
  const randomPart = body.slice(13, 13 + TRACE_RANDOM_LENGTH);
  const childPath: number[] = [];
  for (let i = 13 + TRACE_RANDOM_LENGTH; i < body.length; i += 2)
    childPath.push(decodeCrockford(body.slice(i, i + 2)));
  const parentBody = body.slice(0, -2);
  return {
    code,
    districtCode,
    category: category as WasteCategory,
    date,
    randomPart,
    childPath,
    ...(childPath.length > 0 ? { parentCode: parentBody + mod37_2CheckSymbol(parentBody) } : {}),
  };
}

/** Validates and returns the canonical form. */
export function normaliseTraceCode(value: unknown, field = 'traceCode'): string {
  return parseTraceCode(value, field).code;
}

export const isValidTraceCode: (value: string) => boolean = accepts(parseTraceCode);

/** Validates a random part from the command: 8 Crockford symbols (case-insensitive). */
export function parseRandomPart(value: unknown, field = 'randomPart'): string {
  if (typeof value !== 'string')
    throw new InvalidTraceCode(
      field,
      null,
      `a random part of ${TRACE_RANDOM_LENGTH} base32 symbols is required`,
    );
  const r = normaliseCrockford(value.trim());
  if (r.length !== TRACE_RANDOM_LENGTH || !isCrockford(r))
    throw new InvalidTraceCode(
      field,
      value,
      `a random part has ${TRACE_RANDOM_LENGTH} Crockford base32 symbols`,
    );
  return r;
}

/** Composes a root trace code; `date` is YYMMDD (use `cstYymmdd(occurredAtMs)`). */
export function composeTraceCode(parts: {
  districtCode: string;
  category: WasteCategory;
  date: string;
  randomPart: string;
}): string {
  if (!/^\d{6}$/.test(parts.districtCode))
    throw new InvalidTraceCode('districtCode', parts.districtCode, 'a division code has 6 digits');
  if (!isValidYymmdd(parts.date)) throw new InvalidTraceCode('date', parts.date, 'expected YYMMDD');
  const body = `${parts.districtCode}${TRACE_CATEGORY_LETTERS[parts.category]}${parts.date}${parseRandomPart(parts.randomPart)}`;
  return body + mod37_2CheckSymbol(body);
}

/**
 * The code of a child of `parentCode` (a split part, a rejected part back with the shipper): the parent's
 * district, category and date, the child's own random part (from its command's entropy, like a root's),
 * a new check — 22 characters whatever the parent's depth, a legacy long parent included.
 */
export function childTraceCode(parentCode: string, randomPart: string): string {
  const parent = parseTraceCode(parentCode, 'parentTraceCode');
  return composeTraceCode({
    districtCode: parent.districtCode,
    category: parent.category,
    date: parent.date,
    randomPart: parseRandomPart(randomPart, 'childRandomPart'),
  });
}

/**
 * The legacy code of child number `childIndex` (0..1023) of `parentCode`: the parent body + 2 base32
 * symbols + a new check (22 + 2·depth characters). The ledger no longer issues these; only the batch
 * side of a receipt recorded before ManifestReceived v4 (which named no code for its rejected part)
 * re-derives one, so that an old event replays to the code it gave then.
 */
export function legacyChildTraceCode(parentCode: string, childIndex: number): string {
  const parent = normaliseTraceCode(parentCode, 'parentTraceCode');
  if (!Number.isInteger(childIndex) || childIndex < 0 || childIndex > MAX_CHILD_INDEX)
    throw new ChildIndexExhausted(parent, childIndex);
  const body = parent.slice(0, -1) + encodeCrockford(childIndex, 2);
  return body + mod37_2CheckSymbol(body);
}

/** Display form with hyphens: district-category-date-random[-child]…-check. Parsing accepts it. */
export function formatTraceCode(code: string): string {
  const c = normaliseTraceCode(code);
  const children = c.slice(21, -1);
  const groups = [c.slice(0, 6), c.slice(6, 7), c.slice(7, 13), c.slice(13, 21)];
  for (let i = 0; i < children.length; i += 2) groups.push(children.slice(i, i + 2));
  groups.push(c.slice(-1));
  return groups.join('-');
}

function isValidYymmdd(date: string): boolean {
  if (!/^\d{6}$/.test(date)) return false;
  const year = 2000 + Number(date.slice(0, 2));
  const month = Number(date.slice(2, 4));
  const day = Number(date.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}
