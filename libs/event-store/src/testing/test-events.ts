import type { EventToAppend, JsonObject, StreamWrite } from '../event-store.port';

/**
 * Deterministic test data: ids, streams and payloads come from a counter inside a namespace, so a run is
 * reproducible and runs against a shared server (KurrentDB keeps everything) do not collide.
 */
export class TestEvents {
  private counter = 0;

  constructor(readonly namespace: string) {}

  /** A stream name inside the namespace; `system: true` gives one whose name starts with `$`. */
  stream(name: string, options: { system?: boolean } = {}): string {
    return `${options.system ? '$' : ''}${this.namespace}-${name}`;
  }

  event(overrides: Partial<EventToAppend> = {}): EventToAppend {
    this.counter += 1;
    const n = this.counter;
    return {
      id: `${this.namespace}-event-${n}`,
      type: 'TestEventHappened',
      schemaVersion: 1,
      data: { n, label: `event ${n}` },
      metadata: { source: 'contract', n },
      ...overrides,
    };
  }

  events(count: number, overrides: Partial<EventToAppend> = {}): EventToAppend[] {
    return Array.from({ length: count }, () => this.event(overrides));
  }

  write(stream: string, expected: StreamWrite['expected'], count = 1): StreamWrite {
    return { stream, expected, events: this.events(count) };
  }
}

/** Payload exercising what JSON can carry: nesting, unicode, number forms, null, empty containers. */
export const RICH_DATA: JsonObject = {
  massKg: 1234.567,
  grams: 1234567,
  negative: -42,
  tiny: 1e-7,
  largeSafe: Number.MAX_SAFE_INTEGER,
  zero: 0,
  flag: true,
  off: false,
  nothing: null,
  text: '无废城市 · 浙固码 — zero-waste ✓ 🚛♻️',
  escapes: 'quote " backslash \\ newline \n tab \t nul-free',
  nested: { level: { deeper: { list: [1, 'two', { three: 3 }, [4, [5]], null] } } },
  emptyObject: {},
  emptyList: [],
  codes: ['HW08', '900-041-49', 'R4', 'D10'],
};

export const RICH_METADATA: JsonObject = {
  correlationId: 'corr-0001',
  causationId: null,
  actor: { uscc: '91330106MA2XXXXX0X', roles: ['generator', 'carrier'] },
  hash: 'c0ffee',
  note: 'ünïcödé 元数据',
  version: 3.5,
};
