// Charts as plain SVG, drawn from numbers: no library, nothing fetched.
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
