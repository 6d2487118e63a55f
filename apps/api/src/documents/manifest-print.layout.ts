import type { Page, Shape } from './drawing';
import { A4_MM, formatKg, qrModules } from './label.layout';
import { continuationPages } from './manifest-print.continuation';
import type { ManifestPrint } from './manifest-print.model';
import {
  FIRST_PAGE_LEGS,
  FIRST_PAGE_LINES,
  fieldRow,
  legRows,
  lineTable,
  LEFT,
  RIGHT,
  section,
  type Cursor,
} from './manifest-print.rows';

export type {
  ManifestPrint,
  ManifestPrintLeg,
  ManifestPrintLine,
  ManifestPrintParty,
} from './manifest-print.model';

/**
 * The 危险废物转移联单 (the form of the 2021 危险废物转移管理办法) on A4: the number and a QR code; part 1
 * the shipper and the lines; part 2 the carrier; part 3 the receiver and the discrepancy verdict.
 */
export function manifestPages(print: ManifestPrint): Page[] {
  const shapes: Shape[] = [];
  const cursor: Cursor = { y: 10 };
  shapes.push({
    kind: 'text',
    x: 105,
    y: 20,
    size: 7,
    text: '危险废物转移联单',
    weight: 'bold',
    align: 'center',
  });
  shapes.push({
    kind: 'text',
    x: 105,
    y: 26,
    size: 2.8,
    text: '（《危险废物转移管理办法》2021 年）',
    align: 'center',
  });
  shapes.push({
    kind: 'text',
    x: LEFT,
    y: 35,
    size: 3.4,
    text: `联单编号：${print.manifestNo}`,
    weight: 'bold',
  });
  shapes.push({ kind: 'text', x: LEFT, y: 40.5, size: 3, text: `状态：${print.status}` });
  shapes.push({ kind: 'qr', x: RIGHT - 26, y: 8, size: 26, modules: qrModules(print.url) });
  cursor.y = 44;

  section(shapes, cursor, '第一部分  移出人填写');
  fieldRow(shapes, cursor, [
    ['单位名称', print.shipper.name],
    ['统一社会信用代码', print.shipper.uscc],
  ]);
  fieldRow(shapes, cursor, [['单位地址', print.shipper.address]]);
  fieldRow(shapes, cursor, [
    ['经办人', print.shipper.handler],
    ['联系电话', print.shipper.phone],
    ['应急联系电话', print.shipper.emergencyPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['计划转移时间', print.plannedAt],
    ['交付时间', print.handedOverAt],
  ]);
  // 跨省转移 (issue 16 item 4): the approval the manifest was issued under; a blank to fill in by hand when a
  // manifest across a province recorded none (a paper back-fill, a category that needs none)
  if (print.transferApprovalNo !== undefined || print.crossesProvince === true)
    fieldRow(shapes, cursor, [['跨省转移批准文号', print.transferApprovalNo]]);
  const first = print.lines.slice(0, FIRST_PAGE_LINES);
  lineTable(shapes, cursor, first, 0);
  const more = print.lines.length - first.length;
  fieldRow(shapes, cursor, [
    ['合计转移量', formatKg(print.totalKg)],
    ['废物种类', `${print.lines.length} 项${more > 0 ? `（续页 ${more} 项）` : ''}`],
  ]);
  cursor.y += 3;

  section(shapes, cursor, '第二部分  承运人填写');
  fieldRow(shapes, cursor, [
    ['单位名称', print.carrier.name],
    ['统一社会信用代码', print.carrier.uscc],
  ]);
  fieldRow(shapes, cursor, [['道路运输经营许可证号', print.carrier.licenceNo]]);
  fieldRow(shapes, cursor, [
    ['运输工具', print.carrier.vehicleType],
    ['车牌号', print.carrier.vehiclePlate],
  ]);
  fieldRow(shapes, cursor, [
    ['驾驶员', print.carrier.driver],
    ['联系电话', print.carrier.driverPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['押运员', print.carrier.escort],
    ['联系电话', print.carrier.escortPhone],
  ]);
  fieldRow(shapes, cursor, [
    ['运输起点', print.carrier.from],
    ['起运时间', print.carrier.startedAt],
  ]);
  fieldRow(shapes, cursor, [
    ['运输终点', print.carrier.to],
    ['到达时间', print.carrier.endedAt],
  ]);
  const legs = print.legs ?? [];
  for (const leg of legs.slice(0, FIRST_PAGE_LEGS)) legRows(shapes, cursor, leg);
  if (legs.length > FIRST_PAGE_LEGS)
    fieldRow(shapes, cursor, [
      ['联运', `共 ${legs.length + 1} 程（续页 ${legs.length - FIRST_PAGE_LEGS} 程）`],
    ]);
  cursor.y += 3;

  section(shapes, cursor, '第三部分  接受人填写');
  fieldRow(shapes, cursor, [
    ['单位名称', print.receiver.name],
    ['统一社会信用代码', print.receiver.uscc],
  ]);
  fieldRow(shapes, cursor, [
    ['危险废物经营许可证编号', print.receiver.permitNo],
    ['接收时间', print.receiver.receivedAt],
  ]);
  fieldRow(shapes, cursor, [
    ['拟利用处置方式', print.receiver.plannedOperation],
    ['是否存在重大差异', print.receiver.significantDiscrepancy],
  ]);
  fieldRow(shapes, cursor, [
    ['接收量', print.receiver.receivedKg === undefined ? undefined : formatKg(print.receiver.receivedKg)],
    ['经办人', print.receiver.handler],
  ]);
  shapes.push({
    kind: 'text',
    x: LEFT,
    // 6 mm from the edge: the first sheet's parts end at 282 mm, or 288 mm with the approval's row
    y: A4_MM.height - 6,
    size: 2.4,
    text: `由 wasteflow 账本打印（账本位置 ${print.position}）；空白栏由经办人手工填写。`,
    color: '#444444',
  });
  return [{ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes }, ...continuationPages(print)];
}
