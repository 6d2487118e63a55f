import { InvalidOperationCode, NotATreatmentOperation } from '../errors';

/**
 * Operation codes (利用处置方式, 危险废物经营许可证): each treatment operation maps to one mode.
 * `collect` (收集) and `store` (贮存) are permit operations only; they are not treatments.
 */
export type TreatmentMode = 'utilisation' | 'landfill' | 'incineration' | 'other_disposal';
export const TREATMENT_MODES: readonly TreatmentMode[] = [
  'utilisation',
  'landfill',
  'incineration',
  'other_disposal',
];

export const TREATMENT_OPERATION_MODES = {
  R1: 'utilisation', // fuel / energy recovery
  R2: 'utilisation', // solvent recovery
  R3: 'utilisation', // organics recycling
  R4: 'utilisation', // metals
  R5: 'utilisation', // other inorganics
  R6: 'utilisation', // acids / bases regeneration
  R7: 'utilisation', // pollution-abatement agents
  R8: 'utilisation', // catalysts
  R9: 'utilisation', // used-oil re-refining
  R15: 'utilisation', // other utilisation
  C2: 'utilisation', // building materials
  C3: 'utilisation', // container cleaning
  D1: 'landfill',
  D9: 'other_disposal', // physico-chemical treatment
  D10: 'incineration',
  D16: 'other_disposal', // other disposal
  C1: 'other_disposal', // cement-kiln co-processing: disposal, not counted as incineration
  Y10: 'incineration', // medical: incineration
  Y11: 'other_disposal', // medical: steam
  Y12: 'other_disposal', // medical: chemical disinfection
  Y13: 'other_disposal', // medical: microwave
  Y16: 'other_disposal', // medical: other
} as const satisfies Readonly<Record<string, TreatmentMode>>;

export type TreatmentOperation = keyof typeof TREATMENT_OPERATION_MODES;
export type PermitOperation = TreatmentOperation | 'collect' | 'store';

export const TREATMENT_OPERATIONS = Object.keys(TREATMENT_OPERATION_MODES) as TreatmentOperation[];
export const PERMIT_OPERATIONS: readonly PermitOperation[] = [...TREATMENT_OPERATIONS, 'collect', 'store'];

export function isTreatmentOperation(value: string): value is TreatmentOperation {
  return Object.prototype.hasOwnProperty.call(TREATMENT_OPERATION_MODES, value);
}

export function isPermitOperation(value: string): value is PermitOperation {
  return value === 'collect' || value === 'store' || isTreatmentOperation(value);
}

export function modeOf(operation: TreatmentOperation): TreatmentMode {
  return TREATMENT_OPERATION_MODES[operation];
}

/** Utilisation (利用) or disposal (处置): WasteUtilised or WasteDisposed. */
export function isUtilisation(operation: TreatmentOperation): boolean {
  return modeOf(operation) === 'utilisation';
}

/** Operation codes are case-insensitive on input (`r9` → `R9`; `collect` and `store` in lower case). */
export function parsePermitOperation(value: unknown, field = 'operation'): PermitOperation {
  if (typeof value !== 'string') throw new InvalidOperationCode(field, null);
  const v = value.trim();
  const lower = v.toLowerCase();
  if (lower === 'collect' || lower === 'store') return lower;
  const upper = v.toUpperCase();
  if (isTreatmentOperation(upper)) return upper;
  throw new InvalidOperationCode(field, value);
}

export function parseTreatmentOperation(value: unknown, field = 'operation'): TreatmentOperation {
  const op = parsePermitOperation(value, field);
  if (op === 'collect' || op === 'store') throw new NotATreatmentOperation(field, op);
  return op;
}

/** Canonical order of permit operations (the order of PERMIT_OPERATIONS). */
export function comparePermitOperations(a: PermitOperation, b: PermitOperation): number {
  return PERMIT_OPERATIONS.indexOf(a) - PERMIT_OPERATIONS.indexOf(b);
}
