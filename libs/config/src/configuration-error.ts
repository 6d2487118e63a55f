/**
 * A setting of the environment that cannot work: the process refuses to start, saying which and why.
 * `problems` holds one line per bad setting (the message is those lines, or the one line when alone).
 */
export class ConfigurationError extends Error {
  readonly problems: readonly string[];

  constructor(message: string | readonly string[]) {
    const problems = typeof message === 'string' ? [message] : message;
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} settings cannot work:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}

/** Thrown by a setting's parser: the reason, one line, naming the variable. */
export class SettingRefused extends Error {
  override readonly name = 'SettingRefused';
}
