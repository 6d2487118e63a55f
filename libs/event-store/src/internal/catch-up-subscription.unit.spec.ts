import { EventStoreClosed } from '../errors';
import type { ReadAllOptions, RecordedEvent } from '../event-store.port';
import { CatchUpSubscription } from './catch-up-subscription';
import { WakeSignal } from './wake-signal';

const event = (position: bigint): RecordedEvent => ({
  id: `e${position}`,
  stream: 's',
  revision: position - 1n,
  position,
  type: 'T',
  schemaVersion: 1,
  data: {},
  metadata: {},
  recordedAt: new Date(0),
});

describe('CatchUpSubscription', () => {
  it('ends cleanly when its next read meets a store closed before the stop arrived (a close() race)', async () => {
    const signal = new WakeSignal();
    let closed = false;
    const reads: (bigint | undefined)[] = [];
    const source = {
      signal,
      visibleHead: async () => 1n,
      readAll: async (options: ReadAllOptions) => {
        reads.push(options.after);
        // The store's own check: a read after close() throws, as every adapter's assertOpen() does.
        if (closed) throw new EventStoreClosed();
        return (options.after ?? 0n) < 1n ? [event(1n)] : [];
      },
    };
    const received: bigint[] = [];
    const subscription = new CatchUpSubscription(
      source,
      { onEvent: async (e) => void received.push(e.position) },
      {},
      { pageSize: 10, idleTimeoutMs: 60_000, visibilityLag: false },
    );
    while (received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    // The store closes; a wake-up (a poll timer, a notification) reaches the loop before its stop() does.
    closed = true;
    signal.notify();
    await expect(subscription.finished).resolves.toBeUndefined();
    expect(reads).toEqual([undefined, 1n]);
    expect(received).toEqual([1n]);
  });

  it('still fails on any other read error', async () => {
    const source = {
      signal: new WakeSignal(),
      visibleHead: async () => 0n,
      readAll: async () => {
        throw new Error('disk gone');
      },
    };
    const subscription = new CatchUpSubscription(
      source,
      { onEvent: async () => undefined },
      {},
      { pageSize: 10, idleTimeoutMs: 60_000, visibilityLag: false },
    );
    await expect(subscription.finished).rejects.toThrow('disk gone');
  });
});
