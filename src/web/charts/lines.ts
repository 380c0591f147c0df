import { type Html, html } from '../html.ts';

export interface Series {
  name: string;
  values: readonly number[];
}

/** Colours that keep 3:1 contrast on white and differ for the common kinds of colour blindness. */
export const PALETTE = ['#0b4f9c', '#c2410c', '#1e6b34', '#7e22ce', '#a4161a', '#0e7490', '#854d0e', '#4b5563'] as const;

/**
 * Several series over the same periods as lines with markers, inline SVG. Each series has its
 * colour and its own dash pattern, so the lines differ without colour too.
 */
export function lineChart(o: { id: string; title: string; labels: readonly string[]; series: readonly Series[]; format: (n: number) => string }): Html {
  const width = 720;
  const height = 260;
  const pad = { top: 14, right: 16, bottom: 44, left: 64 };
  const top = Math.max(1, ...o.series.flatMap((s) => s.values));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = Math.max(1, o.labels.length);
  const x = (i: number) => pad.left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const every = Math.max(1, Math.ceil(n / 12));
  const ticks = [0, 0.5, 1].map((f) => f * top);
  const dashes = ['', '6 3', '2 3', '8 3 2 3'];
  return html`<svg class="chart lines" id="${o.id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${o.id}-title">
  <title id="${o.id}-title">${o.title}</title>
  ${ticks.map((v) => html`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>
  <text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${o.format(Math.round(v))}</text>`)}
  ${o.labels.map((label, i) => (i % every === 0 ? html`<text x="${x(i).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${label}</text>` : ''))}
  ${o.series.map((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return html`<g class="series">
    <polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${dashes[k % dashes.length]}"/>
    ${n <= 60 ? s.values.map((v, i) => html`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${colour}"><title>${s.name}, ${o.labels[i]}: ${o.format(v)}</title></circle>`) : ''}
  </g>`;
  })}
</svg>
<ul class="legend-list">${o.series.map((s, k) => html`<li><svg class="swatch" viewBox="0 0 24 10" aria-hidden="true"><line x1="0" x2="24" y1="5" y2="5" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="3" stroke-dasharray="${dashes[k % dashes.length]}"/></svg> ${s.name}</li>`)}</ul>`;
}
