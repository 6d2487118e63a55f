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
export { MAX_PAGE_SIZE as MAX_READ_MODEL_PAGE_SIZE, type Paging, type ReadScope } from '../query/read-scope';
export { ReadModelReader, type SnapshotStatement, type SqlRow } from '../query/read-model-reader';
