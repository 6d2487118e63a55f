import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDomainError, parseWorkdayCalendarCsv, type WorkingCalendar } from '@wasteflow/domain';

/**
 * Reference data the projections derive facts with (not events: versioned files of the repository, loaded
 * once at start and passed in, so evolve stays a pure function of the events and this data).
 *
 * - `calendar`: the official working-day calendar (`calendar/cn-workdays.csv`, or WASTEFLOW_WORKDAY_CALENDAR)
 *   that manifest deadlines are counted in. A new year's calendar changes deadlines derived before it was
 *   loaded: rebuild the read models after replacing the file (README "Configuration").
 */
export interface ReferenceData {
  readonly calendar: WorkingCalendar;
}

/** A setting of the reference data that cannot be used; the process does not start. */
export class ReferenceConfigurationError extends Error {
  override readonly name = 'ReferenceConfigurationError';
}

const BUNDLED_CALENDAR = join('calendar', 'cn-workdays.csv');

/**
 * The repository's calendar file, found from this module upwards (the same from the sources under ts-node
 * or jest and from dist/, and in the container, which copies `calendar/` beside `dist/`).
 */
export function bundledCalendarPath(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, BUNDLED_CALENDAR);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Reads and parses a calendar file; any problem is one ReferenceConfigurationError naming the file. */
export function loadWorkdayCalendarFile(path: string, setting = 'WASTEFLOW_WORKDAY_CALENDAR'): WorkingCalendar {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ReferenceConfigurationError(
      `${setting}=${path}: cannot read the working-day calendar (${(error as Error).message})`,
    );
  }
  try {
    return parseWorkdayCalendarCsv(text);
  } catch (error) {
    if (isDomainError(error))
      throw new ReferenceConfigurationError(`${setting}=${path}: not a usable calendar: ${error.message}`);
    throw error;
  }
}

/**
 * The reference data of this process: the file of WASTEFLOW_WORKDAY_CALENDAR (`workdayCalendar` of the
 * settings, libs/config) when set, else the bundled file (`loadReferenceData({})` in tests).
 */
export function loadReferenceData(settings: { readonly workdayCalendar?: string }): ReferenceData {
  const configured = settings.workdayCalendar?.trim();
  if (configured) return { calendar: loadWorkdayCalendarFile(configured) };
  const bundled = bundledCalendarPath();
  if (bundled === undefined)
    throw new ReferenceConfigurationError(
      `the bundled working-day calendar (${BUNDLED_CALENDAR}) is missing; set WASTEFLOW_WORKDAY_CALENDAR to a calendar file`,
    );
  return { calendar: loadWorkdayCalendarFile(bundled, 'bundled calendar') };
}
