// Charts as plain SVG, drawn from numbers: no library, nothing fetched.
import { shown } from './layout.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}

/**
 * A line chart of a few series over the same points in time (the last values at the right), scaled to the largest
 * value; label describes it for screen readers.
 */
export function lines(series, label, width = 300, height = 60) {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart',
    preserveAspectRatio: 'none' });
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  for (const s of series) {
    if (s.values.length < 2) continue;
    const step = width / (s.values.length - 1);
    const points = s.values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
    root.append(svg('polyline', { points: points.join(' '), class: `line ${s.className}`, fill: 'none' }));
  }
  return root;
}

/**
 * Stacked bars over time: periods (ISO instants, one bar each) and series ({ name, values[] } aligned with them),
 * each series a colour class (series-0..series-5; the last one "other" when there were more). Each bar has a title
 * with its figures (a tooltip, and what a screen reader can reach through the table beside the chart).
 */
export function bars(periods, series, label, width = 600, height = 140) {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'bars',
    preserveAspectRatio: 'none' });
  const totals = periods.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
  const max = Math.max(1, ...totals);
  const slot = width / Math.max(1, periods.length);
  const barWidth = Math.max(1, slot * 0.8);
  periods.forEach((p, i) => {
    let top = height;
    for (const [k, s] of series.entries()) {
      const v = s.values[i] || 0;
      if (v === 0) continue;
      const h = (v / max) * (height - 2);
      top -= h;
      const rect = svg('rect', { x: (i * slot + (slot - barWidth) / 2).toFixed(1), y: top.toFixed(1),
        width: barWidth.toFixed(1), height: h.toFixed(1), class: `bar series-${k}` });
      const title = svg('title', {});
      title.textContent = shown(`${p} · ${s.name}: ${v}`);
      rect.append(title);
      root.append(rect);
    }
  });
  return root;
}
