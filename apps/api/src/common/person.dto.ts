import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { IsFreeText, IsPhone } from './validation';

/**
 * A person named in a command (a driver, an escort, a unit's contact): personal data. The ledger keeps
 * it in an erasable record, encrypted with a key of the person's own; the events carry only its id
 * (ADR 14), and `POST /v1/people/{id}/erase` (admin) deletes the key.
 */
export class PersonDto {
  @ApiProperty({ example: '张三', maxLength: TEXT_BOUNDS.personName, description: 'Name (personal data)' })
  @IsFreeText(TEXT_BOUNDS.personName)
  name!: string;

  @ApiPropertyOptional({ example: '13800138000', description: 'Phone (personal data)' })
  @IsOptional()
  @IsPhone()
  phone?: string;
}

/** A person as a read shows them: the record resolved now (已删除 once erased). */
export class PersonViewDto {
  @ApiProperty({ example: 'p-3f0c5b1e9a7d4c2b8e6f1a0d9c8b7a65' })
  personId!: string;
  @ApiProperty({ enum: ['present', 'erased', 'unknown'], example: 'present' })
  status!: string;
  @ApiPropertyOptional({ example: '张三', description: 'When present; 已删除 when erased' })
  name?: string;
  @ApiPropertyOptional({
    example: '13800138000',
    description: 'When present and recorded; 已删除 when erased',
  })
  phone?: string;
}

/**
 * An optional `handler` (经办人) of a generation, receipt or treatment: a PersonDto, validated as the pickup's
 * driver, kept in an erasable record; the event and the answer carry only `handlerPersonId` (ADR 14).
 */
export function OptionalHandler(role: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: PersonDto,
      example: { name: '王五', phone: '13700137000' },
      description:
        `${role} (personal data): kept in an erasable record encrypted with a key of its own; the event and ` +
        'the answer carry only handlerPersonId (ADR 14). Printed in the 台账 (and the 联单 for a receipt) ' +
        'until erased, then 已删除.',
    }),
    IsOptional(),
    ValidateNested(),
    Type(() => PersonDto),
  );
}

/** The answer's `handlerPersonId`: the reference to the handler's record, never the name. */
export function HandlerPersonIdAnswer(): PropertyDecorator {
  return ApiPropertyOptional({
    example: 'p-3f0c5b1e9a7d4c2b8e6f1a0d9c8b7a65',
    description: 'The handler’s record (when one was named): a reference, never the name',
  });
}
