import { ApiProperty } from '@nestjs/swagger';
import { TEXT_BOUNDS } from '@wasteflow/domain';
import { WriteResponseDto } from '../common/openapi';
import { IsFreeText } from '../common/validation';

export class RevokeTokenDto {
  @ApiProperty({ example: '接口密钥泄露，立即作废', maxLength: TEXT_BOUNDS.text })
  @IsFreeText(TEXT_BOUNDS.text)
  reason!: string;
}

export class RevokeTokenResponseDto extends WriteResponseDto {
  @ApiProperty({ example: 'k3q9x2m7v4p8t6r1w5n0' })
  tokenId!: string;
  @ApiProperty({ example: '2026-03-02T02:00:00.000Z' })
  revokedAt!: string;
}
