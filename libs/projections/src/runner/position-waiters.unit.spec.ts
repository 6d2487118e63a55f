import { PositionWaiters } from './position-waiters';
import { ProgressBook } from './progress-book';

function waiters(book: ProgressBook, poll = { leader: true, refresh: async () => undefined }) {
  return new PositionWaiters({
    state: (position, names) => {
      if (book.reached(position, names)) return { state: 'reached' };
      const failed = book.firstFailed(names);
      return failed ? { state: 'failed', failed } : { state: 'pending' };
    },
    refresh: poll.refresh,
    shouldPoll: () => !poll.leader,
    pollMs: 5,
    warn: () => undefined,
  });
}

const failure = { position: 7n, eventType: 'X', eventId: 'e7', phase: 'evolve' as const, message: 'bug', at: new Date(0) };

describe('PositionWaiters', () => {
  it('answers at once when reached, on notify after a commit, and false after the timeout', async () => {
    const book = new ProgressBook(['a', 'b']);
    const w = waiters(book);
    expect(await w.wait(0n, 0)).toEqual({ reached: true });
    expect(await w.wait(5n, 10)).toEqual({ reached: false });
    const pending = w.wait(5n, 5_000, ['a']);
    book.advance('a', 5n);
    w.notify();
    expect(await pending).toEqual({ reached: true });
    expect(w.size).toBe(0);
  });

  it('ends a wait for a stopped projection at once, and a wait for a healthy one is unaffected', async () => {
    const book = new ProgressBook(['a', 'b']);
    const w = waiters(book);
    const forA = w.wait(5n, 5_000, ['a']);
    const forB = w.wait(5n, 5_000, ['b']);
    book.fail('a', failure);
    book.advance('b', 9n);
    w.notify();
    expect(await forA).toEqual({ reached: false, failed: 'a' });
    expect(await forB).toEqual({ reached: true });
    expect(await w.wait(5n, 5_000)).toEqual({ reached: false, failed: 'a' });
  });

  it('polls the table while another process projects, and close() ends every wait', async () => {
    const book = new ProgressBook(['a']);
    let reads = 0;
    const w = waiters(book, {
      leader: false,
      refresh: async () => {
        reads += 1;
        if (reads === 3) book.advance('a', 2n);
      },
    });
    expect(await w.wait(2n, 5_000)).toEqual({ reached: true });
    expect(reads).toBe(3);
    const pending = w.wait(3n, 5_000);
    w.close();
    expect(await pending).toEqual({ reached: false });
  });
});

describe('ProgressBook', () => {
  it('keeps each projection apart: the lowest checkpoint is that of the healthy ones', () => {
    const book = new ProgressBook(['a', 'b', 'c']);
    book.advance('a', 10n);
    book.advance('b', 4n);
    book.advance('c', 8n);
    expect(book.lowest()).toBe(4n);
    book.fail('b', failure);
    expect(book.lowest()).toBe(8n);
    expect(book.lowest(true)).toBe(4n);
    expect(book.firstFailed()).toBe('b');
    expect(book.firstFailed(['a', 'c'])).toBeUndefined();
    book.clearFailure('b');
    expect(book.isFailed('b')).toBe(false);
    book.load(new Map([['a', { position: 3n, generation: 2, version: 1 }]]));
    expect(book.checkpoints()).toEqual(new Map([['a', 3n], ['b', 0n], ['c', 0n]]));
    expect(book.get('a').generation).toBe(2);
  });
});
