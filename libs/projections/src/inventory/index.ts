export {
  INVENTORY_PROJECTION,
  InventoryTables1764700000100,
  inventoryBatches,
  inventoryParties,
  inventoryProjection,
  inventoryTotals,
} from './inventory.projection';
export {
  InventoryQuery,
  MAX_INVENTORY_TOTALS,
  type InventoryAnswer,
  type InventoryBatch,
  type InventoryRequest,
  type InventoryTotal,
} from './inventory.query';
