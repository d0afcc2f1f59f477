// Control: the policy in force with its history and each version's diff, a preview of a proposed policy on recent
// traffic, the inhibition rules (part of the policy), and the silences. Everything through the public API:
// GET/PUT /v1/policy, /history, /rollback, /preview, GET/POST/DELETE /v1/silences. Only the admin role sees the
// controls that change the node (the API refuses the client role anyway); a refusal shows next to what it names.
import { el, panel, refill, shown, table } from '../layout.js';
import { count } from '../format.js';
import { clearProblem, field, showProblem } from '../forms.js';

/** The fields GET /v1/policy adds to the document about its version: not part of what PUT takes. */
const VERSION_FIELDS = ['version', 'changedAt', 'changedBy', 'comment', 'origin', 'origins', 'fileDiffers'];
const SILENCE_MATCHERS = [
  ['alertCode', 'Alert code', 'e.g. 8F3E or 8F*'],
  ['hubId', 'Hub', 'e.g. 00-1B-C5-0C-00-00-50-01'],
  ['deviceId', 'Device', null],
  ['dmc.manufacturer', 'Manufacturer', null],
  ['dmc.model', 'Model', null],
  ['dmc.firmware', 'Firmware', null],
];
const SILENCE_FOR = [['15m', '15 minutes', 15], ['1h', '1 hour', 60], ['4h', '4 hours', 240], ['1d', '1 day', 1440],
  ['7d', '7 days', 10080]];
const SILENCES_REFRESH_MS = 5000;

function value(v) {
  return v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A version's changes, leaf by leaf (PolicyDiff): path, from, to. */
function diffTable(caption, diff) {
  return table(caption, [{ title: 'Setting' }, { title: 'From' }, { title: 'To' }],
    diff.map((d) => [el('code', {}, d.path), d.from === null || d.from === undefined ? 'added' : el('code', {}, value(d.from)),
      d.to === null || d.to === undefined ? 'removed' : el('code', {}, value(d.to))]), 'No change.');
}

function sideBySide(caption, first, current, proposed) {
  const keys = [...new Set([...Object.keys(current || {}), ...Object.keys(proposed || {})])].sort();
  return table(caption, [{ title: first }, { title: 'Now', numeric: true }, { title: 'Proposed', numeric: true },
    { title: 'Change', numeric: true }],
  keys.map((k) => {
    const a = (current || {})[k] || 0;
    const b = (proposed || {})[k] || 0;
    return [k, count(a), count(b), b === a ? '=' : `${b > a ? '+' : ''}${count(b - a)}`];
  }), 'Nothing.');
}

export function mount(container, { api, caller, signedOut }) {
  const admin = caller.role === 'admin';
  const controller = new AbortController();
  const state = el('p', { id: 'control-state', class: 'state', role: 'status' }, 'Loading…');
  const policy = panel('policy', 'Policy in force');
  policy.classList.add('wide');
  const result = el('section', { id: 'policy-result', class: 'panel wide', 'aria-live': 'polite', hidden: true });
  const history = panel('history', 'Policy history');
  const inhibitions = panel('inhibitions', 'Inhibition rules');
  const silences = panel('silences', 'Silences');
  silences.classList.add('wide');
  container.append(el('div', { class: 'page-head' }, el('h1', {}, 'Control'), state),
    ...(admin ? [] : [el('p', { class: 'note', id: 'read-only' }, 'You are signed in with the client role: you can read'
      + ' the policy and the silences; changing them needs an admin token.')]),
    el('div', { class: 'grid' }, policy, result, silences, history, inhibitions));

  const documentInput = el('textarea', { rows: 18, spellcheck: 'false', class: 'code', readonly: admin ? null : true });
  const commentInput = el('input', { type: 'text', autocomplete: 'off', maxlength: 1024 });
  const policyForm = el('form', { id: 'policy-form', novalidate: true },
    field('policy-document', 'Policy document (JSON, as the configuration\'s policy section)', documentInput,
      'Inhibition rules are its inhibitions; codes, dmcs and defaults hold the storm rules.'),
    admin ? field('policy-comment', 'Why (kept in the history)', commentInput) : null,
    admin ? el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'policy-preview' }, 'Preview on recent traffic'),
      el('button', { type: 'submit', id: 'policy-apply', class: 'primary' }, 'Apply')) : null,
    el('p', { class: 'form-error', role: 'alert' }));
  const policyFields = { '/policy': 'policy-document', policy: 'policy-document', '/comment': 'policy-comment' };
  let inForce = null;

  function failed(e) {
    if (e.name === 'AbortError') return true;
    if (e.status === 401) {
      signedOut();
      return true;
    }
    return false;
  }

  function documentOf(p) {
    const copy = { ...p };
    for (const k of VERSION_FIELDS) delete copy[k];
    return copy;
  }

  function showResult(title, ...children) {
    result.replaceChildren(el('h2', { id: 'policy-result-title' }, title), ...children);
    result.setAttribute('aria-labelledby', 'policy-result-title');
    result.hidden = false;
  }

  async function loadPolicy() {
    const p = await api.get('/v1/policy', { signal: controller.signal });
    inForce = p;
    const changed = Object.entries(p.origins || {}).filter(([, o]) => o === 'api').map(([k]) => k);
    documentInput.value = JSON.stringify(documentOf(p), null, 2);
    refill(policy,
      el('p', { class: 'summary', id: 'policy-version' }, `Version ${p.version} · ${p.changedBy} · ${new Date(p.changedAt).toLocaleString()}`
        + `${p.comment ? ` · “${p.comment}”` : ''} · from ${p.origin === 'api' ? 'the API' : 'the configuration file'}`),
      el('p', { class: 'summary' }, changed.length ? `Set through the API, differing from the file: ${changed.join(', ')}`
        : 'Every rule as the configuration file sets it.'),
      p.fileDiffers ? el('p', { class: 'summary warn' }, 'The configuration file on disk differs from the policy in force.') : null,
      policyForm);
    refill(inhibitions,
      el('p', { class: 'summary' }, 'A source alert holds its targets for the duration (on its hub, or the region); '
        + 'edit them in the policy document\'s inhibitions.'),
      table('Inhibition rules of the policy in force', [{ title: 'Rule' }, { title: 'Source codes' }, { title: 'Target codes' },
        { title: 'Scope' }, { title: 'For' }],
      (p.inhibitions || []).map((r) => [r.name, el('code', {}, r.sourceCodes.join(' ')), el('code', {}, r.targetCodes.join(' ')),
        r.scope, r.duration]), 'No inhibition rule.'));
  }

  async function loadHistory() {
    const h = await api.get('/v1/policy/history', { signal: controller.signal });
    const versions = [...h.versions].sort((a, b) => b.version - a.version);
    refill(history, el('ul', { class: 'versions' }, versions.map((v) => el('li', { id: `version-${v.version}` },
      el('details', { open: inForce && v.version === inForce.version && v.diff.length ? true : null },
        el('summary', {}, `Version ${v.version} · ${v.changedBy} · ${new Date(v.changedAt).toLocaleString()}`
          + `${v.comment ? ` · “${v.comment}”` : ''} · ${v.diff.length} change${v.diff.length === 1 ? '' : 's'}`
          + `${inForce && v.version === inForce.version ? ' · in force' : ''}`),
        diffTable(`Changes of version ${v.version} from the version before`, v.diff),
        admin && inForce && v.version !== inForce.version
          ? el('button', { type: 'button', class: 'rollback', 'data-version': v.version }, `Restore version ${v.version}`) : null)))));
  }

  async function refreshPolicy() {
    await loadPolicy();
    await loadHistory();
  }

  /** The document typed into the form, or undefined (the form then says why) when it is not JSON. */
  function proposedPolicy() {
    try {
      return JSON.parse(documentInput.value);
    } catch (e) {
      showProblem(policyForm, { message: 'The policy is not valid JSON; nothing was sent.', problem: {
        errors: [{ pointer: '/policy', detail: e.message }] } }, policyFields);
      return undefined;
    }
  }

  async function apply() {
    clearProblem(policyForm);
    const document = proposedPolicy();
    if (document === undefined) return;
    try {
      const made = await api.send('PUT', '/v1/policy', { policy: document, comment: commentInput.value });
      commentInput.value = '';
      showResult(`Version ${made.version} in force`, el('p', { class: 'summary' }, `${made.changedBy} · ${made.diff.length} change(s)`),
        diffTable(`What version ${made.version} changed`, made.diff));
      await refreshPolicy();
    } catch (e) {
      if (!failed(e)) showProblem(policyForm, e, policyFields);
    }
  }

  async function preview() {
    clearProblem(policyForm);
    const document = proposedPolicy();
    if (document === undefined) return;
    showResult('Preview', el('p', { class: 'state', role: 'status' }, 'Replaying recent traffic…'));
    try {
      const p = await api.send('POST', '/v1/policy/preview', { policy: document });
      showResult('Preview on recent traffic',
        el('p', { class: 'summary' }, `${count(p.alertsReplayed)} of ${count(p.alertsSeen)} alerts this member decided`
          + ` between ${p.window.from} and ${p.window.to}. ${p.approximation || ''}`),
        sideBySide('Verdicts now and with the proposed policy', 'Verdict', p.current.verdicts, p.proposed.verdicts),
        sideBySide('Events upstream now and with the proposed policy', 'Event', p.current.events, p.proposed.events),
        sideBySide('Hub storms started per code', 'Storms of', p.current.storms, p.proposed.storms));
    } catch (e) {
      if (failed(e)) return;
      result.hidden = true;
      showProblem(policyForm, e, policyFields);
    }
  }

  async function rollback(version) {
    try {
      const made = await api.send('POST', '/v1/policy/rollback', { version, comment: commentInput.value || `restored from the console` });
      showResult(`Version ${version} restored as version ${made.version}`, diffTable(`What restoring version ${version} changed`, made.diff));
      await refreshPolicy();
    } catch (e) {
      if (failed(e)) return;
      showResult('Not restored', el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  // Silences.
  const matcherInputs = SILENCE_MATCHERS.map(([name]) => [name, el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' })]);
  const forSelect = el('select', {}, SILENCE_FOR.map(([v, title]) => el('option', { value: v, selected: v === '1h' ? true : null }, title)));
  const silenceComment = el('input', { type: 'text', autocomplete: 'off', maxlength: 1024 });
  const fieldId = (name) => `silence-${name.replace('.', '-')}`;
  const silenceForm = el('form', { id: 'silence-form', class: 'filters', novalidate: true },
    el('p', { class: 'hint' }, 'Holds every alert that matches all the matchers given (* for any run of characters) into'
      + ' one summary per hub, code and period, with reason silenced.'),
    matcherInputs.map(([name, input], i) => field(fieldId(name), SILENCE_MATCHERS[i][1], input, SILENCE_MATCHERS[i][2])),
    field('silence-for', 'For', forSelect), field('silence-comment', 'Why', silenceComment),
    el('button', { type: 'submit', id: 'silence-create', class: 'primary' }, 'Silence'),
    el('p', { class: 'form-error', role: 'alert' }));
  const silenceFields = { '/matchers': fieldId(SILENCE_MATCHERS[0][0]), '/endsAt': 'silence-for', '/startsAt': 'silence-for',
    '/comment': 'silence-comment' };
  for (const [name] of SILENCE_MATCHERS) silenceFields[`/matchers/${name}`] = fieldId(name);
  const silenceList = el('div', { id: 'silence-list' });
  refill(silences, admin ? silenceForm : null, silenceList);

  async function loadSilences() {
    const s = await api.get('/v1/silences', { signal: controller.signal });
    const order = { active: 0, pending: 1, expired: 2 };
    const all = [...s.silences].sort((a, b) => order[a.status] - order[b.status] || b.createdAt.localeCompare(a.createdAt));
    silenceList.replaceChildren(table('Silences with what each held', [{ title: 'Matchers' }, { title: 'Status' },
      { title: 'Held', numeric: true }, { title: 'Until' }, { title: 'By' }, { title: 'Why' }, { title: '' }],
    all.map((x) => [el('code', { class: 'hub' }, Object.entries(x.matchers).map(([k, v]) => `${k}=${v}`).join(' ')),
      el('span', { class: `status ${x.status}` }, x.status + (x.matchedNothingInFirstHour ? ' · held nothing in its first hour' : '')),
      el('data', { value: x.held, 'data-silence': x.id }, count(x.held)), new Date(x.endsAt).toLocaleString(),
      x.expiredBy ? `${x.createdBy}, expired by ${x.expiredBy}` : x.createdBy, x.comment || '',
      admin && x.status !== 'expired' ? el('button', { type: 'button', class: 'expire', 'data-id': x.id }, 'Expire') : '']),
    'No silence.'));
  }

  async function createSilence() {
    clearProblem(silenceForm);
    const matchers = {};
    for (const [name, input] of matcherInputs) if (input.value.trim()) matchers[name] = input.value.trim();
    const minutes = SILENCE_FOR.find(([v]) => v === forSelect.value)[2];
    const body = { matchers, endsAt: new Date(Date.now() + minutes * 60000).toISOString() };
    if (silenceComment.value.trim()) body.comment = silenceComment.value.trim();
    try {
      const made = await api.send('POST', '/v1/silences', body);
      for (const [, input] of matcherInputs) input.value = '';
      silenceComment.value = '';
      silenceForm.querySelector('.form-error').textContent = '';
      state.textContent = `Silence ${made.id} created, ${made.status}`;
      await loadSilences();
    } catch (e) {
      if (!failed(e)) showProblem(silenceForm, e, silenceFields);
    }
  }

  async function expire(id) {
    try {
      await api.send('DELETE', `/v1/silences/${encodeURIComponent(id)}`);
      state.textContent = `Silence ${id} expired`;
      await loadSilences();
    } catch (e) {
      if (!failed(e)) state.textContent = shown(`Silence ${id} not expired: ${e.message}`);
    }
  }

  policyForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (admin) apply();
  });
  policyForm.addEventListener('click', (event) => {
    if (event.target.id === 'policy-preview') preview();
  });
  history.addEventListener('click', (event) => {
    const v = event.target.dataset && event.target.dataset.version;
    if (v) rollback(Number(v));
  });
  silenceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    createSilence();
  });
  silenceList.addEventListener('click', (event) => {
    const id = event.target.dataset && event.target.dataset.id;
    if (id) expire(id);
  });

  // Since when the node could not be read (null while it can): what the page shows is older than that.
  let unreadSince = null;
  let policyRead = false;

  function upToDate() {
    unreadSince = null;
    state.textContent = 'Up to date';
    state.className = 'state ok';
  }

  function unread(e) {
    if (failed(e)) return;
    unreadSince = unreadSince || new Date();
    state.textContent = shown(`The node could not be read: ${e.message} · what is shown was read before`
      + ` ${unreadSince.toLocaleTimeString()}; trying again every ${SILENCES_REFRESH_MS / 1000} s`);
    state.className = 'state bad';
  }

  async function start() {
    try {
      await refreshPolicy();
      policyRead = true;
      await loadSilences();
      upToDate();
    } catch (e) {
      unread(e);
    }
  }

  start();
  // What each silence held grows as alerts match it: the list is read again while the page is open. A failed read
  // is said at once (the list would otherwise look current), and the next good one clears it.
  const timer = setInterval(() => {
    if (silenceList.contains(document.activeElement)) return; // not under a keyboard user's focus
    if (!policyRead) {
      start();
      return;
    }
    loadSilences().then(() => { if (unreadSince) upToDate(); }, unread);
  }, SILENCES_REFRESH_MS);
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
