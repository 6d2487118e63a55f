import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { ReadSideModule } from '../read-side/read-side.module';
import { LedgerBookController, LEDGER_BOOK_PROVIDERS } from './ledger-book.controller';

/** The HJ 1259 台账 export (issue 14 item 4): the ledger-book read model as a workbook or CSV. */
@Module({
  imports: [ReadSideModule, PeopleModule],
  controllers: [LedgerBookController],
  providers: [...LEDGER_BOOK_PROVIDERS],
})
export class LedgerBookModule {}
