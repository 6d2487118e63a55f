/** Where a wait stands: reached, not yet, or never (a projection it waits for stopped alone). */
export type WaitState = 'reached' | 'pending' | 'failed';

export interface WaitOutcome {
  readonly reached: boolean;
  /** The awaited projection that stopped alone, when that is why the wait ended. */
  readonly failed?: string;
}

interface Waiter {
  readonly position: bigint;
  readonly projections?: readonly string[];
  readonly settle: (outcome: WaitOutcome) => void;
}

export interface PositionWaitersOptions {
  /** Where a position stands for the named projections (all when undefined). */
  readonly state: (position: bigint, projections?: readonly string[]) => { state: WaitState; failed?: string };
  /** Reads the checkpoints again (another process projects); called every `pollMs` while someone waits. */
  readonly refresh: () => Promise<void>;
  /** False while this process writes the checkpoints itself: its commits notify, no polling. */
  readonly shouldPoll: () => boolean;
  readonly pollMs: number;
  readonly warn: (message: string) => void;
}

/**
 * Waiting for a position: read-your-writes. Resolved by `notify()` after our own commits, or by polling the
 * checkpoint table while another process projects; a wait for a projection that stopped alone ends at once.
 */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: PositionWaitersOptions) {}

  get size(): number {
    return this.waiters.size;
  }

  wait(position: bigint, timeoutMs: number, projections?: readonly string[]): Promise<WaitOutcome> {
    const now = this.options.state(position, projections);
    if (now.state === 'reached') return Promise.resolve({ reached: true });
    if (now.state === 'failed') return Promise.resolve({ reached: false, failed: now.failed });
    if (timeoutMs <= 0 || this.closed) return Promise.resolve({ reached: false });
    return new Promise<WaitOutcome>((resolve) => {
      const timer = setTimeout(() => waiter.settle({ reached: false }), timeoutMs);
      const waiter: Waiter = {
        position,
        projections,
        settle: (outcome) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(outcome);
        },
      };
      this.waiters.add(waiter);
      this.schedulePoll();
    });
  }

  /** Settles the waits whose position is now reached, or whose projection has stopped. */
  notify(): void {
    for (const waiter of [...this.waiters]) {
      const now = this.options.state(waiter.position, waiter.projections);
      if (now.state === 'reached') waiter.settle({ reached: true });
      else if (now.state === 'failed') waiter.settle({ reached: false, failed: now.failed });
    }
  }

  schedulePoll(): void {
    if (this.timer || this.closed || this.waiters.size === 0 || !this.options.shouldPoll()) return;
    this.timer = setTimeout(() => {
      void (async () => {
        try {
          await this.options.refresh();
        } catch (error) {
          this.options.warn(
            `Could not read the projection checkpoints: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        this.timer = undefined;
        this.notify();
        this.schedulePoll();
      })();
    }, this.options.pollMs);
  }

  /** Every pending wait answers "not reached"; no more polling. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of [...this.waiters]) waiter.settle({ reached: false });
  }
}
