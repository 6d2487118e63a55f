/**
 * The one source of "now" for a process: the command side stamps `recordedAt` with it and the read side
 * decides overdue alerts with it. Tests substitute a controllable clock.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol.for('wasteflow.Clock');

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}
