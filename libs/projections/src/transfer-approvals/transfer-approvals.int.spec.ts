import { composeUscc } from '@wasteflow/domain';
import { describeOnBothDatabases } from '../indicators/testing/describe-read-model';
import { GENERATOR, LedgerWorld, cst } from '../indicators/testing/ledger-world';
import { projected } from '../indicators/testing/projected';
import { transferApprovalsProjection } from './transfer-approvals.projection';
import { TransferApprovalsQuery } from './transfer-approvals.query';

const JIANGSU_RECEIVER = composeUscc('91320583MA2REC009');
const APPROVAL = '浙环危转〔2025〕12号';

/**
 * 跨省转移审批 (issue 16 item 4): an approval of 1,500 kg from the Xihu generator to a receiver in Kunshan
 * (Jiangsu); a manifest of 1,000 kg under it, 900 kg accepted: 600 kg remain. Scoped lists: the shipper and
 * the receiver see it, a regulator of either province sees it, Ningbo's (3302) does not.
 */
describeOnBothDatabases('transfer approvals read model', __filename, (open) => {
  it('shows approved, drawn and remaining mass with each draw, and lists it only in scope', async () => {
    const fixture = await open('transfer_approvals');
    const l = new LedgerWorld();
    l.registerReceiver(JIANGSU_RECEIVER, '320583');
    l.grantTransferApproval({
      approvalNo: APPROVAL,
      shipperUscc: GENERATOR,
      receiverUscc: JIANGSU_RECEIVER,
      wasteCodes: ['900-249-08'],
      approvedGrams: 1_500_000,
      validFrom: '2025-03-01',
      validTo: '2026-02-28',
      regulator: { tokenId: 'zj', districts: ['33'], categories: ['hazardous'] },
      occurredAt: cst('2025-03-03T08:00'),
      recordedAt: '2025-03-03T00:01:00.000Z',
    });
    const code = l.generate({ at: cst('2025-03-03T09:00'), grams: 1_000_000 });
    const manifestNo = l.ship([code], {
      at: cst('2025-03-03T10:00'),
      receiver: JIANGSU_RECEIVER,
      transferApprovalNo: APPROVAL,
    });
    l.receive(manifestNo, cst('2025-03-04T10:00'), { [code]: { received: 1_000_000, accepted: 900_000 } });
    const p = await projected(fixture, l, [transferApprovalsProjection]);
    try {
      const query = new TransferApprovalsQuery(p.dataSource);
      expect(await query.approval(APPROVAL)).toEqual({
        approvalNo: APPROVAL,
        shipperUscc: GENERATOR,
        shipperDistrictCode: '330106',
        receiverUscc: JIANGSU_RECEIVER,
        receiverDistrictCode: '320583',
        wasteCodes: ['900-249-08'],
        approvedKg: 1500,
        drawnKg: 900,
        remainingKg: 600,
        validFrom: '2025-03-01',
        validTo: '2026-02-28',
        grantedAt: cst('2025-03-03T08:00'),
        draws: [{ manifestNo, kg: 900, occurredAt: cst('2025-03-04T10:00'), position: expect.any(String) }],
        access: {
          parties: [GENERATOR, JIANGSU_RECEIVER],
          districts: ['330106', '320583'],
          categories: ['hazardous'],
        },
      });
      expect(await query.approval('浙环危转〔2025〕99号')).toBeUndefined();
      const paging = { page: 1, pageSize: 50 };
      const numbers = async (scope: Parameters<TransferApprovalsQuery['list']>[0]) =>
        (await query.list(scope, paging)).approvals.map((a) => a.approvalNo);
      expect(await numbers({ kind: 'party', uscc: GENERATOR })).toEqual([APPROVAL]);
      expect(await numbers({ kind: 'party', uscc: JIANGSU_RECEIVER })).toEqual([APPROVAL]);
      expect(await numbers({ kind: 'party', uscc: composeUscc('91330109MA2REC001') })).toEqual([]);
      expect(await numbers({ kind: 'regulator', regions: ['32'], categories: ['hazardous'] })).toEqual([
        APPROVAL,
      ]);
      expect(await numbers({ kind: 'regulator', regions: ['3301'], categories: ['hazardous'] })).toEqual([
        APPROVAL,
      ]);
      expect(await numbers({ kind: 'regulator', regions: ['3302'], categories: ['hazardous'] })).toEqual([]);
      expect(await numbers({ kind: 'regulator', regions: ['33'], categories: ['industrial'] })).toEqual([]);
      const all = await query.list({ kind: 'all' }, paging);
      expect(all).toMatchObject({ total: 1, approvals: [{ approvalNo: APPROVAL, remainingKg: 600 }] });
    } finally {
      await p.close();
    }
  });
});
