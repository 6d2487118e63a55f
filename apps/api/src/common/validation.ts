import { applyDecorators, type Type } from '@nestjs/common';
import { Type as ItemType } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  buildMessage,
  IsArray,
  IsOptional,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  Mass,
  parseCalendarDate,
  parseDistrictCode,
  parseHwCategory,
  parseManifestNumber,
  parseInstant,
  parsePermitOperation,
  parseRandomPart,
  parseRegion,
  parseTraceCode,
  parseTreatmentOperation,
  parseUscc,
  parseVehiclePlate,
  parseTransferApprovalNo,
  parsePhone,
  PHONE_RULE,
  validateWasteCode,
  isCalendarDate,
  parseOptionalText,
  parseText,
  parseCorrectionRequestId,
  TEXT_BOUNDS,
} from '@wasteflow/domain';

/**
 * Validators of the edge, each backed by the domain's own parser: a value refused here would be refused
 * inside too (every value object is validated twice: here with field-level detail, then by the domain).
 */
function domainValue(
  name: string,
  check: (value: unknown) => unknown,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown): boolean => {
          try {
            check(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: buildMessage((each) => `${each}$property ${message}`, options),
      },
    },
    options,
  );
}

export const IsUscc = (options?: ValidationOptions) =>
  domainValue(
    'isUscc',
    (v) => parseUscc(v),
    'must be a USCC: 18 characters with a valid GB 32100-2015 check character',
    options,
  );

/** A phone number (digits, +, -, spaces, parentheses; 3 to 32 characters): the domain's `parsePhone`. */
export const IsPhone = (options?: ValidationOptions) =>
  domainValue('phone', (v) => parsePhone(v, 'phone'), `must be ${PHONE_RULE}`, options);

export const IsTraceCode = (options?: ValidationOptions) =>
  domainValue(
    'isTraceCode',
    (v) => parseTraceCode(v),
    'must be a trace code with a valid check character',
    options,
  );

export const IsDistrictCode = (options?: ValidationOptions) =>
  domainValue(
    'isDistrictCode',
    (v) => parseDistrictCode(v),
    'must be a 6-digit administrative division code',
    options,
  );

export const IsRegion = (options?: ValidationOptions) =>
  domainValue('isRegion', (v) => parseRegion(v), 'must be a region code of 2, 4 or 6 digits', options);

export const IsIsoInstant = (options?: ValidationOptions) =>
  domainValue(
    'isIsoInstant',
    (v) => parseInstant(v, 'time'),
    'must be an ISO 8601 time with an offset, e.g. 2026-03-02T09:30:00+08:00',
    options,
  );

export const IsPermitDate = (options?: ValidationOptions) =>
  domainValue(
    'isPermitDate',
    (v) =>
      typeof v === 'string' && isCalendarDate(v) ? parseCalendarDate(v, 'date') : parseInstant(v, 'date'),
    'must be a date YYYY-MM-DD or an ISO 8601 time with an offset',
    options,
  );

export const IsTransferApprovalNo = (options?: ValidationOptions) =>
  domainValue(
    'isTransferApprovalNo',
    (v) => parseTransferApprovalNo(v),
    'must be an approval number of 1–64 letters, digits, CJK characters and - _ . ( ) 〔 〕 （ ） [ ] 【 】',
    options,
  );

export const IsVehiclePlate = (options?: ValidationOptions) =>
  domainValue(
    'isVehiclePlate',
    (v) => parseVehiclePlate(v),
    'must be a Chinese vehicle plate, e.g. 浙A12345',
    options,
  );

export const IsWasteCode = (options?: ValidationOptions) =>
  domainValue(
    'isWasteCode',
    (v) => validateWasteCode(v),
    'must be a hazardous waste code NNN-NNN-NN of an existing HW category',
    options,
  );

export const IsHwCategory = (options?: ValidationOptions) =>
  domainValue(
    'isHwCategory',
    (v) => parseHwCategory(v),
    'must be an HW category (HW01–HW40, HW45–HW50)',
    options,
  );

export const IsPermitOperation = (options?: ValidationOptions) =>
  domainValue(
    'isPermitOperation',
    (v) => parsePermitOperation(v),
    'must be an operation code (R1–R9, R15, C1–C3, D1, D9, D10, D16, Y10–Y16) or collect / store',
    options,
  );

export const IsTreatmentOperation = (options?: ValidationOptions) =>
  domainValue(
    'isTreatmentOperation',
    (v) => parseTreatmentOperation(v),
    'must be a utilisation or disposal code (R1–R9, R15, C1–C3, D1, D9, D10, D16, Y10–Y16)',
    options,
  );

export const IsRandomPart = (options?: ValidationOptions) =>
  domainValue('isRandomPart', (v) => parseRandomPart(v), 'must be 8 Crockford base32 symbols', options);

/** A mass in kilograms: a JSON number, at most 3 decimals, positive (or ≥ 0 with allowZero), at most 10^9. */
export const IsMassKg = (massOptions: { allowZero?: boolean } = {}, options?: ValidationOptions) =>
  domainValue(
    massOptions.allowZero ? 'isMassKgOrZero' : 'isMassKg',
    (v) => {
      if (typeof v !== 'number') throw new TypeError('not a number');
      return Mass.fromKg(v, 'massKg', { allowZero: massOptions.allowZero });
    },
    massOptions.allowZero
      ? 'must be a number of kilograms ≥ 0 with at most 3 decimals (at most 10^9)'
      : 'must be a number of kilograms > 0 with at most 3 decimals (at most 10^9)',
    options,
  );

/** A signed, non-zero mass correction in kilograms (at most 3 decimals). */
export const IsMassDeltaKg = (options?: ValidationOptions) =>
  domainValue(
    'isMassDeltaKg',
    (v) => {
      if (typeof v !== 'number' || v === 0) throw new TypeError('not a non-zero number');
      return Mass.fromKg(Math.abs(v), 'deltaKg');
    },
    'must be a non-zero number of kilograms with at most 3 decimals (negative to remove mass)',
    options,
  );

/** A correction request id, `cr-<n>` (ADR 0018). */
export const IsCorrectionRequestId = (options?: ValidationOptions) =>
  domainValue(
    'isCorrectionRequestId',
    (v) => parseCorrectionRequestId(v),
    'must be a correction request id cr-<n>',
    options,
  );

export const IsManifestNo = (options?: ValidationOptions) =>
  domainValue(
    'isManifestNo',
    (v) => parseManifestNumber(v),
    'must be a manifest number of 14 digits (year, province, city, serial)',
    options,
  );

/**
 * Free text (names, reasons, descriptions, labels, identifiers given as text): the domain's one text rule
 * (values/text.ts) — a string, no NUL, no control character but tab and newline, no unpaired surrogate,
 * non-empty, at most `max` characters — refused as `invalid-text` naming the field. Every DTO's free-text
 * field uses this and nothing else, so no route can forget a case (the domain applies the same rule again
 * and normalises to NFC). With `@IsOptional()` for an optional field.
 */
export const IsFreeText = (max: number = TEXT_BOUNDS.text, options?: ValidationOptions): PropertyDecorator =>
  freeText(max, false, options);

/** An optional free text: absent, null and '' mean none (as in the domain); anything else as IsFreeText. */
export const IsOptionalFreeText = (max: number = TEXT_BOUNDS.text, options?: ValidationOptions) =>
  applyDecorators(IsOptional(options), freeText(max, true, options));

function freeText(max: number, optional: boolean, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'invalid-text',
      constraints: [max],
      validator: {
        validate: (value: unknown): boolean => {
          try {
            if (optional) parseOptionalText(value, 'text', { max });
            else parseText(value, 'text', { max });
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: buildMessage((each) => {
          return `${each}$property must be a non-empty text of at most ${max} characters, without NUL, control characters (tab and newline allowed) or unpaired surrogates`;
        }, options),
      },
    },
    options,
  );
}

/**
 * A JSON array of `min` (default none) to `max` items, each passing `each` (rules given `{ each: true }`).
 * The rules register in the order stacked decorators (`@IsArray() @ArrayMinSize … @ArrayMaxSize … @rule`)
 * did, innermost first, so a refusal lists its rules in the same order.
 */
export const IsList = (
  bounds: { readonly min?: number; readonly max: number },
  ...each: PropertyDecorator[]
) =>
  applyDecorators(
    ...[...each].reverse(),
    ArrayMaxSize(bounds.max),
    ...(bounds.min === undefined ? [] : [ArrayMinSize(bounds.min)]),
    IsArray(),
  );

/** A JSON array of objects, each read as `item` and validated as it declares (IsList's bounds). */
export const IsListOf = (item: Type, bounds: { readonly min?: number; readonly max: number }) =>
  IsList(
    bounds,
    ValidateNested({ each: true }),
    ItemType(() => item),
  );
