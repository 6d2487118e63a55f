import { computed, ref, type Ref } from 'vue';
import { selectedInOrder } from './logic/label-sheet';

/**
 * The batches ticked on a list for a label sheet (LabelSheetBar): the codes in the list's order
 * (`chosen`), whether all are ticked, the tick-all box's handler, and clearing after a sheet.
 */
export function useLabelTicks(batches: Readonly<Ref<readonly { readonly traceCode: string }[]>>) {
  const ticked = ref<string[]>([]);
  const listed = computed(() => batches.value.map((b) => b.traceCode));
  const chosen = computed(() => selectedInOrder(listed.value, ticked.value));
  const allTicked = computed(() => listed.value.length > 0 && chosen.value.length === listed.value.length);
  function tickAll(event: Event): void {
    ticked.value = (event.target as HTMLInputElement).checked ? [...listed.value] : [];
  }
  function clear(): void {
    ticked.value = [];
  }
  return { ticked, chosen, allTicked, tickAll, clear };
}
