import type { ValidationError } from 'class-validator';
import type { FieldProblem } from './problem-document';

/** A refusal lists at most this many fields: enough to fix a request, never a copy of a hostile one. */
export const MAX_LISTED_ERRORS = 50;
/** Field paths and messages are cut to this many characters (a key may be a megabyte long). */
const MAX_FIELD_CHARS = 200;
const MAX_MESSAGE_CHARS = 300;
/** The `detail` sentence names the first few fields only. */
const DETAIL_ERRORS = 5;

/** Input that fails the edge validation (DTO rules, headers, path parameters): 400 naming each field. */
export class InvalidRequest extends Error {
  readonly status = 400;
  readonly errors: readonly FieldProblem[];
  /** `errorCount` when the list was cut to MAX_LISTED_ERRORS. */
  readonly details?: { readonly errorCount: number };

  /** `rule`: `invalid-request`, or the one rule a request as a whole broke (`too-many-keys`, `duplicate-header` …). */
  constructor(
    errors: readonly FieldProblem[],
    readonly rule: string = 'invalid-request',
  ) {
    const listed = errors.slice(0, MAX_LISTED_ERRORS).map(bounded);
    const shown = listed.slice(0, DETAIL_ERRORS).map((error) => `${error.field}: ${error.message}`);
    const more = errors.length - shown.length;
    super(
      shown.length === 0
        ? 'invalid request'
        : `${shown.join('; ')}${more > 0 ? `; and ${more} more (see errors)` : ''}`,
    );
    this.name = 'InvalidRequest';
    this.errors = listed;
    if (errors.length > listed.length) this.details = { errorCount: errors.length };
  }

  static fromValidationErrors(errors: readonly ValidationError[]): InvalidRequest {
    return new InvalidRequest(flatten(errors, ''));
  }

  static field(field: string, rule: string, message: string): InvalidRequest {
    return new InvalidRequest([{ field, rule, message }]);
  }
}

function bounded(error: FieldProblem): FieldProblem {
  return {
    field: cut(error.field, MAX_FIELD_CHARS),
    rule: error.rule,
    message: cut(error.message, MAX_MESSAGE_CHARS),
  };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function flatten(errors: readonly ValidationError[], prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = pathOf(prefix, error.property);
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      problems.push({ field: path, rule: rule === 'whitelistValidation' ? 'unknown-field' : rule, message });
    }
    if (error.children?.length) problems.push(...flatten(error.children, path));
  }
  return problems;
}

function pathOf(prefix: string, property: string): string {
  if (/^\d+$/.test(property)) return `${prefix}[${property}]`;
  return prefix ? `${prefix}.${property}` : property;
}
