import { domainError } from '../domain-error';

/** Errors of the working-day calendar (working-calendar.ts). */

/** A calendar file that cannot be read: a configuration fault (the operator's, never a client's). */
export class InvalidWorkdayCalendar extends domainError(
  'fault',
  'invalid-workday-calendar',
  (reason: string, line?: number) => [
    `working-day calendar${line === undefined ? '' : ` line ${line}`}: ${reason}`,
    { reason, line },
  ],
) {}
