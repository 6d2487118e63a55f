import { parseHazardCell, type HazardCharacteristic } from '@wasteflow/domain';
import type { Shape } from './drawing';

/**
 * The hazard pictograms of HJ 1276-2022 (危险特性警示图形), drawn here as vector paths: a diamond with a
 * red border on white, a black symbol inside, the characteristic's name below. Each symbol lives in a
 * 20 × 20 box (the diamond's corners at the middle of each side). Drawn by hand rather than taken from a
 * package: no npm package ships these five symbols under a licence that allows embedding them.
 */
export { HAZARD_CHARACTERISTICS, type HazardCharacteristic } from '@wasteflow/domain';

/** The names printed on the label (毒性 toxicity, 腐蚀性 corrosivity, 易燃性 ignitability, 反应性 reactivity, 感染性 infectivity). */
export const HAZARD_NAMES: Readonly<Record<HazardCharacteristic, string>> = {
  T: '毒性',
  C: '腐蚀性',
  I: '易燃性',
  R: '反应性',
  In: '感染性',
};

/** The characteristics of a catalogue `hazard` cell (the domain's reading of it). */
export const parseHazards = parseHazardCell;

const circle = (cx: number, cy: number, r: number): string =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;

const DIAMOND = 'M10 0.9L19.1 10L10 19.1L0.9 10Z';

/** Each symbol: filled parts, and stroked parts (width in box units). */
const SYMBOLS: Readonly<
  Record<HazardCharacteristic, { fill: string; stroke?: { d: string; width: number }; holes?: string }>
> = {
  // skull and crossbones
  T: {
    fill: `${circle(10, 7.6, 3)}M8.2 9.6h3.6v1.9h-3.6Z`,
    holes: `${circle(8.9, 7.5, 0.75)}${circle(11.1, 7.5, 0.75)}`,
    stroke: { d: 'M6.3 12.2L13.7 15.4M13.7 12.2L6.3 15.4', width: 1.1 },
  },
  // liquid from two test tubes eating into a surface and a hand
  C: {
    fill:
      'M5.2 4.6l2.6 1.3l-1.5 3l-2.6-1.3Z M14.8 4.6l-2.6 1.3l1.5 3l2.6-1.3Z' +
      `${circle(6.4, 10.6, 0.55)}${circle(7.2, 12.3, 0.55)}${circle(13.6, 10.6, 0.55)}${circle(12.8, 12.3, 0.55)}` +
      'M4.2 14h5v2.4h-5Z M10.8 14h5l-0.6 2.4h-4.4Z',
    holes: 'M6 14h1.2v1h-1.2Z M12.8 14h1v0.9h-1Z',
  },
  // flame over a bar
  I: {
    fill:
      'M10 3.8C12.6 6.4 13.6 8.6 12.9 10.8C14 10 14.3 9 14.2 8.1C15.7 10 15.9 12.3 14.7 14C13.7 15.2 12.1 15.6 10 15.6' +
      'C7.9 15.6 6.3 15.2 5.3 14C4.2 12.5 4.5 10.5 6 9C6 10.3 6.5 11.1 7.3 11.5C6.8 8.9 8 6.3 10 3.8Z M5.4 16.1h9.2v0.9h-9.2Z',
  },
  // exploding bomb: a ball and fragments flying off
  R: {
    fill: `${circle(10, 11.6, 2.7)}M6.2 6.8l1.4 0.4l-0.3 1.4Z M13.8 6.8l-1.4 0.4l0.3 1.4Z M10 4.6l0.7 1.5h-1.4Z M4.8 11.3l1.5-0.5v1.2Z M15.2 11.3l-1.5-0.5v1.2Z`,
    stroke: { d: 'M10 8.2V6.6M7.6 9.2L6.5 8.1M12.4 9.2L13.5 8.1M7.1 11.6H5.9M12.9 11.6H14.1', width: 0.6 },
  },
  // biohazard: three rings around a centre
  In: {
    fill: circle(10, 10.4, 1.1),
    stroke: {
      d: `${circle(10, 7.6, 2.3)}${circle(7.6, 11.8, 2.3)}${circle(12.4, 11.8, 2.3)}`,
      width: 0.9,
    },
  },
};

/** The shapes of one pictogram whose diamond spans `size` mm from (x, y), with its name below. */
export function pictogram(h: HazardCharacteristic, x: number, y: number, size: number): Shape[] {
  const scale = size / 20;
  const symbol = SYMBOLS[h];
  const shapes: Shape[] = [
    { kind: 'path', d: DIAMOND, x, y, scale, fill: '#ffffff', stroke: '#d7000f', lineWidth: 1.6 },
    { kind: 'path', d: symbol.fill, x, y, scale, fill: '#000000' },
  ];
  if (symbol.holes) shapes.push({ kind: 'path', d: symbol.holes, x, y, scale, fill: '#ffffff' });
  if (symbol.stroke) {
    shapes.push({
      kind: 'path',
      d: symbol.stroke.d,
      x,
      y,
      scale,
      stroke: '#000000',
      lineWidth: symbol.stroke.width,
    });
  }
  shapes.push({
    kind: 'text',
    x: x + size / 2,
    y: y + size + size * 0.16,
    size: size * 0.15,
    text: HAZARD_NAMES[h],
    align: 'center',
  });
  return shapes;
}
