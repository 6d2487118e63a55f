import { aHazardousBatch, aRegisteredReceiver, RECEIVER, traceCodeOf } from './testing';
import { streamOf } from './events/event-catalogue';
import { batchStream, manifestStream, parseStream, partyStream } from './streams';

describe('streams', () => {
  it('are named per aggregate', () => {
    expect(partyStream('91350100M000100Y43')).toBe('party-91350100M000100Y43');
    expect(batchStream('330106W25030300000001~')).toBe('batch-330106W25030300000001~');
    expect(manifestStream('20253301000001')).toBe('manifest-20253301000001');
    expect(parseStream('manifest-20253301000001')).toEqual({ kind: 'manifest', id: '20253301000001' });
    expect(parseStream('$all')).toBeUndefined();
  });

  it('every event names its stream', () => {
    const batch = aHazardousBatch();
    expect(streamOf(batch[0])).toBe(batchStream(traceCodeOf(batch)));
    expect(aRegisteredReceiver().map(streamOf)).toEqual([partyStream(RECEIVER), partyStream(RECEIVER)]);
  });
});
