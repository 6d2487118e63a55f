/**
 * Group commit (both adapters): whether an append waits for the end of the turn of the event loop, to be
 * committed with the others made during it, or goes at once. Waiting is what lets concurrent appends share
 * a commit, but a lone appender pays for every wait (a turn of the event loop, and on a busy machine a
 * scheduling point; measured in docs/performance.md, "What was changed"). So appends wait until
 * LONE_GROUPS turns in a row each had a single one; then they go at once, until
 *  - an append arrives while another is on its way (PostgreSQL sees that; an SQLite commit is synchronous,
 *    so nothing is ever on its way there): appends wait again from this one on;
 *  - or IMMEDIATE_APPENDS appends went at once: they wait again, to look (SQLite's only way to notice
 *    concurrent appenders that started meanwhile; they go one by one until then).
 * Timing only: every append's outcome is the same either way.
 * (Kept here, free of any driver, so the PostgreSQL adapter shares it.)
 */
export class GroupCommitMode {
  static readonly LONE_GROUPS = 16;
  static readonly IMMEDIATE_APPENDS = 256;
  private lone = 0;
  private immediate = 0;

  /**
   * Whether the next append, with none waiting for the end of the turn, goes at once. `othersOnTheirWay`:
   * appends sent and not answered yet.
   */
  goAtOnce(othersOnTheirWay = false): boolean {
    if (othersOnTheirWay) this.immediate = 0;
    if (this.immediate === 0) return false;
    this.immediate -= 1;
    return true;
  }

  /** Records how many appends waited for the end of a turn together. */
  grouped(size: number): void {
    this.lone = size === 1 ? this.lone + 1 : 0;
    if (this.lone >= GroupCommitMode.LONE_GROUPS) {
      this.lone = 0;
      this.immediate = GroupCommitMode.IMMEDIATE_APPENDS;
    }
  }
}
