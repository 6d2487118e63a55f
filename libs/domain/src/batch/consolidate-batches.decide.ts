import {
  BatchAlreadyExists,
  CategoryMismatch,
  DuplicateLine,
  InvalidValue,
  MassNotConserved,
  TooFewConsolidationInputs,
  TraceCodeMismatch,
  WasteCodeMismatch,
} from '../errors';
import type { DecideOptions, PartyCommand } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { mergeCompositions, takeFromComposition, type OriginShare } from '../origin/composition';
import type { PartyState } from '../party/party.state';
import { Mass } from '../values/mass';
import { checkCommandTime, cstYymmdd, parseInstant } from '../values/time';
import {
  TRACE_CATEGORY_LETTERS,
  composeTraceCode,
  normaliseTraceCode,
  parseRandomPart,
  parseTraceCode,
} from '../values/trace-code';
import { parseUscc } from '../values/uscc';
import { compact, compareStrings, sortedUnique } from '../util';
import type { BatchStreamEvents } from './batch.events';
import type { BatchState, ExistingBatch } from './batch.state';
import { requireActionableBatch, requireAfterCustody, requireRegistered } from './batch.rules';

/**
 * Consolidation (小箱进大箱, n → 1) by the custodian of every input: same category and, for hazardous
 * waste, same waste code. Each line takes `massGrams` (≤ held; the rest stays in the input).
 * The new batch's trace code is a root code of the consolidator's district, the inputs' category and the
 * CST date of `occurredAt`: the command gives either the whole code (`traceCode`, checked) or only its
 * random part (`randomPart`, the domain composes the code) — exactly one of the two.
 */
export interface ConsolidateBatchesCommand extends PartyCommand {
  readonly traceCode?: string;
  readonly randomPart?: string;
  readonly lines: readonly { readonly traceCode: string; readonly massGrams: number }[];
}

export interface ConsolidateBatchesState {
  readonly consolidator: PartyState;
  /** Keyed by canonical trace code. */
  readonly inputs: ReadonlyMap<string, BatchState>;
  /** The state of the new code's stream, when loaded. */
  readonly target?: BatchState;
}

/** Returns the new stream first (`BatchesConsolidated`), then each input (`BatchConsolidatedInto`), sorted by code. */
export function decideConsolidateBatches(
  command: ConsolidateBatchesCommand,
  state: ConsolidateBatchesState,
  options: DecideOptions = {},
): BatchStreamEvents[] {
  const { occurredAtMs, late } = checkCommandTime(command, options.time);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  if ((command.traceCode === undefined) === (command.randomPart === undefined)) {
    throw new InvalidValue('traceCode', null, 'give either the new trace code or its random part');
  }
  const given = command.traceCode === undefined ? undefined : parseTraceCode(command.traceCode, 'traceCode');
  const randomPart = command.randomPart === undefined ? undefined : parseRandomPart(command.randomPart);
  if (!Array.isArray(command.lines)) throw new InvalidValue('lines', null, 'a list of lines is required');
  if (command.lines.length < 2) throw new TooFewConsolidationInputs(command.lines.length);
  const lines = command.lines.map((l, i) => ({
    index: i,
    traceCode: normaliseTraceCode(l.traceCode, `lines[${i}].traceCode`),
    massGrams: Mass.fromGrams(l.massGrams, `lines[${i}].massGrams`).grams,
  }));
  const seen = new Set<string>();
  for (const l of lines) {
    if (seen.has(l.traceCode)) throw new DuplicateLine('lines', l.traceCode);
    seen.add(l.traceCode);
  }
  if (given !== undefined && seen.has(given.code)) throw new BatchAlreadyExists(given.code);
  lines.sort((a, b) => compareStrings(a.traceCode, b.traceCode));
  const consolidator = requireRegistered(state.consolidator, actorUscc, 'actorUscc');
  const inputs: ExistingBatch[] = lines.map((l) => {
    const b = requireActionableBatch(
      state.inputs.get(l.traceCode),
      l.traceCode,
      actorUscc,
      `lines[${l.index}].traceCode`,
    );
    requireAfterCustody(b, command.occurredAt, occurredAtMs);
    if (l.massGrams > b.heldGrams) {
      throw new MassNotConserved(
        `lines[${l.index}].massGrams`,
        `${l.massGrams} g taken from ${l.traceCode}, ${b.heldGrams} g held`,
        { traceCode: l.traceCode, requestedGrams: l.massGrams, heldGrams: b.heldGrams },
      );
    }
    return b;
  });
  const categories = sortedUnique(inputs.map((b) => b.category));
  if (categories.length > 1) throw new CategoryMismatch('lines', categories);
  const category = inputs[0].category;
  const wasteCodes = sortedUnique(inputs.map((b) => b.wasteCode ?? ''));
  if (category === 'hazardous' && wasteCodes.length > 1) throw new WasteCodeMismatch('lines', wasteCodes);
  const expected = {
    districtCode: consolidator.districtCode,
    categoryLetter: TRACE_CATEGORY_LETTERS[category],
    date: cstYymmdd(occurredAtMs),
  };
  let target: string;
  if (given === undefined) {
    target = composeTraceCode({
      districtCode: expected.districtCode,
      category,
      date: expected.date,
      randomPart: randomPart ?? '',
    });
    if (seen.has(target)) throw new BatchAlreadyExists(target);
  } else {
    if (
      given.childPath.length > 0 ||
      given.districtCode !== expected.districtCode ||
      given.category !== category ||
      given.date !== expected.date
    ) {
      throw new TraceCodeMismatch('traceCode', given.code, expected);
    }
    target = given.code;
  }
  if (state.target !== undefined && state.target.status !== 'none') throw new BatchAlreadyExists(target);

  const taken: OriginShare[][] = [];
  const inputEvents: BatchStreamEvents[] = inputs.map((b, i) => {
    const { taken: t } = takeFromComposition(b.composition, lines[i].massGrams);
    taken.push(t);
    return {
      traceCode: b.traceCode,
      isNew: false,
      events: [
        domainEvent('BatchConsolidatedInto', {
          traceCode: b.traceCode,
          intoTraceCode: target,
          actorUscc,
          massGrams: lines[i].massGrams,
          composition: t,
          remainingGrams: b.heldGrams - lines[i].massGrams,
          occurredAt: command.occurredAt,
          late,
        }),
      ],
    };
  });
  const subtypes = sortedUnique(inputs.map((b) => b.subtype ?? ''));
  const editions = sortedUnique(inputs.map((b) => b.catalogueEdition ?? ''));
  const storageStarts = inputs.map((b) => b.storageSince).filter((s): s is string => s !== undefined);
  const storageSince =
    storageStarts.length === 0
      ? undefined
      : storageStarts.reduce((a, b) =>
          parseInstant(b, 'storageSince') < parseInstant(a, 'storageSince') ? b : a,
        );
  const massGrams = lines.reduce((a, l) => a + l.massGrams, 0);
  return [
    {
      traceCode: target,
      isNew: true,
      events: [
        domainEvent(
          'BatchesConsolidated',
          compact({
            traceCode: target,
            custodianUscc: actorUscc,
            category,
            // a mixed subtype is left out: the composition keeps each origin's subtype
            subtype: subtypes.length === 1 ? inputs[0].subtype : undefined,
            wasteCode: inputs[0].wasteCode,
            catalogueEdition: editions.length === 1 ? inputs[0].catalogueEdition : undefined,
            inputs: lines.map((l) => ({ traceCode: l.traceCode, massGrams: l.massGrams })),
            massGrams,
            composition: mergeCompositions(taken),
            storageSince,
            occurredAt: command.occurredAt,
            late,
          }),
        ),
      ],
    },
    ...inputEvents,
  ];
}
