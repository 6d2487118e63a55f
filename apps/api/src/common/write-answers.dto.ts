import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from './examples';
import { WriteResponseDto } from './openapi';

/**
 * What the answers of a family of writes begin with, after the write fields: each answer extends one and adds
 * its own fields (OpenAPI lists the inherited ones first, as each answer declared them before).
 */

/** A write to a manifest (cancel, pick up, hand over, receive) names it. */
export class ManifestAnswerDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.manifestNo })
  manifestNo!: string;
}

/** A change in an alert's life (acknowledge, close) names the alert. */
export class AlertAnswerDto extends WriteResponseDto {
  @ApiProperty({ example: 'overdue_manifest:20263301000001' })
  alertId!: string;
}

/** A write to a permit (grant, revoke) names the party and the permit. */
export class PermitAnswerDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.receiverUscc })
  uscc!: string;
  @ApiProperty({ example: EXAMPLE.permitNo })
  permitNo!: string;
}

/** A decision on a mass correction request (approve, reject) names the batch and the request. */
export class CorrectionDecisionAnswerDto extends WriteResponseDto {
  @ApiProperty({ example: EXAMPLE.traceCode })
  traceCode!: string;
  @ApiProperty({ example: 'cr-1' })
  requestId!: string;
}
