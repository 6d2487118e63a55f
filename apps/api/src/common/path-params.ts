import { Injectable, type PipeTransform } from '@nestjs/common';
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

/** `{code}`: a trace code, canonical form; a mistyped code is 400 InvalidTraceCode, never 404. */
@Injectable()
export class TraceCodePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseTraceCode(value, 'code').code;
  }
}

/** `{no}`: a manifest number (14 digits); malformed → 400 InvalidManifestNumber. */
@Injectable()
export class ManifestNumberPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseManifestNumber(value, 'no').manifestNo;
  }
}

/** `{uscc}`: a USCC with a valid check character, upper case; malformed → 400 InvalidUscc. */
@Injectable()
export class UsccPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseUscc(value, 'uscc');
  }
}

/** `{permitNo}`: a permit number, the free-text rule of every permit number (1–64 characters, no control). */
@Injectable()
export class PermitNoPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseText(value, 'permitNo', { max: TEXT_BOUNDS.code });
  }
}

/** `{alertId}`: an alert id `<kind>:<subject>` as GET /v1/alerts gives it; malformed → 400 InvalidAlertId. */
@Injectable()
export class AlertIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseAlertId(value, 'alertId');
  }
}

/** `{approvalNo}`: a cross-province transfer approval number; malformed → 400 InvalidTransferApprovalNo. */
@Injectable()
export class TransferApprovalNoPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseTransferApprovalNo(value, 'approvalNo');
  }
}

/** `{requestId}`: a correction request id `cr-<n>`; malformed → 400 InvalidValue. */
@Injectable()
export class CorrectionRequestIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    return parseCorrectionRequestId(value, 'requestId');
  }
}

/**
 * The path parameters of the write routes: how each is read (its pipe: canonical form, or the named
 * problem) and what OpenAPI shows of it. A write definition names its parameters by these names.
 */
export const PATH_PARAMS: Readonly<
  Record<
    string,
    {
      readonly pipe?: PipeTransform<unknown, string>;
      readonly example: string;
      readonly description?: string;
    }
  >
> = {
  code: { pipe: new TraceCodePipe(), example: EXAMPLE.traceCode },
  no: { pipe: new ManifestNumberPipe(), example: EXAMPLE.manifestNo },
  uscc: { pipe: new UsccPipe(), example: EXAMPLE.receiverUscc },
  permitNo: { pipe: new PermitNoPipe(), example: EXAMPLE.permitNo },
  alertId: {
    pipe: new AlertIdPipe(),
    example: 'overdue_manifest:20263301000001',
    description: 'As GET /v1/alerts gives it',
  },
  approvalNo: { pipe: new TransferApprovalNoPipe(), example: '浙环危转〔2026〕12号' },
  tokenId: { example: 'k3q9x2m7v4p8t6r1w5n0', description: 'The id part of the token' },
  requestId: {
    pipe: new CorrectionRequestIdPipe(),
    example: 'cr-1',
    description: 'A correction request of the batch, cr-<n>',
  },
};
