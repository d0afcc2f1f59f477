// Analysis: what the region's alerts were over a range, from the reports (GET /v1/reports/alerts and /top, read
// from the stored rollups: counts per period, never single alerts) and the register of device models
// (GET /v1/register/dmcs). One query per chart, each bounded by the dimension it is by; lists cut short here.
import { el, panel, refill, shown, table } from '../layout.js';
import { count } from '../format.js';
import { bars } from '../chart.js';
import { clearProblem, field, showProblem } from '../forms.js';

const RANGES = [
  { id: '24h', title: 'Last 24 hours', hours: 24, step: '1h' },
  { id: '7d', title: 'Last 7 days', hours: 24 * 7, step: '1d' },
  { id: '30d', title: 'Last 30 days', hours: 24 * 30, step: '1d' },
];
/** Series a chart draws; the rest are added up as "other". */
const SERIES = 5;
/** Rows of the combined table shown; the rest are counted, not drawn. */
const COMBINATIONS_SHOWN = 50;
const STATUS_ORDER = { confirmed: 0, suspected: 1, none: 2 };
/** Register entries shown: confirmed and suspected first, then by adjusted p-value; the rest are counted. */
const REGISTER_SHOWN = 100;

/**
 * A device model as shown, and the key its rows are added up by: its three fields apart, each quoted when it could
 * read as more (spaces, the separator, a quote, or nothing), so that {Acme Co, X} and {Acme, Co X} never merge.
 */
function dmcName(dmc) {
  if (!dmc || dmc === 'unknown') return 'unknown';
  const field = (f) => {
    const s = String(f ?? '');
    return s === '' || /[\s·"]/.test(s) ? JSON.stringify(s) : s;
  };
  return [dmc.manufacturer, dmc.model, dmc.firmware].map(field).join(' · ');
}

function periodsOf(from, to, step) {
  const size = step === '1d' ? 86400000 : 3600000;
  const out = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) out.push(t);
  return out;
}

/** The rows of a report as chart series by one dimension: the largest SERIES - 1 by name, the rest as other. */
function seriesOf(rows, periods, keyOf) {
  const index = new Map(periods.map((p, i) => [p, i]));
  const byKey = new Map();
  for (const r of rows) {
    const key = keyOf(r);
    if (!byKey.has(key)) byKey.set(key, { name: key, total: 0, values: new Array(periods.length).fill(0) });
    const s = byKey.get(key);
    const i = index.get(Date.parse(r.from));
    s.total += r.count;
    if (i !== undefined) s.values[i] += r.count;
  }
  const all = [...byKey.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  if (all.length <= SERIES) return all;
  const other = { name: `${all.length - SERIES + 1} others`, total: 0, values: new Array(periods.length).fill(0) };
  for (const s of all.slice(SERIES - 1)) {
    other.total += s.total;
    s.values.forEach((v, i) => { other.values[i] += v; });
  }
  return [...all.slice(0, SERIES - 1), other];
}

function when(t, step) {
  const d = new Date(t);
  return step === '1d' ? d.toISOString().slice(0, 10) : `${d.toISOString().slice(0, 13).replace('T', ' ')}:00Z`;
}

export function mount(container, { api, signedOut }) {
  const range = el('select', {}, RANGES.map((r) => el('option', { value: r.id }, r.title)));
  const code = el('input', { type: 'text', inputmode: 'text', autocomplete: 'off', spellcheck: 'false', size: 8,
    placeholder: 'all', pattern: '[0-9A-Fa-f]{4}|unknown' });
  const filters = el('form', { id: 'analysis-form', class: 'filters', novalidate: true },
    field('analysis-range', 'Range', range),
    field('analysis-code', 'Alert code', code, '4 hex digits, or empty for all'),
    el('button', { type: 'submit', id: 'analysis-show' }, 'Show'),
    el('p', { class: 'form-error', role: 'alert' }));
  const state = el('p', { id: 'analysis-state', class: 'state', role: 'status' }, 'Loading…');
  const byCode = panel('by-code', 'Alerts by code');
  const byOutcome = panel('by-outcome', 'Alerts by outcome');
  const byModel = panel('by-model', 'Alerts by device model');
  const combined = panel('combined', 'Code × device model × outcome');
  combined.classList.add('wide');
  const ofSelect = el('select', {}, ['hubs', 'devices', 'dmcs'].map((o) => el('option', { value: o },
    o === 'dmcs' ? 'device models' : o)));
  const topForm = el('form', { id: 'top-form', class: 'filters', novalidate: true },
    field('top-of', 'Rank', ofSelect), el('button', { type: 'submit', id: 'top-show' }, 'Rank'),
    el('p', { class: 'form-error', role: 'alert' }));
  const top = panel('top', 'Top offenders', topForm, el('div', { id: 'top-body' }));
  const register = panel('register', 'Register of device models');
  container.append(el('div', { class: 'page-head' }, el('h1', {}, 'Analysis'), state), filters,
    el('div', { class: 'grid' }, byCode, byOutcome, byModel, top, combined), el('div', { class: 'wide' }, register));
  const controller = new AbortController();

  function failed(e) {
    if (e.name === 'AbortError') return true;
    if (e.status === 401) {
      signedOut();
      return true;
    }
    return false;
  }

  function query() {
    const r = RANGES.find((x) => x.id === range.value) || RANGES[0];
    const to = Date.now();
    const from = to - r.hours * 3600000;
    const params = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    const alertCode = code.value.trim();
    if (alertCode) params.set('alertCode', alertCode);
    return { r, from, to, params };
  }

  function chart(section, title, dimension, q, rows, keyOf, nameCell) {
    const periods = periodsOf(q.from, q.to, q.r.step);
    const series = seriesOf(rows, periods, keyOf);
    const total = series.reduce((sum, s) => sum + s.total, 0);
    refill(section,
      el('p', { class: 'summary' }, `${count(total)} alerts · ${q.r.title.toLowerCase()}, one bar per ${q.r.step === '1d' ? 'day' : 'hour'}`),
      bars(periods.map((p) => when(p, q.r.step)), series, `${title} per ${q.r.step === '1d' ? 'day' : 'hour'}, stacked`),
      el('p', { class: 'legend' }, series.map((s, k) => el('span', { class: `key series-${k}` }, s.name))),
      table(`${title}: totals over the range`, [{ title: dimension },
        { title: 'Alerts', numeric: true }, { title: 'Share', numeric: true }],
      series.map((s) => [nameCell(s.name), count(s.total), `${total ? Math.round((100 * s.total) / total) : 0} %`]),
      'No alert in this range.'));
  }

  async function report(section, title, dimension, by, keyOf, nameCell, q) {
    const params = new URLSearchParams(q.params);
    params.set('by', by);
    params.set('step', q.r.step);
    const answer = await api.get(`/v1/reports/alerts?${params}`, { signal: controller.signal });
    chart(section, title, dimension, q, answer.rows, keyOf, nameCell);
  }

  async function combinations(q) {
    const params = new URLSearchParams(q.params);
    params.set('by', 'alertCode,dmc,outcome');
    params.set('step', q.r.step);
    const answer = await api.get(`/v1/reports/alerts?${params}`, { signal: controller.signal });
    const totals = new Map();
    for (const r of answer.rows) {
      const key = `${r.alertCode}\u0000${dmcName(r.dmc)}\u0000${r.outcome}`;
      const t = totals.get(key) || { code: r.alertCode, dmc: dmcName(r.dmc), outcome: r.outcome, count: 0, hubs: 0 };
      t.count += r.count;
      t.hubs = Math.max(t.hubs, r.hubs);
      totals.set(key, t);
    }
    const all = [...totals.values()].sort((a, b) => b.count - a.count);
    refill(combined,
      el('p', { class: 'summary' }, all.length > COMBINATIONS_SHOWN
        ? `The ${COMBINATIONS_SHOWN} largest of ${count(all.length)} combinations` : `${count(all.length)} combinations`),
      table('Alerts by code, device model and outcome over the range', [{ title: 'Code' }, { title: 'Device model' },
        { title: 'Outcome' }, { title: 'Alerts', numeric: true }, { title: 'Hubs (most in a period)', numeric: true }],
      all.slice(0, COMBINATIONS_SHOWN).map((t) => [el('code', {}, t.code), t.dmc, t.outcome, count(t.count), count(t.hubs)]),
      'No alert in this range.'));
  }

  async function offenders() {
    const q = query();
    const params = new URLSearchParams(q.params);
    params.set('of', ofSelect.value);
    params.set('limit', '10');
    const body = top.querySelector('#top-body');
    try {
      clearProblem(topForm);
      const answer = await api.get(`/v1/reports/top?${params}`, { signal: controller.signal });
      const bound = (r) => (r.lowerBound === undefined ? 'exact' : `${count(r.lowerBound)} – ${count(r.upperBound)}`);
      let columns;
      let rows;
      if (answer.of === 'dmcs') {
        columns = [{ title: 'Device model' }, { title: 'Alerts', numeric: true }, { title: 'Hubs', numeric: true },
          { title: 'Devices', numeric: true }];
        rows = answer.rows.map((r) => [dmcName(r.dmc), count(r.count), count(r.hubs), count(r.devices)]);
      } else {
        const id = answer.of === 'hubs' ? 'hubId' : 'deviceId';
        columns = [{ title: answer.of === 'hubs' ? 'Hub' : 'Device' }, { title: 'Alerts', numeric: true },
          { title: 'True count between', numeric: true }];
        rows = answer.rows.map((r) => [el('code', { class: 'hub' }, r[id]), count(r.count), bound(r)]);
      }
      body.replaceChildren(
        el('p', { class: 'summary', id: 'top-bounds' }, answer.approximate
          ? `Estimates: each count is at most ${count(answer.maximumError)} off; the bounds hold the true count.`
          : 'Exact counts.'),
        table(`Top ${answer.of} by alerts`, columns, rows, 'No alert in this range.'));
    } catch (e) {
      if (failed(e)) return;
      showProblem(topForm, e, { of: 'top-of', alertCode: 'analysis-code' });
      body.replaceChildren();
    }
  }

  function evidence(entry) {
    const ev = entry.evidence || {};
    const ratio = ev.rateRatio === undefined || ev.rateRatio === null ? '–'
      : `${Number(ev.rateRatio).toFixed(1)}× (at least ${Number(ev.rateRatioLowerBound).toFixed(1)}×)`;
    const p = ev.pValue === undefined || ev.pValue === null ? '–'
      : `${Number(ev.pValue).toPrecision(2)} (adjusted ${Number(ev.adjustedPValue).toPrecision(2)})`;
    const notes = entry.annotations || [];
    return [dmcName(entry.dmc), el('code', {}, entry.alertCode), el('span', { class: `status ${entry.status}` }, entry.status),
      `${count(entry.devicesStormed)} of ${count(entry.devicesSeen)}`, count(entry.alerts),
      entry.alertsPerDeviceDay === undefined ? '–' : Number(entry.alertsPerDeviceDay).toFixed(2), ratio, p,
      notes.length ? el('details', {}, el('summary', {}, `${notes.length} note${notes.length === 1 ? '' : 's'}`),
        el('ul', {}, notes.map((n) => el('li', {}, `${n.at} · ${n.by}: ${n.text}`)))) : '–'];
  }

  async function loadRegister() {
    try {
      // The node lists them in the register's order and says how many there are: only what is shown is asked for.
      const r = await api.get(`/v1/register/dmcs?limit=${REGISTER_SHOWN}`, { signal: controller.signal });
      const m = r.method || {};
      const fdr = m.falseDiscoveryRate || {};
      const entries = [...(r.entries || [])].sort((a, b) => (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3)
        || ((a.evidence || {}).adjustedPValue ?? 1) - ((b.evidence || {}).adjustedPValue ?? 1));
      refill(register,
        el('p', { class: 'summary', id: 'register-method' }, `Computed ${r.computedAt} over ${r.window.from} – ${r.window.to}`
          + ` · ${m.test} test, ${m.correction} correction: suspected at a false discovery rate of ${fdr.suspected},`
          + ` confirmed at ${fdr.confirmed}; at least ${m.minRateRatio}× the rate of other models and ${m.minDevices} devices`),
        (r.total ?? entries.length) > entries.length ? el('p', { class: 'summary' }, `The first ${count(entries.length)} of ${count(r.total)}`
          + ' entries (confirmed and suspected first)') : null,
        table('Device models and alert codes with the evidence for their status', [{ title: 'Device model' },
          { title: 'Code' }, { title: 'Status' }, { title: 'Devices stormed', numeric: true }, { title: 'Alerts', numeric: true },
          { title: 'Alerts per device-day', numeric: true }, { title: 'Rate ratio', numeric: true },
          { title: 'p-value', numeric: true }, { title: 'Notes' }],
        entries.slice(0, REGISTER_SHOWN).map(evidence), 'No device model in the register yet.'));
    } catch (e) {
      if (failed(e)) return;
      refill(register, e.status === 404
        ? el('p', { class: 'state', id: 'register-state' }, 'Register not available: this node has no register of device'
          + ' models (GET /v1/register/dmcs answered 404).')
        : el('p', { class: 'state bad', id: 'register-state' }, `The register could not be read: ${e.message}`));
    }
  }

  async function load() {
    clearProblem(filters);
    const q = query();
    state.textContent = 'Loading…';
    state.className = 'state';
    try {
      await Promise.all([
        report(byCode, 'Alerts by code', 'Code', 'alertCode', (r) => r.alertCode, (n) => el('code', {}, n), q),
        report(byOutcome, 'Alerts by outcome', 'Outcome', 'outcome', (r) => r.outcome, (n) => n, q),
        report(byModel, 'Alerts by device model', 'Device model', 'dmc', (r) => dmcName(r.dmc), (n) => n, q),
        combinations(q),
      ]);
      state.textContent = `${q.r.title} · to ${new Date(q.to).toLocaleTimeString()}${code.value.trim() ? ` · code ${code.value.trim().toUpperCase()}` : ''}`;
      state.className = 'state ok';
    } catch (e) {
      if (failed(e)) return;
      state.textContent = e.status === 503 ? shown(`The reports cannot answer: ${e.message}`) : 'The reports could not be read.';
      state.className = 'state bad';
      if (e.status === 400) showProblem(filters, e, { alertCode: 'analysis-code', from: 'analysis-range', to: 'analysis-range' });
      return;
    }
    await offenders();
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  topForm.addEventListener('submit', (event) => {
    event.preventDefault();
    offenders();
  });
  load();
  loadRegister();
  return () => controller.abort();
}
