import type { ValidationError } from 'class-validator';
import type { FieldProblem } from './problem-document';

/** Input that fails the edge validation (DTO rules, headers, path parameters): 400 naming each field. */
export class InvalidRequest extends Error {
  readonly status = 400;
  readonly rule = 'invalid-request';

  constructor(readonly errors: readonly FieldProblem[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; ') || 'invalid request');
    this.name = 'InvalidRequest';
  }

  static fromValidationErrors(errors: readonly ValidationError[]): InvalidRequest {
    return new InvalidRequest(flatten(errors, ''));
  }

  static field(field: string, rule: string, message: string): InvalidRequest {
    return new InvalidRequest([{ field, rule, message }]);
  }
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
