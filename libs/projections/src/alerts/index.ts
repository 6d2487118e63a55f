export { AlertLifecycleTable1764700000270, alertLifecycles } from './alert-lifecycle';
export {
  ALERTS_PROJECTION,
  ALERT_KINDS,
  AlertTables1764700000200,
  AlertManifestPaper1764700000216,
  alertBatches,
  alertManifests,
  alertParties,
  alerts,
  type AlertKind,
} from './alerts.tables';
export { createAlertsProjection } from './alerts.projection';
export {
  AlertsQuery,
  type AlertAcknowledgementView,
  type AlertClosureView,
  type AlertHistoryStep,
  type AlertWithHistory,
  type AlertParty,
  type AlertStatus,
  type AlertView,
  type AlertsAnswer,
  type AlertsRequest,
} from './alerts.query';
