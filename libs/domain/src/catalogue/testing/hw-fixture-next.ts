import { HW_FIXTURE_CSV } from './hw-fixture';

/**
 * A small fixture of a later edition (ADR 0019), in force from 2025-03-04 (CST), the day after the
 * builders' day: the fixture 2021 rows less `900-405-06` (a code the new edition removes) plus
 * `900-999-08` (a code only the new edition lists). Made up for tests: no real edition is quoted here.
 */
export const HW_FIXTURE_NEXT_EDITION = 'next-fixture';
export const HW_FIXTURE_NEXT_IN_FORCE_FROM = '2025-03-04';
/** Listed only in the next edition. */
export const CODE_ONLY_IN_NEXT = '900-999-08';
/** Listed in the 2021 fixture, removed in the next edition. */
export const CODE_REMOVED_IN_NEXT = '900-405-06';

export const HW_FIXTURE_NEXT_CSV = `${HW_FIXTURE_CSV.split('\n')
  .filter((line) => !line.startsWith(`${CODE_REMOVED_IN_NEXT},`))
  .join('\n')
  .trimEnd()}\n${CODE_ONLY_IN_NEXT},HW08,"T,I",新版名录的测试用废矿物油（夹具）\n`;
