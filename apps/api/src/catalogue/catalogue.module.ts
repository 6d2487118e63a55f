import { Module } from '@nestjs/common';
import { loadConfiguredCatalogue, type ApiConfig } from '../config/api-config';
import { API_CONFIG } from '../storage/storage.module';
import { CatalogueController } from './catalogue.controller';
import { HW_CATALOGUES } from './catalogue.token';

/**
 * The editions of the hazardous waste catalogue for the read side (the catalogue route, the documents):
 * the same file the write side judges codes by (read again here: a few milliseconds at start).
 */
@Module({
  controllers: [CatalogueController],
  providers: [
    {
      provide: HW_CATALOGUES,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => loadConfiguredCatalogue(config),
    },
  ],
  exports: [HW_CATALOGUES],
})
export class CatalogueModule {}
