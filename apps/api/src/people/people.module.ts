import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@wasteflow/event-store';
import { PeopleRecords } from '@wasteflow/ledger';
import { PeopleController } from './people.controller';
import { PickupFactsReader } from './pickup-facts';

/** Personal data records (ADR 14): the erasure route and the readers that resolve people at read time. */
@Module({
  controllers: [PeopleController],
  providers: [
    {
      provide: PeopleRecords,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new PeopleRecords(store),
    },
    PickupFactsReader,
  ],
  exports: [PeopleRecords, PickupFactsReader],
})
export class PeopleModule {}
