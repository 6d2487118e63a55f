import { StreamTurns } from './hot-stream-turns';

describe('StreamTurns', () => {
  it('gives the turns of one stream one after the other, in the order taken', async () => {
    const turns = new StreamTurns();
    const order: string[] = [];
    const worker = async (name: string): Promise<void> => {
      const release = await turns.take('hot');
      order.push(`${name} in`);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(`${name} out`);
      release();
    };
    await Promise.all([worker('a'), worker('b'), worker('c')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    expect(turns.size).toBe(0);
  });

  it('does not make other streams wait', async () => {
    const turns = new StreamTurns();
    const releaseHot = await turns.take('hot');
    const releaseOther = await turns.take('other');
    expect(turns.size).toBe(2);
    releaseOther();
    releaseHot();
    expect(turns.size).toBe(0);
  });
});
