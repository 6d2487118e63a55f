import { GroupCommitMode } from './group-commit-mode';

describe('GroupCommitMode', () => {
  const { LONE_GROUPS, IMMEDIATE_APPENDS } = GroupCommitMode;

  it('waits for the end of the turn until it has seen LONE_GROUPS groups of one in a row', () => {
    const mode = new GroupCommitMode();
    for (let i = 0; i < LONE_GROUPS - 1; i += 1) {
      expect(mode.goAtOnce()).toBe(false);
      mode.grouped(1);
    }
    expect(mode.goAtOnce()).toBe(false);
    mode.grouped(1);
    expect(mode.goAtOnce()).toBe(true);
  });

  it('lets IMMEDIATE_APPENDS appends go at once, then waits and looks again', () => {
    const mode = new GroupCommitMode();
    for (let i = 0; i < LONE_GROUPS; i += 1) mode.grouped(1);
    for (let i = 0; i < IMMEDIATE_APPENDS; i += 1) expect(mode.goAtOnce()).toBe(true);
    expect(mode.goAtOnce()).toBe(false);
  });

  it('keeps waiting while groups hold more than one append', () => {
    const mode = new GroupCommitMode();
    for (let round = 0; round < 10 * LONE_GROUPS; round += 1) {
      mode.grouped(round % LONE_GROUPS === LONE_GROUPS - 1 ? 2 : 1);
      expect(mode.goAtOnce()).toBe(false);
    }
  });
});

describe('GroupCommitMode with appends on their way', () => {
  it('waits again as soon as an append arrives while another is on its way', () => {
    const mode = new GroupCommitMode();
    for (let i = 0; i < GroupCommitMode.LONE_GROUPS; i += 1) mode.grouped(1);
    expect(mode.goAtOnce(false)).toBe(true);
    expect(mode.goAtOnce(true)).toBe(false);
    expect(mode.goAtOnce(false)).toBe(false);
  });
});
