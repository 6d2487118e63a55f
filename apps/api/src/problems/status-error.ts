/**
 * An api refusal that carries its own status and rule (the problem filter's `StatusError`), declared as
 * the domain declares its errors: `class ImportNotFound extends statusError(404, 'import-not-found',
 * (id: string) => [`no import ${id}`, { importId: id }]) {}` — the message and the details it names.
 */
export function statusError<A extends unknown[]>(
  status: number,
  rule: string,
  describe: (...args: A) => readonly [message: string, details?: Record<string, unknown>],
) {
  return class StatusError extends Error {
    readonly status = status;
    readonly rule = rule;
    readonly details?: Record<string, unknown>;
    constructor(...args: A) {
      const [message, details] = describe(...args);
      super(message);
      this.name = new.target.name;
      if (details !== undefined) this.details = details;
    }
  };
}
