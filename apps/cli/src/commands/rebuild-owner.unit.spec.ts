import { hostname } from 'node:os';
import { parseOwner } from '@wasteflow/projections';
import { rebuildOwner } from './rebuild.command';

describe('the lease owner id of a CLI rebuild', () => {
  it('names its host and pid, so a successor can see that a killed rebuild is gone (before: cli-rebuild:<pid>, unparsed)', () => {
    expect(parseOwner(rebuildOwner())).toEqual({ host: hostname(), pid: process.pid });
    expect(rebuildOwner()).toMatch(/:cli-rebuild$/);
  });
});
