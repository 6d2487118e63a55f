import { Injectable, type PipeTransform, type Type } from '@nestjs/common';
import {
  parseAlertId,
  parseCorrectionRequestId,
  parseManifestNumber,
  parseText,
  parseTraceCode,
  parseTransferApprovalNo,
  parseUscc,
  TEXT_BOUNDS,
} from '@wasteflow/domain';
import { EXAMPLE } from './examples';
import { IsCorrectionRequestId, IsFreeText, IsManifestNo, IsTraceCode, IsUscc } from './validation';

/**
 * A path parameter's pipe: the domain's parser gives its canonical form, or the named 400 problem
 * naming the parameter. A class (Nest instantiates a pipe given to `@Param`), named as the constant.
 */
export function parsingPipe(
  name: string,
  parse: (value: unknown) => string,
): Type<PipeTransform<unknown, string>> {
  @Injectable()
  class ParsingPipe implements PipeTransform<unknown, string> {
    transform(value: unknown): string {
      return parse(value);
    }
  }
  Object.defineProperty(ParsingPipe, 'name', { value: name });
  return ParsingPipe;
}

/** `{code}`: a trace code, canonical form; a mistyped code is 400 InvalidTraceCode, never 404. */
export const TraceCodePipe = parsingPipe('TraceCodePipe', (v) => parseTraceCode(v, 'code').code);

/** `{no}`: a manifest number (14 digits); malformed → 400 InvalidManifestNumber. */
export const ManifestNumberPipe = parsingPipe(
  'ManifestNumberPipe',
  (v) => parseManifestNumber(v, 'no').manifestNo,
);

/** `{uscc}`: a USCC with a valid check character, upper case; malformed → 400 InvalidUscc. */
export const UsccPipe = parsingPipe('UsccPipe', (v) => parseUscc(v, 'uscc'));

/** `{permitNo}`: a permit number, the free-text rule of every permit number (1–64 characters, no control). */
export const PermitNoPipe = parsingPipe('PermitNoPipe', (v) =>
  parseText(v, 'permitNo', { max: TEXT_BOUNDS.code }),
);

/** `{alertId}`: an alert id `<kind>:<subject>` as GET /v1/alerts gives it; malformed → 400 InvalidAlertId. */
export const AlertIdPipe = parsingPipe('AlertIdPipe', (v) => parseAlertId(v, 'alertId'));

/** `{approvalNo}`: a cross-province transfer approval number; malformed → 400 InvalidTransferApprovalNo. */
export const TransferApprovalNoPipe = parsingPipe('TransferApprovalNoPipe', (v) =>
  parseTransferApprovalNo(v, 'approvalNo'),
);

/** `{requestId}`: a correction request id `cr-<n>`; malformed → 400 InvalidValue. */
export const CorrectionRequestIdPipe = parsingPipe('CorrectionRequestIdPipe', (v) =>
  parseCorrectionRequestId(v, 'requestId'),
);

/** How a write route reads one path parameter, and the input field it fills. */
export interface PathParamRule {
  /** The use case's input field it fills on every route (a bulk item carries it under that name). */
  readonly field: string;
  /** The canonical form, or the named problem; none: the text as it is. */
  readonly pipe?: PipeTransform<unknown, string>;
  /** The same rule for the field of a bulk item (POST /v1/commands); none: not in a bulk item type. */
  readonly itemRule?: () => PropertyDecorator;
  readonly example: string;
  readonly description?: string;
}

/**
 * The path parameters of the write routes: the field each fills, how it is read (its pipe: canonical form,
 * or the named problem) and what OpenAPI shows of it. A write route's parameters are the `{names}` of its
 * template, looked up here.
 */
export const PATH_PARAMS = {
  code: { field: 'traceCode', pipe: new TraceCodePipe(), itemRule: IsTraceCode, example: EXAMPLE.traceCode },
  no: {
    field: 'manifestNo',
    pipe: new ManifestNumberPipe(),
    itemRule: IsManifestNo,
    example: EXAMPLE.manifestNo,
  },
  uscc: { field: 'uscc', pipe: new UsccPipe(), itemRule: IsUscc, example: EXAMPLE.receiverUscc },
  permitNo: {
    field: 'permitNo',
    pipe: new PermitNoPipe(),
    itemRule: () => IsFreeText(TEXT_BOUNDS.code),
    example: EXAMPLE.permitNo,
  },
  alertId: {
    field: 'alertId',
    pipe: new AlertIdPipe(),
    example: 'overdue_manifest:20263301000001',
    description: 'As GET /v1/alerts gives it',
  },
  approvalNo: { field: 'approvalNo', pipe: new TransferApprovalNoPipe(), example: '浙环危转〔2026〕12号' },
  tokenId: { field: 'tokenId', example: 'k3q9x2m7v4p8t6r1w5n0', description: 'The id part of the token' },
  requestId: {
    field: 'requestId',
    pipe: new CorrectionRequestIdPipe(),
    itemRule: IsCorrectionRequestId,
    example: 'cr-1',
    description: 'A correction request of the batch, cr-<n>',
  },
} as const satisfies Readonly<Record<string, PathParamRule>>;

export type PathParamName = keyof typeof PATH_PARAMS;

/** The rule of a `{name}`, or undefined for a name no write route knows. */
export function pathParamRule(name: string): PathParamRule | undefined {
  return Object.hasOwn(PATH_PARAMS, name) ? (PATH_PARAMS as Record<string, PathParamRule>)[name] : undefined;
}

/** A path parameter's value as its route reads it (a bulk item's or a scenario's field): its canonical form. */
export function readPathParam(name: string, value: unknown): string {
  const pipe = pathParamRule(name)?.pipe;
  return pipe ? pipe.transform(value, { type: 'param', data: name }) : String(value);
}
