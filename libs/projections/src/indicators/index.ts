export {
  INDICATORS_PROJECTION,
  IndicatorTables1764700000000,
  activityMonthOf,
  indicatorFacts,
  indicatorRollup,
  indicatorsProjection,
} from './indicators.projection';
export {
  IndicatorsQuery,
  type IndicatorGrams,
  type IndicatorsAnswer,
  type IndicatorsRequest,
  type TargetAnswer,
} from './indicators.query';
export { TargetsConfigurationError, loadIndicatorTargets, parseIndicatorTargets } from './targets';
export {
  MAX_PAGE_SIZE as MAX_READ_MODEL_PAGE_SIZE,
  SnapshotReader,
  type Paging,
  type ReadScope,
} from './query-support';
