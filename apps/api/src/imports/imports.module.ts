import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LEDGER_BOOK_PROVIDERS } from '../documents-ledger-book/ledger-book.controller';
import { ReadSideModule } from '../read-side/read-side.module';
import { ImportJobStore } from './import-job.store';
import { ImportJobs } from './import-jobs';
import { CSV_TYPE, XLSX_TYPE } from './import-rows';
import { ImportsController } from './imports.controller';

/** The import of 台账 records (issue 14 item 6). */
@Module({
  imports: [ReadSideModule],
  controllers: [ImportsController],
  providers: [ImportJobs, ImportJobStore, ...LEDGER_BOOK_PROVIDERS],
})
export class ImportsModule implements OnModuleInit {
  constructor(private readonly adapter: HttpAdapterHost) {}

  onModuleInit(): void {
    // The file is taken as bytes, within the route's body limit (POST /v1/imports: 8 MiB), and read by
    // the import itself as a stream of rows; every other route keeps taking JSON only.
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser(CSV_TYPE)) return;
    fastify.addContentTypeParser([CSV_TYPE, XLSX_TYPE], { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
  }
}
