import { Module } from '@nestjs/common';
import { ManifestQuery, TraceQuery } from '@wasteflow/projections';
import { PartyRegistry } from '@wasteflow/integration';
import { loadConfiguredCatalogue, type ApiConfig } from '../config/api-config';
import { ReadSideModule } from '../read-side/read-side.module';
import { API_CONFIG } from '../storage/storage.module';
import { DOCUMENT_CATALOGUE, LabelFactsReader } from './label-facts';
import { LabelsController } from './labels.controller';
import { ManifestPrintReader } from './manifest-print';
import { ManifestPrintController } from './manifest-print.controller';

/** Documents regulators recognise (DESIGN.md §8): HJ 1276-2022 labels, the 联单 print. */
@Module({
  imports: [ReadSideModule],
  controllers: [LabelsController, ManifestPrintController],
  providers: [
    TraceQuery,
    PartyRegistry,
    LabelFactsReader,
    ManifestQuery,
    ManifestPrintReader,
    // the same file the write side checks codes against (read again here: a few milliseconds at start)
    {
      provide: DOCUMENT_CATALOGUE,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => loadConfiguredCatalogue(config),
    },
  ],
})
export class DocumentsModule {}
