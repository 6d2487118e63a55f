import { Injectable, type PipeTransform } from '@nestjs/common';
import {
  parseAlertId,
  parseManifestNumber,
  parseText,
  parseTraceCode,
  parseTransferApprovalNo,
  parseUscc,
  TEXT_BOUNDS,
} from '@wasteflow/domain';

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
