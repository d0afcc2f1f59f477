// Live: what the node is doing now, from GET /v1/live (one server-aggregated update a second, lists cut short on
// the server), so the page costs the same in a storm of 50,000 alerts a second as on a quiet day.
import { el, panel, refill, table } from '../layout.js';
import { bytes, count, since } from '../format.js';
import { lines } from '../chart.js';

const HISTORY = 60;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;

function many(n, one, other) {
  return `${count(n)} ${n === 1 ? one : other}`;
}

function term(name, label, value) {
  return el('span', { class: 'term' }, el('data', { 'data-term': name, value }, count(value)), el('span', { class: 'label' }, label));
}

function figure(label, value, name) {
  return el('div', { class: 'figure' }, el('span', { class: 'label' }, label),
    el('data', { 'data-figure': name, value: typeof value === 'number' ? value : null }, value));
}

export function mount(container, { api, signedOut }) {
  const state = el('p', { id: 'live-state', class: 'state', role: 'status' }, 'Connecting…');
  const rates = panel('rates', 'Rates');
  const storms = panel('storms', 'Storms in progress');
  const hubs = panel('top-hubs', 'Hubs with the most consolidated alerts');
  const bursts = panel('bursts', 'Regional bursts');
  const outbox = panel('link', 'Outbox and upstream link');
  const cluster = panel('cluster', 'Cluster');
  const accounting = panel('accounting', 'Accounting');
  container.append(el('div', { class: 'page-head' }, el('h1', {}, 'Live'), state),
    el('div', { class: 'grid' }, storms, hubs, bursts, rates, outbox, cluster, accounting));
  const history = { received: [], delivered: [] };
  const controller = new AbortController();
  let retry = RETRY_FIRST_MS;
  let stopped = false;
  // What the stream has cost this page since it opened: shown, and read by the storm test (data-* attributes).
  const received = { bytes: 0, updates: 0, largest: 0, since: performance.now() };

  function draw(u) {
    received.updates += 1;
    const seconds = Math.max(1, (performance.now() - received.since) / 1000);
    state.textContent = `Live · ${u.node.region} / ${u.node.nodeId} · updated ${new Date(u.at).toLocaleTimeString()}`
      + ` · ${bytes(received.bytes / seconds)}/s from the node`;
    state.className = 'state ok';
    state.dataset.streamBytes = received.bytes;
    state.dataset.streamUpdates = received.updates;
    state.dataset.streamLargest = received.largest;
    history.received.push(u.rates.receivedPerSecond);
    history.delivered.push(u.rates.eventsDeliveredPerSecond);
    if (history.received.length > HISTORY) history.received.shift();
    if (history.delivered.length > HISTORY) history.delivered.shift();

    refill(storms,
      el('p', { class: 'summary' }, `${many(u.storms.hubsInStorm, 'hub', 'hubs')} in storm on ${many(u.storms.codesInStorm, 'code', 'codes')}`,
        ` · ${count(u.storms.stormsStarted)} started, ${count(u.storms.stormsEnded)} ended since start`),
      table('Storms in progress by alert code', [{ title: 'Code' }, { title: 'Hubs in storm', numeric: true },
        { title: 'Consolidated', numeric: true }],
      u.storms.codes.map((c) => [el('code', {}, c.alertCode), count(c.hubs), count(c.consolidated)]), 'No storm now.'));
    refill(hubs, table('Hubs with the most consolidated alerts in their open storms',
      [{ title: 'Hub' }, { title: 'Consolidated', numeric: true }, { title: 'Codes' }],
      u.topHubs.map((h) => [el('code', { class: 'hub' }, h.hubId), count(h.consolidated), h.alertCodes.join(' ')]),
      'No hub in storm.'));
    refill(bursts,
      el('p', { class: 'summary' }, `${many(u.bursts.bursting, 'code', 'codes')} bursting across the region`),
      table('Regional bursts by code', [{ title: 'Code' }, { title: 'For' }, { title: 'Grouped', numeric: true }],
        u.bursts.codes.map((b) => [el('code', {}, b.alertCode), since(b.startedAt), count(b.grouped)]), 'No regional burst.'));
    refill(rates,
      el('div', { class: 'figures' },
        figure('Alerts in /s', count(u.rates.receivedPerSecond), 'receivedPerSecond'),
        figure('Forwarded /s', count(u.rates.forwardedPerSecond), 'forwardedPerSecond'),
        figure('Events queued /s', count(u.rates.eventsQueuedPerSecond), 'eventsQueuedPerSecond'),
        figure('Events delivered /s', count(u.rates.eventsDeliveredPerSecond), 'eventsDeliveredPerSecond')),
      lines([{ values: history.received, className: 'in' }, { values: history.delivered, className: 'out' }],
        `Alerts in and events delivered per second over the last ${history.received.length} updates`),
      el('p', { class: 'legend' }, el('span', { class: 'key in' }, 'alerts in'), ' ', el('span', { class: 'key out' }, 'events delivered')));
    const o = u.outbox;
    const up = u.upstream;
    refill(outbox,
      el('div', { class: 'figures' },
        figure('Upstream', up.upstreamConnected ? 'connected' : 'DISCONNECTED', 'upstreamConnected'),
        figure('Outbox', `${count(o.outboxDepth)} / ${count(o.outboxCapacity)}`, 'outboxDepth'),
        figure('Outbox bytes', bytes(o.outboxBytes), 'outboxBytes'),
        figure('Back-pressure', o.backPressure ? 'ON' : 'off', 'backPressure')),
      el('label', { for: 'outbox-meter', class: 'label' }, 'Outbox fill'),
      el('meter', { id: 'outbox-meter', min: 0, max: o.outboxCapacity, high: Math.floor(o.outboxCapacity * 0.8),
        value: o.outboxDepth }, `${count(o.outboxDepth)}`),
      el('p', { class: 'summary' }, `${up.upstream} · events queued ${count(up.events.queued)}, delivered ${count(up.events.delivered)},`
        + ` resent ${count(up.events.resent)} · connections lost ${count(up.upstreamConnectionsLost)}`
        + ` · dead-lettered ${count(up.deadLettered)} · acks pending ${count(o.acksPending)}`));
    const q = u.cluster.quorum;
    refill(cluster,
      el('div', { class: 'figures' }, figure('Members', count(u.cluster.members), 'members'),
        figure('Quorum', q ? `${q.present ? 'yes' : 'NO'} (${q.required} needed)` : '–', 'quorum')),
      el('ul', { class: 'members' }, u.cluster.addresses.map((a) => el('li', {}, el('code', {}, a)))));
    const a = u.accounting;
    refill(accounting,
      el('p', { class: 'equation' }, term('received', 'received', a.received), ' = ',
        term('forwarded', 'forwarded', a.forwarded), ' + ', term('consolidated', 'consolidated', a.consolidated), ' + ',
        term('grouped', 'grouped', a.grouped), ' + ', term('silenced', 'silenced', a.silenced), ' + ',
        term('inhibited', 'inhibited', a.inhibited), ' + ', term('duplicates', 'duplicates', a.duplicates), ' + ',
        term('rejected', 'rejected', a.rejected), ' + ', term('inProgress', 'in progress', a.inProgress)),
      el('p', { class: 'summary' }, 'Upstream, the DSP checks sum(count) + duplicates + rejected = alerts sent'
        + ' (csp-edge-node verify); consolidated, grouped, silenced and inhibited alerts reach it in summaries and groups.'));
  }

  async function listen() {
    while (!stopped) {
      try {
        await api.stream('/v1/live', (name, data) => {
          if (name !== 'update') return;
          retry = RETRY_FIRST_MS;
          received.largest = Math.max(received.largest, data.length);
          draw(JSON.parse(data));
        }, controller.signal, (n) => { received.bytes += n; });
      } catch (e) {
        if (stopped) return;
        if (e.status === 401) {
          signedOut();
          return;
        }
        state.textContent = e.status === 503 ? `The node has too many live viewers; trying again in ${retry / 1000} s`
          : `Connection lost; trying again in ${retry / 1000} s`;
        state.className = 'state bad';
      }
      if (stopped) return;
      await new Promise((r) => setTimeout(r, retry));
      retry = Math.min(RETRY_MAX_MS, retry * 2);
    }
  }

  listen();
  return () => {
    stopped = true;
    controller.abort();
  };
}
