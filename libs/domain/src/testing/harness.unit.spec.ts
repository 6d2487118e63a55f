import { BatchNotFound, NotCustodian } from '../errors';
import { evolveBatch, initialBatchState } from '../batch/batch.state';
import { decideSplitBatch } from '../batch/split-batch.decide';
import { aHazardousBatch, canonicalJson, deciderSpec, splitCommand, traceCodeOf, RECEIVER } from './index';

describe('the given/when/then harness', () => {
  const { given } = deciderSpec({
    decide: decideSplitBatch,
    evolve: evolveBatch,
    initialState: initialBatchState,
  });
  const batch = aHazardousBatch();
  const code = traceCodeOf(batch);

  it('reports a difference with both sides', () => {
    expect(() => given(batch).when(splitCommand(code)).then([])).toThrow(/events differ/);
  });

  it('reports a wrong or missing error, and mismatched details', () => {
    expect(() => given(batch).when(splitCommand(code)).thenThrows(BatchNotFound)).toThrow(/succeeded/);
    expect(() => given([]).when(splitCommand(code)).thenThrows(BatchNotFound)).toThrow(
      /expected BatchNotFound but got NotCustodian/,
    );
    expect(() =>
      given(batch)
        .when(splitCommand(code, { actorUscc: RECEIVER }))
        .thenThrows(NotCustodian, { actorUscc: 'someone' }),
    ).toThrow(/details.actorUscc/);
  });

  it('compares canonical JSON (key order does not matter)', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
