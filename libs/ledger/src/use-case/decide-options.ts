import type { DecideOptions } from '@wasteflow/domain';

/** Injection token of the `DecideOptions` (the loaded hazardous waste catalogue, time policy, tolerance). */
export const DECIDE_OPTIONS = Symbol.for('wasteflow.DecideOptions');

export type { DecideOptions };
