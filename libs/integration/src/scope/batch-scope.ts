import type { Principal } from '@wasteflow/ledger';
import type { TraceQuery, TraceResult, TraceView } from '@wasteflow/projections';
import type { PartyRegistry } from './party-registry';
import { readScoped } from './scope';

/**
 * The parties whose district puts a batch in a regulator's regions besides its origin (DESIGN §10: origin,
 * custodian or receiving district): every party that held it (generator, shipper, receiver, the one it
 * returned to, the treating custodian) and every receiver it was consigned to. The carrier of a transport
 * is not among them: carrying waste through a district is not waste of that district.
 */
export function custodiansAndReceivers(view: TraceView): string[] {
  const parties = new Set<string>([view.custodianUscc, view.origin.generatorUscc]);
  if (view.openManifest) parties.add(view.openManifest.receiverUscc);
  for (const step of view.steps) {
    // BatchShipped: the carrier acts; BatchLostInTransit: the counterparty is the carrier; BatchHandedOver
    // (多式联运): one carrier to the next, neither of them a custodian
    if (step.type === 'BatchHandedOver') continue;
    if (step.actorUscc && step.type !== 'BatchShipped') parties.add(step.actorUscc);
    if (step.counterpartyUscc && step.type !== 'BatchLostInTransit') parties.add(step.counterpartyUscc);
  }
  parties.delete('');
  return [...parties];
}

/**
 * The trace of `code` if `principal` may read it, under the one scope rule (`readScoped`: "not yours" and
 * "no such batch" are one refusal). A regulator's check adds the districts of the batch's custodians and
 * receivers to its origin districts.
 */
export function readBatch(
  principal: Principal,
  code: string,
  trace: TraceQuery,
  registry: PartyRegistry,
): Promise<TraceResult> {
  return readScoped(principal, `batch ${code}`, async () => {
    const found = await trace.find(code);
    if (principal.kind !== 'regulator') return found;
    const districts = await registry.districtsOf(custodiansAndReceivers(found.view));
    return {
      ...found,
      access: { ...found.access, districts: [...new Set([...found.access.districts, ...districts])] },
    };
  });
}
