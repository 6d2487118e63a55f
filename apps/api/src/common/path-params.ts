import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidValue, parseManifestNumber, parseTraceCode, parseUscc } from '@wasteflow/domain';

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

/** `{permitNo}`: a permit number, 1–64 characters. */
@Injectable()
export class PermitNoPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 64)
      throw new InvalidValue(
        'permitNo',
        typeof value === 'string' ? value.slice(0, 40) : null,
        '1–64 characters',
      );
    return value.trim();
  }
}
