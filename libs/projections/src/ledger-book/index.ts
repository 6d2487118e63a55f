export {
  LEDGER_BOOK_PROJECTION,
  LEDGER_BOOK_TABLES,
  LedgerBookContainers1765100000300,
  LedgerBookFacility1765100000100,
  LedgerBookHandlers1765100000200,
  LedgerBookReceipts1765200000100,
  LedgerBookTables1764900000100,
  ledgerBookBatches,
  ledgerBookEntries,
  ledgerBookParties,
  ledgerBookReceipts,
  ledgerBookTrips,
  type LedgerBookMovement,
  type LedgerBookTableNo,
} from './ledger-book.tables';
export { ledgerBookProjection } from './ledger-book.projection';
export {
  LEDGER_BOOK_PAGE,
  LedgerBookQuery,
  type LedgerBookEntry,
  type LedgerBookParty,
  type LedgerBookRequest,
} from './ledger-book.query';
