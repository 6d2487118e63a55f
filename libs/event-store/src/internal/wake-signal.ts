/**
 * "Something may have been appended": a version counter plus waiters. A reader notes the version before it
 * reads; if an append lands while it reads, the version has moved on and its wait returns at once, so a
 * wake-up can never fall between the read and the wait.
 */
export class WakeSignal {
  private current = 0;
  private readonly waiters = new Set<() => void>();

  get version(): number {
    return this.current;
  }

  notify(): void {
    this.current += 1;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves `true` when notified after `since`, `false` on timeout or when `abort` fires first. */
  wait(since: number, timeoutMs: number, abort?: AbortSignal): Promise<boolean> {
    if (this.current !== since) return Promise.resolve(true);
    if (abort?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const finish = (woken: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(onWake);
        abort?.removeEventListener('abort', onAbort);
        resolve(woken);
      };
      const onWake = (): void => finish(true);
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(onWake);
      abort?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
