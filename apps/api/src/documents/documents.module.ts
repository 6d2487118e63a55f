import { Module } from '@nestjs/common';
import { ManifestQuery, TraceQuery } from '@wasteflow/projections';
import { PartyRegistry } from '@wasteflow/integration';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { ReadSideModule } from '../read-side/read-side.module';
import { PeopleModule } from '../people/people.module';
import { LabelFactsReader } from './label-facts';
import { LabelsController } from './labels.controller';
import { ManifestPrintReader } from './manifest-print';
import { ManifestPrintController } from './manifest-print.controller';

/** Documents regulators recognise (DESIGN.md §8): HJ 1276-2022 labels, the 联单 print. */
@Module({
  imports: [ReadSideModule, CatalogueModule, PeopleModule],
  controllers: [LabelsController, ManifestPrintController],
  providers: [TraceQuery, PartyRegistry, LabelFactsReader, ManifestQuery, ManifestPrintReader],
})
export class DocumentsModule {}
