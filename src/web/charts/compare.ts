import { type Html, html } from '../html.ts';

/** One category measured twice: as things are and as they would be. */
export interface Pair {
  label: string;
  before: number;
  after: number;
}

const WIDTH = 640;
const LABEL = 170;
const VALUE = 70;

/**
 * Horizontal bars, two per category (before and after), as inline SVG. The numbers are also given
 * as a table next to it, so the chart is one labelled image.
 */
export function pairChart(o: { id: string; title: string; pairs: readonly Pair[]; names: { before: string; after: string }; format: (n: number) => string }): Html {
  const row = 34;
  const legend = 26;
  const height = legend + Math.max(1, o.pairs.length) * row + 6;
  const top = Math.max(1, ...o.pairs.flatMap((p) => [Math.abs(p.before), Math.abs(p.after)]));
  const plot = WIDTH - LABEL - VALUE;
  const bar = (v: number) => Math.max(0, (Math.abs(v) / top) * plot);
  return html`<svg class="chart pairs" id="${o.id}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${o.id}-title">
  <title id="${o.id}-title">${o.title}</title>
  <g class="legend"><rect x="${LABEL}" y="6" width="12" height="12" class="before"/><text x="${LABEL + 18}" y="16">${o.names.before}</text>
  <rect x="${LABEL + 160}" y="6" width="12" height="12" class="after"/><text x="${LABEL + 178}" y="16">${o.names.after}</text></g>
  ${o.pairs.map((p, i) => {
    const y = legend + i * row;
    return html`<g class="pair">
    <text x="${LABEL - 8}" y="${y + 19}" text-anchor="end">${p.label}</text>
    <rect x="${LABEL}" y="${y + 3}" width="${bar(p.before).toFixed(1)}" height="12" class="before"><title>${o.names.before}: ${o.format(p.before)}</title></rect>
    <text x="${(LABEL + bar(p.before) + 4).toFixed(1)}" y="${y + 13}" class="value">${o.format(p.before)}</text>
    <rect x="${LABEL}" y="${y + 16}" width="${bar(p.after).toFixed(1)}" height="12" class="after"><title>${o.names.after}: ${o.format(p.after)}</title></rect>
    <text x="${(LABEL + bar(p.after) + 4).toFixed(1)}" y="${y + 26}" class="value">${o.format(p.after)}</text>
  </g>`;
  })}
</svg>`;
}

/** One signed change, e.g. a member's points difference. */
export interface Change {
  label: string;
  value: number;
}

/** Bars to the right for gains and to the left for losses, from a common zero. */
export function changeChart(o: { id: string; title: string; changes: readonly Change[]; format: (n: number) => string }): Html {
  const row = 22;
  const height = Math.max(1, o.changes.length) * row + 8;
  const top = Math.max(1, ...o.changes.map((c) => Math.abs(c.value)));
  const zero = LABEL + (WIDTH - LABEL) / 2;
  const half = (WIDTH - LABEL) / 2 - VALUE;
  const len = (v: number) => (Math.abs(v) / top) * half;
  return html`<svg class="chart changes" id="${o.id}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${o.id}-title">
  <title id="${o.id}-title">${o.title}</title>
  <line x1="${zero}" x2="${zero}" y1="0" y2="${height}" class="axis"/>
  ${o.changes.map((c, i) => {
    const y = 4 + i * row;
    const gain = c.value >= 0;
    const x = gain ? zero : zero - len(c.value);
    const valueX = gain ? zero + len(c.value) + 4 : zero - len(c.value) - 4;
    return html`<g class="${gain ? 'gain' : 'loss'}">
    <text x="${LABEL - 8}" y="${y + 13}" text-anchor="end">${c.label}</text>
    <rect x="${x.toFixed(1)}" y="${y + 2}" width="${len(c.value).toFixed(1)}" height="14"><title>${c.label}: ${o.format(c.value)}</title></rect>
    <text x="${valueX.toFixed(1)}" y="${y + 13}" text-anchor="${gain ? 'start' : 'end'}" class="value">${o.format(c.value)}</text>
  </g>`;
  })}
</svg>`;
}
