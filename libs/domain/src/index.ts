/**
 * @wasteflow/domain — pure: no framework, no I/O, no clock. See libs/domain/README.md.
 * Test helpers (given/when/then, fixed builders) live in the separate entry `@wasteflow/domain/testing`.
 */
export * from './errors';
export { assertNever } from './util';
export * from './decide-options';
export * from './streams';

// values
export * from './values/mass';
export * from './values/uscc';
export * from './values/district';
export * from './values/crockford';
export * from './values/check-character';
export * from './values/trace-code';
export * from './values/manifest-number';
export * from './values/vehicle-plate';
export * from './values/operation';
export * from './values/category';
export * from './values/role';
export * from './values/time';
export * from './values/text';
export * from './values/person';

// catalogue, origin accounting
export * from './catalogue/hw-catalogue';
export * from './catalogue/hw-editions';
export * from './calendar/working-calendar';
export * from './origin/composition';

// events: the catalogue (one entry per event type) and what is derived from it
export * from './events/envelope';
export * from './events/domain-event';
export * from './events/event-catalogue';
export * from './events/decode-event';
export type { Shape, Problem } from './events/shape';

// party
export * from './party/party.events';
export * from './party/party.state';
export * from './party/permit';
export * from './party/register-party.decide';
export * from './party/grant-permit.decide';
export * from './party/revoke-permit.decide';
export * from './party/register-facility.decide';
export * from './party/facility';
export * from './party/jurisdiction';
export * from './party/permit-capacity';

// batch
export * from './batch/batch.events';
export * from './batch/generation-facts';
export * from './batch/batch.state';
export * from './batch/batch.rules';
export * from './batch/generate-waste.decide';
export * from './batch/split-batch.decide';
export * from './batch/consolidate-batches.decide';
export * from './batch/treat-waste.decide';
export * from './batch/request-mass-correction.decide';
export * from './batch/decide-mass-correction.decide';
export * from './batch/correction.rules';
export * from './batch/correction.events';

// manifest
export * from './manifest/manifest.events';
export * from './manifest/manifest.state';
export * from './manifest/manifest.rules';
export * from './manifest/issue-manifest.decide';
export * from './manifest/manifest-number-scope';
export * from './manifest/pick-up-manifest.decide';
export * from './manifest/hand-over-manifest.decide';
export * from './manifest/trip-crew';
export * from './manifest/receive-manifest.decide';
export * from './manifest/cancel-manifest.decide';
export * from './manifest/custody-events';

// alert lifecycle (the alerts themselves are derived: alerts/alerts.ts and the alerts projection)
export * from './alert/alert.events';
export * from './alert/alert.state';
export * from './alert/alert-lifecycle.decide';

// cross-province transfer approvals (跨省转移审批)
export * from './transfer/transfer-approval.events';
export * from './transfer/transfer-approval.state';
export * from './transfer/grant-transfer-approval.decide';
export * from './transfer/transfer-approval.rules';

// folding streams: the aggregates by kind, one step at a time, and stream consistency
export type { Folded } from './fold';
export * from './aggregates';
export * from './consistency';

// derived facts and indicators
export * from './alerts/alerts';
export * from './indicators/indicators';
