/**
 * The API's refusals (RFC 9457 problem documents: status, rule, detail, and for invalid input
 * errors[{ field, rule, message }]) turned into what a form shows: a message per field in the user's
 * language, and one for the whole form. A rule the message files do not know falls back to the API's
 * own text, so nothing the API said is ever dropped.
 */
export interface ProblemDocument {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly rule?: string;
  readonly errors?: readonly { readonly field: string; readonly rule: string; readonly message: string }[];
  readonly [extra: string]: unknown;
}

/** `translate(key)` answers undefined for a key the messages lack. */
export type Translate = (key: string, values?: Record<string, unknown>) => string | undefined;

export interface FormProblems {
  /** Field path (as the API names it: `lines.0.massKg`) → messages. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  /** The message for the form as a whole (always set). */
  readonly summary: string;
}

export function isProblemDocument(value: unknown): value is ProblemDocument {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';
}

/** The message of one rule: `rules.<rule>` in the user's language, else the API's message. */
export function ruleMessage(translate: Translate, rule: string, apiMessage: string, field?: string): string {
  return translate(`rules.${rule}`, { field: field ?? '' }) ?? apiMessage;
}

export function problemToForm(problem: ProblemDocument, translate: Translate): FormProblems {
  const fields: Record<string, string[]> = {};
  for (const error of problem.errors ?? []) {
    const field = error.field === '' ? '_' : error.field;
    (fields[field] ??= []).push(ruleMessage(translate, error.rule, error.message, error.field));
  }
  const summary =
    (problem.rule ? translate(`rules.${problem.rule}`, { field: '' }) : undefined) ??
    translate(`status.${problem.status}`) ??
    problem.detail ??
    problem.title ??
    String(problem.status);
  // a domain refusal names no field but is about one form: show the API's detail beside the summary
  const withDetail =
    problem.errors === undefined && problem.detail && !summary.includes(problem.detail)
      ? `${summary} (${problem.detail})`
      : summary;
  return { fields, summary: withDetail };
}

/** The messages of a field and of its sub-fields (`lines` collects `lines.0.massKg` …). */
export function messagesFor(problems: FormProblems | undefined, field: string): string[] {
  if (!problems) return [];
  return Object.entries(problems.fields)
    .filter(([name]) => name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`))
    .flatMap(([, messages]) => messages);
}

/**
 * The problems once the user has edited `field`: its messages and its sub-fields' go (what they said is
 * about a value no longer there). When no field message is left of a refusal that named fields, the
 * whole refusal goes (its summary only said "see the marked fields"); a refusal that named no field (a
 * rule of the domain about the whole form) stays until the next submit.
 */
export function withoutField(problems: FormProblems | undefined, field: string): FormProblems | undefined {
  if (!problems) return undefined;
  const names = Object.keys(problems.fields);
  const kept = names.filter((name) => !(name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`)));
  if (kept.length === names.length) return problems;
  if (kept.length === 0) return undefined;
  return { summary: problems.summary, fields: Object.fromEntries(kept.map((name) => [name, problems.fields[name]])) };
}
