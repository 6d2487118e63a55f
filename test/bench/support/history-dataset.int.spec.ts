import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cachedHistory, cachedHistoryDefect } from './history-dataset';

/** The bench's history cache refuses a file that is not the history its .json describes. */
describe('the bench history cache', () => {
  const EVENTS = 1500;
  let directory: string;
  const said: string[] = [];
  const log = (message: string) => said.push(message);

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'wasteflow-history-cache-'));
    said.length = 0;
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const factsOf = (file: string) => JSON.parse(readFileSync(file.replace(/\.sqlite$/, '.json'), 'utf8'));

  it('reuses a complete file and describes it in the .json beside it', async () => {
    const generated = await cachedHistory(EVENTS, log, directory);
    expect(generated.generatedSeconds).toBeGreaterThan(0);
    expect(generated.head).toBe(BigInt(generated.facts.events));
    expect(factsOf(generated.file).log).toEqual({
      events: generated.facts.events,
      head: String(generated.head),
      lastEventId: expect.any(String),
    });
    expect(cachedHistoryDefect(generated.file, factsOf(generated.file))).toBeUndefined();

    const reused = await cachedHistory(EVENTS, log, directory);
    expect(reused.generatedSeconds).toBe(0);
    expect(reused.file).toBe(generated.file);
    expect(reused.facts).toEqual(generated.facts);
    expect(said.filter((m) => m.includes('generating a history'))).toHaveLength(1);
  });

  it('generates again a file cut short, and says why', async () => {
    const generated = await cachedHistory(EVENTS, log, directory);
    const db = new Database(generated.file);
    db.prepare('DELETE FROM event_log WHERE position > ?').run(generated.facts.events - 10);
    db.close();
    expect(cachedHistoryDefect(generated.file, factsOf(generated.file))).toBe(
      `${generated.facts.events - 10} events stored, ${generated.facts.events} generated`,
    );

    const again = await cachedHistory(EVENTS, log, directory);
    expect(again.generatedSeconds).toBeGreaterThan(0);
    expect(said.some((m) => m.includes('is not the one its .json describes') && m.includes('events stored'))).toBe(true);
    expect(cachedHistoryDefect(again.file, factsOf(again.file))).toBeUndefined();
  });

  it('refuses a file whose last event or checkpoint is not the generated one', async () => {
    const generated = await cachedHistory(EVENTS, log, directory);
    const facts = factsOf(generated.file);
    expect(cachedHistoryDefect(generated.file, { ...facts, log: { ...facts.log, lastEventId: 'another' } })).toMatch(
      /^head \d+ \(event .+\), generated head \d+ \(event another\)$/,
    );
    expect(cachedHistoryDefect(generated.file, { ...facts, version: facts.version - 1 })).toMatch(/^generator version/);
    const db = new Database(generated.file);
    db.prepare('DELETE FROM checkpoints').run();
    db.close();
    expect(cachedHistoryDefect(generated.file, facts)).toBe(`the manifest-custody checkpoint at none, head ${generated.head}`);
  });

  it('refuses to generate while another live process holds the lock, and takes over a dead one’s', async () => {
    const { file } = await cachedHistory(EVENTS, log, directory);
    const lock = file.replace(/\.sqlite$/, '.lock');
    rmSync(file.replace(/\.sqlite$/, '.json'));
    writeFileSync(lock, `${process.ppid}\n`);
    await expect(cachedHistory(EVENTS, log, directory)).rejects.toThrow(
      /is generating this history in the same cache .*concurrent benches need a WASTEFLOW_BENCH_CACHE each/,
    );
    // no process has pid 2^22 + 1 (Linux's pid_max is at most 2^22)
    writeFileSync(lock, `${2 ** 22 + 1}\n`);
    const again = await cachedHistory(EVENTS, log, directory);
    expect(again.generatedSeconds).toBeGreaterThan(0);
    expect(() => readFileSync(lock)).toThrow();
  });
});
