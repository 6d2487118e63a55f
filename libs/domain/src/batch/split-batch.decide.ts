import { BatchAlreadyExists, ChildIndexExhausted, InvalidValue, MassNotConserved } from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { splitComposition } from '../origin/composition';
import { Mass } from '../values/mass';
import { checkCommandTime } from '../values/time';
import { MAX_CHILD_INDEX, childTraceCode, normaliseTraceCode } from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { compact } from '../util';
import type { BatchEvent, BatchStreamEvents, SplitChild } from './batch.events';
import type { BatchState } from './batch.state';
import { requireActionableBatch, requireAfterCustody } from './batch.rules';

/** Split (1 → n): children of the given masses; the remainder stays in the parent (it may be 0). */
export interface SplitBatchCommand extends PartyCommand {
  readonly traceCode: string;
  readonly partsGrams: readonly number[];
  /**
   * One random part per child (8 Crockford symbols), drawn from the command's entropy at the edge: the
   * children's codes are the parent's prefix + these, 22 characters at any depth (DESIGN §2 Identifiers).
   */
  readonly childRandomParts: readonly string[];
}

export const MAX_SPLIT_PARTS = 100;

/**
 * Returns the parent's events first (`BatchSplit`), then one new stream per child (`BatchSplitOff`).
 * Child codes keep the parent's prefix with the command's random parts (`childTraceCode`); the lineage is
 * the events' `parentTraceCode` and `childIndex` (the parent's next indices). `children` are the states
 * of the streams the codes name, where they were read: a code that names an existing batch (or the
 * parent, or another child of the same split) is refused as BatchAlreadyExists, never merged.
 */
export function decideSplitBatch(
  command: SplitBatchCommand,
  state: BatchState,
  options: DecideOptions = {},
  children: ReadonlyMap<string, BatchState> = new Map(),
): BatchStreamEvents[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const traceCode = normaliseTraceCode(command.traceCode);
  if (!Array.isArray(command.partsGrams) || command.partsGrams.length === 0)
    throw new InvalidValue('partsGrams', null, 'at least one part is required');
  if (command.partsGrams.length > MAX_SPLIT_PARTS)
    throw new InvalidValue('partsGrams', command.partsGrams.length, `at most ${MAX_SPLIT_PARTS} parts`);
  const parts = command.partsGrams.map((g, i) => Mass.fromGrams(g, `partsGrams[${i}]`).grams);
  const parent = requireActionableBatch(state, traceCode, actorUscc);
  requireAfterCustody(parent, command.occurredAt, occurredAtMs);
  const total = parts.reduce((a, b) => a + b, 0);
  if (total > parent.heldGrams) {
    throw new MassNotConserved(
      'partsGrams',
      `the parts (${total} g) exceed the held mass (${parent.heldGrams} g)`,
      { partsTotalGrams: total, heldGrams: parent.heldGrams },
    );
  }
  const lastIndex = parent.nextChildIndex + parts.length - 1;
  if (lastIndex > MAX_CHILD_INDEX) throw new ChildIndexExhausted(traceCode, lastIndex);
  const codes = childCodesOf(traceCode, parts.length, command.childRandomParts, children);
  const remainingGrams = parent.heldGrams - total;
  const compositions = splitComposition(parent.composition, [...parts, remainingGrams]);
  const splitChildren: SplitChild[] = parts.map((massGrams, i) => ({
    traceCode: codes[i],
    childIndex: parent.nextChildIndex + i,
    massGrams,
    composition: compositions[i],
  }));
  const split: BatchEvent = domainEvent('BatchSplit', {
    traceCode,
    actorUscc,
    children: splitChildren,
    remainingGrams,
    occurredAt: command.occurredAt,
    late,
  });
  return [
    { traceCode, isNew: false, events: [split] },
    ...splitChildren.map((c): BatchStreamEvents => ({
      traceCode: c.traceCode,
      isNew: true,
      events: [
        domainEvent(
          'BatchSplitOff',
          compact({
            traceCode: c.traceCode,
            parentTraceCode: traceCode,
            childIndex: c.childIndex,
            custodianUscc: parent.custodianUscc,
            category: parent.category,
            subtype: parent.subtype,
            wasteCode: parent.wasteCode,
            catalogueEdition: parent.catalogueEdition,
            massGrams: c.massGrams,
            composition: c.composition,
            storageSince: parent.storageSince,
            occurredAt: command.occurredAt,
            late,
          }),
        ),
      ],
    })),
  ];
}

/** The children's codes: one random part per part, each code new (not the parent, not a sibling, not stored). */
function childCodesOf(
  parentCode: string,
  count: number,
  randomParts: readonly string[],
  existing: ReadonlyMap<string, BatchState>,
): string[] {
  if (!Array.isArray(randomParts) || randomParts.length !== count)
    throw new InvalidValue('childRandomParts', null, `one random part per part (${count}) is required`);
  const seen = new Set<string>([parentCode]);
  return randomParts.map((randomPart) => {
    const code = childTraceCode(parentCode, randomPart);
    if (seen.has(code) || (existing.get(code)?.status ?? 'none') !== 'none')
      throw new BatchAlreadyExists(code);
    seen.add(code);
    return code;
  });
}
