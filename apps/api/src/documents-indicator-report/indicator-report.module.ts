import { Module } from '@nestjs/common';
import { INDICATORS_PROVIDERS } from '../read-side/indicators.controller';
import { ReadSideModule } from '../read-side/read-side.module';
import { IndicatorReportController } from './indicator-report.controller';

/** The annual indicator report (issue 14 item 5): the indicators query of /v1/indicators, as a workbook. */
@Module({
  imports: [ReadSideModule],
  controllers: [IndicatorReportController],
  providers: [...INDICATORS_PROVIDERS],
})
export class IndicatorReportModule {}
