import type { Page, Shape } from './drawing';
import { A4_MM } from './label.layout';
import type { ManifestPrint } from './manifest-print.model';
import {
  FIRST_PAGE_LEGS,
  FIRST_PAGE_LINES,
  legRows,
  lineTable,
  LEFT,
  NEXT_PAGE_LEGS,
  NEXT_PAGE_LINES,
  type Cursor,
} from './manifest-print.rows';

/**
 * The 联单's continuation sheets: the lines beyond the first sheet's ten (36 a sheet), then the later legs
 * beyond the first sheet's one (多式联运, seven a sheet), each headed by the manifest number.
 */
export function continuationPages(print: ManifestPrint): Page[] {
  const pages: Page[] = [];
  const legs = print.legs ?? [];
  for (let from = FIRST_PAGE_LINES; from < print.lines.length; from += NEXT_PAGE_LINES) {
    const { shapes, cursor } = continuationSheet(print, '续页');
    lineTable(shapes, cursor, print.lines.slice(from, from + NEXT_PAGE_LINES), from);
    pages.push({ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes });
  }
  for (let from = FIRST_PAGE_LEGS; from < legs.length; from += NEXT_PAGE_LEGS) {
    const { shapes, cursor } = continuationSheet(print, '续页：第二部分 承运人');
    for (const leg of legs.slice(from, from + NEXT_PAGE_LEGS)) legRows(shapes, cursor, leg);
    pages.push({ widthMm: A4_MM.width, heightMm: A4_MM.height, shapes });
  }
  return pages;
}

/** A continuation sheet headed by the manifest number and what it continues; its form starts below. */
function continuationSheet(print: ManifestPrint, continues: string): { shapes: Shape[]; cursor: Cursor } {
  const heading: Shape = {
    kind: 'text',
    x: LEFT,
    y: 10,
    size: 3.4,
    text: `联单编号：${print.manifestNo}（${continues}）`,
    weight: 'bold',
  };
  return { shapes: [heading], cursor: { y: 14 } };
}
