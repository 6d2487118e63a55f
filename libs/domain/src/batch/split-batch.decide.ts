import { ChildIndexExhausted, InvalidValue, MassNotConserved } from '../errors';
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
}

export const MAX_SPLIT_PARTS = 100;

/**
 * Returns the parent's events first (`BatchSplit`), then one new stream per child (`BatchSplitOff`).
 * Child codes derive from the parent code and the parent's next child indices.
 */
export function decideSplitBatch(
  command: SplitBatchCommand,
  state: BatchState,
  options: DecideOptions = {},
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
  const remainingGrams = parent.heldGrams - total;
  const compositions = splitComposition(parent.composition, [...parts, remainingGrams]);
  const children: SplitChild[] = parts.map((massGrams, i) => ({
    traceCode: childTraceCode(traceCode, parent.nextChildIndex + i),
    childIndex: parent.nextChildIndex + i,
    massGrams,
    composition: compositions[i],
  }));
  const split: BatchEvent = domainEvent('BatchSplit', {
    traceCode,
    actorUscc,
    children,
    remainingGrams,
    occurredAt: command.occurredAt,
    late,
  });
  return [
    { traceCode, isNew: false, events: [split] },
    ...children.map((c): BatchStreamEvents => ({
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
