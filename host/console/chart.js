// chart.js — a stacked bar chart in SVG, drawn from the stats series
// (one bar per step, one colour per outcome). Scales to its container;
// y ticks are rounded to 1/2/5 × 10^n so the axis reads cleanly.
import { h, svg, clock } from './ui.js';

const WIDTH = 900;
const HEIGHT = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 26 };

const TICKS = 4;

// The smallest 1/2/5 × 10^n step whose TICKS multiples reach `value`; at
// least 0.25 so an idle chart still has an axis.
function niceStep(value) {
  const raw = Math.max(value / TICKS, 0.25);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

// series: {start_ms, step_seconds, <outcome>: [counts]}; outcomes: [{key,
// label, color}]. Values are shown per second (count / step).
export function stackedBars(series, outcomes) {
  const steps = series[outcomes[0].key].length;
  const perSecond = (key, i) => series[key][i] / series.step_seconds;
  const totals = Array.from({ length: steps }, (_, i) =>
    outcomes.reduce((sum, o) => sum + perSecond(o.key, i), 0));
  const step = niceStep(Math.max(...totals));
  const top = step * TICKS;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / steps;
  const y = (v) => PAD.top + plotH - (v / top) * plotH;

  const grid = [];
  for (let i = 0; i <= TICKS; i++) {
    const v = step * i;
    grid.push(svg('line', { class: 'grid-line', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v) }));
    grid.push(svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' },
      String(Number(v.toFixed(2)))));
  }
  const labels = [];
  const every = Math.max(1, Math.round(steps / 6));
  for (let i = 0; i < steps; i += every) {
    const at = series.start_ms + i * series.step_seconds * 1000;
    labels.push(svg('text', { x: PAD.left + i * barW + barW / 2, y: HEIGHT - 6, 'text-anchor': 'middle' },
      clock(at).slice(0, 5 + (series.step_seconds < 60 ? 3 : 0))));
  }
  const bars = [];
  for (let i = 0; i < steps; i++) {
    let base = 0;
    const at = series.start_ms + i * series.step_seconds * 1000;
    const tip = [clock(at)];
    for (const o of outcomes) {
      const v = perSecond(o.key, i);
      tip.push(`${o.label}: ${v.toFixed(1)}/s`);
      if (v <= 0) continue;
      bars.push(svg('rect', {
        x: PAD.left + i * barW + 1, width: Math.max(1, barW - 2),
        y: y(base + v), height: Math.max(0.5, y(base) - y(base + v)), fill: o.color,
      }, svg('title', {}, tip.join('\n'))));
      base += v;
    }
  }
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img',
    'aria-label': 'ingest rate per second' },
  svg('g', { class: 'axis' }, grid, labels), bars);
  const legend = h('div', { class: 'legend' },
    outcomes.map((o) => h('span', {}, h('span', { class: `dot ${o.key}` }), o.label)),
    h('span', {}, 'per second, averaged over ', String(series.step_seconds), ' s steps'));
  return h('div', { class: 'chart' }, chart, legend);
}
