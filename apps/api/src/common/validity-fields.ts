import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsIsoInstant, IsPermitDate } from './validation';

/**
 * The fields every registration of a permit, a facility or a transfer approval shares, with their rule
 * and what OpenAPI says of them: the validity (a date means from its 00:00 CST / to its end, inclusive)
 * and the act's time.
 */

/** `validFrom`: a date (from 00:00 CST) or an ISO 8601 time. */
export const ValidFromField = (example: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example, description: 'A date (from 00:00 CST) or an ISO 8601 time' }),
    IsPermitDate(),
  );

/** `validTo`: a date (to its end, inclusive) or an ISO 8601 time; `limit` says a bound beyond the rule. */
export const ValidToField = (example: string, limit?: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      example,
      description: `A date (to its end, inclusive) or an ISO 8601 time${limit ? `; ${limit}` : ''}`,
    }),
    IsPermitDate(),
  );

/** `occurredAt` (optional): when the act took effect, the time of recording when absent. */
export const OccurredAtField = (example = '2026-03-01T10:00:00+08:00'): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example, description: 'Defaults to the time of recording' }),
    IsOptional(),
    IsIsoInstant(),
  );
