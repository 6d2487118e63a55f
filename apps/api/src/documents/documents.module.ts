import { Module } from '@nestjs/common';
import { TraceQuery } from '@wasteflow/projections';
import { loadConfiguredCatalogue, type ApiConfig } from '../config/api-config';
import { PartyRegistry } from '../read-side/party-registry';
import { ReadSideModule } from '../read-side/read-side.module';
import { API_CONFIG } from '../storage/storage.module';
import { DOCUMENT_CATALOGUE, LabelFactsReader } from './label-facts';
import { LabelsController } from './labels.controller';

/** Documents regulators recognise (DESIGN.md §8): HJ 1276-2022 labels, the 联单 print. */
@Module({
  imports: [ReadSideModule],
  controllers: [LabelsController],
  providers: [
    TraceQuery,
    PartyRegistry,
    LabelFactsReader,
    // the same file the write side checks codes against (read again here: a few milliseconds at start)
    {
      provide: DOCUMENT_CATALOGUE,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => loadConfiguredCatalogue(config),
    },
  ],
})
export class DocumentsModule {}
