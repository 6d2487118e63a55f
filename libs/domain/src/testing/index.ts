/** Test helpers for the domain (and for tests of the layers above): not part of the main entry. */
export * from './harness';
export * from './world';
export * from './fixtures';
export * from './given-events';
export { HW_FIXTURE_CSV, HW_FIXTURE_EDITION } from '../catalogue/testing/hw-fixture';
export * from '../catalogue/testing/hw-fixture-next';
export * from './scenario';
export * from './movements';
export * from './party-deciders';
