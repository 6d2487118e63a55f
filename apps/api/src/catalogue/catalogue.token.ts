/** Injection token of the loaded editions of the hazardous waste catalogue (undefined: none loaded). */
export const HW_CATALOGUES = Symbol.for('wasteflow.HwCatalogues');
