import type { Shape } from './drawing';
import { manifestPages, type ManifestPrint } from './manifest-print.layout';

const print = (o: Partial<ManifestPrint> = {}): ManifestPrint => ({
  manifestNo: '330106202600001',
  status: '运输中',
  shipper: { uscc: '91330106MA2GEN0013', name: '杭州西湖精细化工有限公司' },
  lines: Array.from({ length: 12 }, (_, i) => ({
    traceCode: `T${i}`,
    wasteCode: '900-249-08',
    shippedKg: 1,
  })),
  totalKg: 12,
  carrier: { uscc: '91330109MA2CAR0015' },
  legs: [2, 3, 4].map((leg) => ({ leg, uscc: '91330110MA2CAR0021', vehiclePlate: '浙A12345' })),
  receiver: { uscc: '91320583MA2REC0412' },
  url: 'https://example.cn/v1/manifests/330106202600001',
  position: '42',
  ...o,
});

/** The lowest point a shape reaches on its page (text: its baseline). */
function bottom(shape: Shape): number {
  switch (shape.kind) {
    case 'rect':
      return shape.y + shape.h;
    case 'line':
      return Math.max(shape.y1, shape.y2);
    case 'qr':
      return shape.y + shape.size;
    default:
      return shape.y;
  }
}

const texts = (shapes: readonly Shape[]) =>
  shapes.flatMap((s) => (s.kind === 'text' ? [s.text] : [])).join('|');

describe('联单 layout (first sheet)', () => {
  it('prints 跨省转移批准文号 with its number, or a blank row across a province; none within one', () => {
    const [withNo] = manifestPages(print({ transferApprovalNo: '浙环危转〔2026〕12号' }));
    expect(texts(withNo.shapes)).toContain('跨省转移批准文号：|浙环危转〔2026〕12号');
    expect(texts(manifestPages(print({ crossesProvince: true }))[0].shapes)).toContain('跨省转移批准文号：');
    expect(texts(manifestPages(print())[0].shapes)).not.toContain('跨省转移批准文号');
  });

  it('keeps every form shape above the footer, and the footer on the sheet, with the approval row and a full first sheet', () => {
    const pages = manifestPages(print({ transferApprovalNo: '浙环危转〔2026〕12号' }));
    // 12 lines (2 continue), 3 later legs (2 continue): the first sheet is as full as it gets
    expect(pages).toHaveLength(3);
    const shapes = pages[0].shapes;
    const footer = shapes.find((s) => s.kind === 'text' && s.text.startsWith('由 wasteflow 账本打印'));
    if (footer?.kind !== 'text') throw new Error('no footer');
    expect(footer.y).toBeLessThanOrEqual(pages[0].heightMm - 5);
    const form = shapes.filter((s) => s !== footer);
    expect(Math.max(...form.map(bottom))).toBeLessThan(footer.y - footer.size);
  });
});
