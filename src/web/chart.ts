import { type Html, html } from './html.ts';

export interface Bar {
  label: string;
  value: number;
  /** What a screen reader and the tooltip say of this bar. */
  text: string;
}

/**
 * A bar chart as inline SVG, with an optional goal line. The numbers are also given as a table
 * next to it, so the chart itself is one labelled image.
 */
export function barChart(options: { id: string; title: string; bars: readonly Bar[]; goal?: { value: number; label: string } }): Html {
  const { bars, goal } = options;
  const width = 640;
  const height = 220;
  const pad = { top: 16, right: 12, bottom: 40, left: 12 };
  const top = Math.max(1, ...bars.map((b) => b.value), goal ? goal.value * 1.15 : 0);
  const plotH = height - pad.top - pad.bottom;
  const step = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  return html`<svg class="chart" id="${options.id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${options.id}-title" preserveAspectRatio="xMidYMid meet">
  <title id="${options.id}-title">${options.title}</title>
  <line x1="${pad.left}" x2="${width - pad.right}" y1="${y(0)}" y2="${y(0)}" class="axis"/>
  ${bars.map((b, i) => {
    const x = pad.left + i * step + step * 0.15;
    const met = goal ? b.value >= goal.value : false;
    return html`<g class="bar${met ? ' met' : ''}${i === bars.length - 1 ? ' current' : ''}">
    <rect x="${x.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(y(0) - y(b.value)).toFixed(1)}"><title>${b.text}</title></rect>
    <text x="${(x + step * 0.35).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${b.label}</text>
  </g>`;
  })}
  ${goal
    ? html`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(goal.value).toFixed(1)}" y2="${y(goal.value).toFixed(1)}" class="goal"/>
  <text x="${width - pad.right}" y="${(y(goal.value) - 4).toFixed(1)}" text-anchor="end" class="goal-label">${goal.label}</text>`
    : ''}
</svg>`;
}
