// Aviary dashboard: a small ES-module application over the public /api/v1 API. Every value from the
// server reaches the page through textContent or attributes set one by one, never as HTML, so data
// cannot become markup; the Content-Security-Policy forbids inline scripts and styles besides.

const main = document.getElementById('main');
const PHASES = ['PENDING', 'PROGRESSING', 'PAUSED', 'SUCCEEDED', 'ROLLING_BACK', 'ROLLED_BACK', 'ABORTED', 'FAILED'];
const TERMINAL = new Set(['SUCCEEDED', 'ROLLED_BACK', 'ABORTED', 'FAILED']);

let session = null;
let leaving = [];

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = { detail: text };
    }
  }
  if (response.status === 401 && path !== '/api/v1/session') {
    session = null;
    navigate('/sign-in?next=' + encodeURIComponent(location.pathname + location.search), true);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Builds an element: h('a', {href: '/x', class: 'c'}, 'text', child). Text is always text. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function link(href, ...children) {
  return h('a', { href, 'data-link': true }, ...children);
}

function show(...nodes) {
  main.replaceChildren(...nodes);
}

function problemText(e) {
  if (!(e instanceof ApiError)) return String(e.message || e);
  const errors = (e.problem.errors || []).map((x) => `${x.field}: ${x.message}`);
  return [e.message, ...errors].join(' — ');
}

function alertBox(text) {
  return h('div', { class: 'alert', role: 'alert' }, text);
}

function can(role) {
  return !!session && session.roles.includes(role);
}

function shortId(id) {
  return String(id).slice(0, 8);
}

function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 90) return `${Math.round(s)} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function phaseBadge(phase) {
  return h('span', { class: `badge phase-${phase}` }, phase.replace('_', ' ').toLowerCase());
}

function weightCell(weight) {
  return h(
    'div',
    { class: 'weight' },
    h('div', { class: 'bar', role: 'img', 'aria-label': `canary weight ${weight} %` }, h('span', { 'data-width': weight })),
    h('span', {}, `${weight} %`),
  );
}

// Widths of weight bars are set through the CSSOM (allowed by the CSP), not inline style attributes.
function applyWidths(root) {
  for (const el of root.querySelectorAll('[data-width]')) el.style.width = `${el.dataset.width}%`;
}

function onLeave(f) {
  leaving.push(f);
}

function navigate(path, replace) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

/** A live connection that says how it is doing, and is closed when the view is left. */
function live(url, handlers, indicator) {
  const source = new EventSource(url);
  for (const [name, f] of Object.entries(handlers)) source.addEventListener(name, f);
  source.onopen = () => {
    indicator.textContent = 'Live';
    indicator.classList.remove('off');
  };
  source.onerror = () => {
    indicator.textContent = source.readyState === EventSource.CLOSED ? 'Not live' : 'Reconnecting…';
    indicator.classList.add('off');
  };
  onLeave(() => source.close());
  return source;
}

function debounce(f, ms) {
  let t = null;
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

// ---------------------------------------------------------------------------------------- routes

async function route() {
  for (const f of leaving) f();
  leaving = [];
  const path = location.pathname;
  if (path !== '/sign-in' && !session) {
    try {
      session = await api('GET', '/api/v1/session');
    } catch (e) {
      navigate('/sign-in?next=' + encodeURIComponent(path + location.search), true);
      return;
    }
  }
  header();
  const params = new URLSearchParams(location.search);
  let m;
  try {
    if (path === '/sign-in') await signInView(params);
    else if (path === '/' || path === '/rollouts') await rolloutsView(params);
    else if ((m = path.match(/^\/rollouts\/([0-9a-fA-F-]{36})$/))) await rolloutView(m[1]);
    else if ((m = path.match(/^\/approvals\/([A-Za-z0-9_-]{43})$/))) await approvalLinkView(m[1]);
    else if (path === '/plans') await plansView(params);
    else if ((m = path.match(/^\/plans\/([^/]+)$/))) await planView(decodeURIComponent(m[1]), params);
    else if (path === '/tokens') await tokensView();
    else if (path === '/audit') await auditView(params);
    else show(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. '), link('/rollouts', 'All rollouts'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    show(h('h1', {}, 'Something went wrong'), alertBox(problemText(e)));
  }
  main.focus({ preventScroll: true });
}

function header() {
  const who = document.getElementById('who');
  for (const a of document.querySelectorAll('#nav a')) {
    const current = location.pathname === a.getAttribute('href') ||
      (a.getAttribute('href') === '/rollouts' && location.pathname === '/') ||
      location.pathname.startsWith(a.getAttribute('href') + '/');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const li of document.querySelectorAll('.admin-only')) li.hidden = !can('admin');
  if (!session) {
    who.replaceChildren();
    return;
  }
  who.replaceChildren(
    h('span', {}, `${session.actor} · ${session.roles.filter((r) => r !== 'pipeline').join(', ')}`),
    h('button', { type: 'button', id: 'sign-out', onclick: signOut }, 'Sign out'),
  );
}

async function signOut() {
  try {
    await api('DELETE', '/api/v1/session');
  } finally {
    session = null;
    navigate('/sign-in', true);
  }
}

// --------------------------------------------------------------------------------------- sign in

async function signInView(params) {
  document.title = 'Sign in · Aviary';
  const message = h('div', { id: 'sign-in-message', 'aria-live': 'assertive' });
  const token = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true,
    'aria-describedby': 'token-help',
  });
  const form = h(
    'form',
    { class: 'signin panel', novalidate: true },
    h('h1', {}, 'Sign in to Aviary'),
    h('div', { class: 'field' },
      h('label', { for: 'token' }, 'API token'),
      token,
      h('p', { id: 'token-help', class: 'muted' },
        'An Aviary token (avy_…). The controller printed an admin token at its first start; admins issue others with ',
        h('code', {}, 'aviary token create'), '.')),
    message,
    h('button', { type: 'submit', id: 'sign-in' }, 'Sign in'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.replaceChildren();
    try {
      session = await api('POST', '/api/v1/session', { token: token.value });
      token.value = '';
      const next = params.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/rollouts', true);
    } catch (err) {
      message.replaceChildren(alertBox(problemText(err)));
      token.focus();
    }
  });
  session = null;
  header();
  if (params.get('error')) message.replaceChildren(alertBox(params.get('error')));
  show(form);
  const options = await api('GET', '/api/v1/session/options').catch(() => ({ oidc: false }));
  if (options.oidc) {
    const next = params.get('next') || '/rollouts';
    form.append(
      h('p', { class: 'muted' }, 'or'),
      h('a', { class: 'button', id: 'sign-in-oidc', href: `/api/v1/session/oidc?next=${encodeURIComponent(next)}` },
        `Sign in with single sign-on (${new URL(options.issuer).host})`),
    );
  }
}

// -------------------------------------------------------------------------------------- rollouts

async function rolloutsView(params) {
  document.title = 'Rollouts · Aviary';
  const page = Number(params.get('page') || 0);
  const filters = {
    plan: params.get('plan') || '',
    phase: params.get('phase') || '',
    version: params.get('version') || '',
    label: params.get('label') || '',
  };
  const indicator = h('span', { class: 'live off', id: 'live' }, 'Connecting…');
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter rollouts' },
    field('f-plan', 'Plan', h('input', { id: 'f-plan', name: 'plan', value: filters.plan })),
    field('f-phase', 'Phase', h('select', { id: 'f-phase', name: 'phase' },
      h('option', { value: '' }, 'any'),
      PHASES.map((p) => h('option', { value: p, selected: p === filters.phase }, p.replace('_', ' ').toLowerCase())))),
    field('f-version', 'Version', h('input', { id: 'f-version', name: 'version', value: filters.version })),
    field('f-label', 'Label', h('input', { id: 'f-label', name: 'label', value: filters.label, placeholder: 'team=payments' })),
    h('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    navigate('/rollouts' + (q.toString() ? '?' + q : ''));
  });
  const body = h('div', { id: 'rollouts' });
  show(h('div', { class: 'pager' }, h('h1', {}, 'Rollouts'), indicator), form, body);

  async function load() {
    const q = new URLSearchParams({ page, size: 25 });
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    try {
      const result = await api('GET', '/api/v1/rollouts?' + q);
      body.replaceChildren(rolloutTable(result), pager(result, params));
      applyWidths(body);
      performance.mark('aviary:rollouts-shown'); // User Timing: what bench/DashboardPageHarness reads
    } catch (e) {
      body.replaceChildren(alertBox(problemText(e)));
    }
  }
  await load();
  live('/api/v1/rollouts/changes', { change: debounce(load, 300) }, indicator);
}

function field(id, label, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function rolloutTable(result) {
  if (!result.items.length) return h('p', { class: 'muted' }, 'No rollouts match.');
  return h('div', { class: 'table-wrap' }, h('table', { id: 'rollout-table' },
    h('caption', { class: 'muted' }, `${result.totalItems} rollouts, newest first`),
    h('thead', {}, h('tr', {},
      ['Rollout', 'Plan', 'Phase', 'Step', 'Canary weight', 'Last verdict', 'Started'].map((t, i) =>
        h('th', { scope: 'col', class: i >= 5 ? 'hide-narrow' : null }, t)))),
    h('tbody', {}, result.items.map((r) => h('tr', { 'data-rollout': r.id },
      h('td', {}, link(`/rollouts/${r.id}`, shortId(r.id)), r.canary.version ? h('div', { class: 'muted' }, r.canary.version) : null),
      h('td', {}, link(`/plans/${encodeURIComponent(r.plan)}`, r.plan)),
      h('td', { class: 'phase' }, phaseBadge(r.phase)),
      h('td', {}, r.step.number ? `${r.step.number} of ${r.step.total}` : '—', h('div', { class: 'muted' }, r.step.description)),
      h('td', {}, weightCell(r.canaryWeight)),
      h('td', { class: 'hide-narrow' }, r.analysis.lastVerdict ? h('span', { class: `v-${r.analysis.lastVerdict}` }, r.analysis.lastVerdict) : '—'),
      h('td', { class: 'hide-narrow' }, h('time', { datetime: r.createdAt, title: when(r.createdAt) }, age(r.createdAt))),
    )))));
}

function pager(result, params) {
  const at = (p) => {
    const q = new URLSearchParams(params);
    q.set('page', p);
    return location.pathname + '?' + q;
  };
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    result.page > 0 ? link(at(result.page - 1), '← Newer') : null,
    h('span', {}, `Page ${result.page + 1} of ${Math.max(1, result.totalPages)}`),
    result.page + 1 < result.totalPages ? link(at(result.page + 1), 'Older →') : null);
}

// --------------------------------------------------------------------------------------- rollout

const ACTIONS = {
  approve: { label: 'Approve', when: (p, r) => !!r.approval, what: 'The approval step is done and the rollout goes on.', reason: 'optional' },
  reject: { label: 'Reject', when: (p, r) => !!r.approval, what: 'The release is refused: all traffic goes back to the stable version.', danger: true, reason: 'required' },
  pause: { label: 'Pause', when: (p) => p === 'PENDING' || p === 'PROGRESSING', what: 'It holds its current canary weight; analysis goes on.' },
  resume: { label: 'Resume', when: (p) => p === 'PAUSED', what: 'It goes on from where it was paused.' },
  promote: { label: 'Promote step', when: (p) => p === 'PROGRESSING' || p === 'PAUSED', what: 'It skips the current step and moves to the next one.' },
  abort: { label: 'Abort', when: (p) => !TERMINAL.has(p), what: 'All traffic goes back to the stable version at once.', danger: true },
  retry: { label: 'Retry', when: (p) => p === 'ROLLED_BACK' || p === 'ABORTED' || p === 'FAILED', what: 'It starts again from the first step.' },
};

/**
 * Asks before an action. With reason 'optional' or 'required' the dialog asks why, too (a required
 * reason keeps the dialog open until one is given); resolves to { ok, reason }.
 */
function confirmDialog(text, okLabel, danger, reason) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  const field = document.getElementById('confirm-reason-field');
  const input = document.getElementById('confirm-reason');
  field.hidden = !reason;
  input.value = '';
  input.required = reason === 'required';
  document.getElementById('confirm-reason-label').textContent = reason === 'required' ? 'Reason (required)' : 'Reason (optional)';
  const ok = document.getElementById('confirm-ok');
  ok.textContent = okLabel;
  ok.className = danger ? 'danger' : '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve({ ok: dialog.returnValue === 'ok', reason: input.value.trim() }), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    (reason ? input : document.getElementById('confirm-cancel')).focus();
  });
}

// A one-time approval link from a notification: what it answers, and the answer after a last look.
async function approvalLinkView(token) {
  document.title = 'Approval · Aviary';
  const message = h('div', { id: 'link-message', 'aria-live': 'polite' });
  const body = h('section', { id: 'approval-link' });
  show(h('h1', {}, 'Approval'), body, message);
  let l = await api('GET', `/api/v1/approval-links/${token}`);
  const r = l.rollout;
  const a = r.approval;
  const state = {
    open: null,
    used: `This link was used by ${actorText(l.usedBy)} (${l.answer}) ${when(l.usedAt)}: a link answers once.`,
    expired: `This link expired ${when(l.expiresAt)}, with the approval step's deadline.`,
    stale: `The rollout no longer waits for the approval of step ${l.step}: it is ${r.phase.toLowerCase().replace('_', ' ')} at step ${r.step.index + 1}.`,
  }[l.state];
  body.replaceChildren(
    h('p', {}, `Plan `, link(`/plans/${encodeURIComponent(r.plan)}`, r.plan),
      r.canary.version ? ` version ${r.canary.version}` : '', ` — rollout `, link(`/rollouts/${r.id}`, shortId(r.id)),
      ` at ${r.canaryWeight} %, step ${l.step} of ${r.step.total}.`),
    a ? h('p', {}, `It needs the approval of ${a.who}, ${when(a.deadline)} at the latest; without one it will ${a.onTimeout === 'rollback' ? 'roll back' : 'pause'}.`) : null,
    r.reason ? h('p', { class: 'muted' }, r.reason) : null,
  );
  if (state) {
    message.replaceChildren(h('p', { class: 'notice', id: 'link-state' }, state));
    return;
  }
  if (!can('operator')) {
    message.replaceChildren(h('p', { class: 'notice', id: 'link-state' }, `${session.actor} may not answer approvals: it takes an operator or admin.`));
    return;
  }
  const answer = async (action, label, reason, danger) => {
    const got = await confirmDialog(`${label} step ${l.step} of rollout ${shortId(r.id)} (plan ${r.plan})?`, label, danger, reason);
    if (!got.ok) return;
    try {
      const after = await api('POST', `/api/v1/approval-links/${token}/${action}`, got.reason ? { reason: got.reason } : undefined);
      buttons.remove();
      message.replaceChildren(h('p', { class: 'notice', id: 'link-state' }, `${action === 'approve' ? 'Approved' : 'Rejected'}. The rollout is ${after.phase.toLowerCase().replace('_', ' ')}. `, link(`/rollouts/${r.id}`, 'Follow it')));
    } catch (e) {
      message.replaceChildren(alertBox(problemText(e)));
    }
  };
  const buttons = h('p', { class: 'controls' },
    h('button', { type: 'button', id: 'link-approve', onclick: () => answer('approve', 'Approve', 'optional', false) }, 'Approve'),
    h('button', { type: 'button', id: 'link-reject', class: 'danger', onclick: () => answer('reject', 'Reject', 'required', true) }, 'Reject'),
  );
  body.append(buttons);
}

async function rolloutView(id) {
  let rollout = await api('GET', `/api/v1/rollouts/${id}`);
  document.title = `${rollout.plan} ${shortId(id)} · Aviary`;
  const revision = await api('GET', `/api/v1/plans/${encodeURIComponent(rollout.plan)}/revisions/${rollout.planRevision}`)
    .then((r) => r.plan)
    .catch(() => null);
  const indicator = h('span', { class: 'live off', id: 'live' }, 'Connecting…');
  const summary = h('section', { id: 'summary', 'aria-labelledby': 'summary-title' });
  const controls = h('div', { class: 'controls', id: 'controls' });
  const actionMessage = h('div', { 'aria-live': 'polite', id: 'action-message' });
  const steps = h('section', { 'aria-labelledby': 'steps-title' });
  const weightCanvas = h('canvas', { id: 'weight-chart', role: 'img', 'aria-label': 'Canary weight over time' });
  const analysesSection = h('section', { id: 'analyses', 'aria-labelledby': 'analyses-title' });
  const comparisons = h('section', { id: 'comparisons' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  show(
    h('div', { class: 'pager' }, h('h1', {}, `Rollout ${shortId(id)} of `, link(`/plans/${encodeURIComponent(rollout.plan)}`, rollout.plan)), indicator),
    summary, controls, actionMessage, steps,
    h('h2', {}, 'Canary weight'),
    h('div', { class: 'chart' }, weightCanvas),
    analysesSection, comparisons,
    h('h2', { id: 'events-title' }, 'Events'),
    timeline,
  );

  let events = [];
  let analyses = [];
  const charts = new Map();
  onLeave(() => charts.forEach((c) => c.destroy()));

  function drawSummary() {
    const facts = [
      ['Phase', phaseBadge(rollout.phase)],
      ['Step', rollout.step.number ? `${rollout.step.number} of ${rollout.step.total}: ${rollout.step.description}` : rollout.step.description],
      ['Canary weight', weightCell(rollout.canaryWeight)],
      ['Version', Object.entries(rollout.canary).map(([k, v]) => `${k}=${v}`).join(', ') || '—'],
      ['Started', `${when(rollout.createdAt)} by ${rollout.createdBy}`],
    ];
    if (rollout.waitingFor) facts.push(['Waiting for', rollout.waitingFor]);
    if (rollout.hold) facts.push(['Held', rollout.hold]);
    if (rollout.approval) facts.push(['Approval', `by ${rollout.approval.who}, until ${when(rollout.approval.deadline)}, then ${rollout.approval.onTimeout}`]);
    if (rollout.rollbackCause) facts.push(['Rollback cause', rollout.rollbackCause]);
    summary.replaceChildren(
      h('h2', { id: 'summary-title', class: 'visually-hidden' }, 'Summary'),
      rollout.reason ? h('p', { class: `reason ${TERMINAL.has(rollout.phase) && rollout.phase !== 'SUCCEEDED' ? 'alert' : 'notice'}`, id: 'reason' }, rollout.reason) : null,
      h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    );
    applyWidths(summary);
    // the buttons are only redrawn when what may be done changes: a live update never swaps a
    // button out from under a pointer or the keyboard focus
    const may = `${rollout.phase} ${rollout.approval ? 'approval' : ''}`;
    if (controls.dataset.may === may) return;
    controls.dataset.may = may;
    controls.replaceChildren();
    if (can('operator')) {
      for (const [action, a] of Object.entries(ACTIONS)) {
        if (!a.when(rollout.phase, rollout)) continue;
        controls.append(h('button', {
          type: 'button', id: `action-${action}`, class: a.danger ? 'danger' : 'secondary',
          onclick: () => act(action, a),
        }, a.label));
      }
    }
  }

  async function act(action, a) {
    const answer = await confirmDialog(
      `${a.label} rollout ${shortId(id)} of plan ${rollout.plan}? ${a.what}`, a.label, a.danger, a.reason);
    if (!answer.ok) return;
    try {
      rollout = await api('POST', `/api/v1/rollouts/${id}/${action}`, a.reason && answer.reason ? { reason: answer.reason } : undefined);
      actionMessage.replaceChildren(h('p', { class: 'notice' }, `${a.label}: done. The rollout is ${rollout.phase.toLowerCase()}.`));
      drawSummary();
      drawSteps();
    } catch (e) {
      actionMessage.replaceChildren(alertBox(problemText(e)));
    }
  }

  function drawSteps() {
    const list = (revision && revision.steps) || [];
    steps.replaceChildren(
      h('h2', { id: 'steps-title' }, 'Steps'),
      list.length
        ? h('ol', { class: 'steps' }, list.map((s, i) => {
          const current = i === rollout.step.index && !TERMINAL.has(rollout.phase);
          const done = i < rollout.step.index || rollout.phase === 'SUCCEEDED';
          return h('li', { class: done ? 'done' : null, 'aria-current': current ? 'step' : null },
            `${i + 1}. ${describeStep(s)}`, done ? h('span', { class: 'visually-hidden' }, ' (done)') : null);
        }))
        : h('p', { class: 'muted' }, rollout.step.description),
    );
  }

  function drawWeight() {
    const start = Date.parse(rollout.createdAt);
    const points = [{ x: 0, y: 0 }];
    for (const e of events) {
      if (e.type === 'WEIGHT' && e.toWeight !== null && e.toWeight !== undefined) {
        points.push({ x: (Date.parse(e.at) - start) / 1000, y: e.toWeight });
      }
    }
    const end = TERMINAL.has(rollout.phase) && rollout.finishedAt ? Date.parse(rollout.finishedAt) : Date.now();
    points.push({ x: Math.max(0, (end - start) / 1000), y: rollout.canaryWeight });
    chart(charts, 'weight', weightCanvas, {
      type: 'line',
      data: { datasets: [{ label: 'canary weight (%)', data: points, stepped: true, borderColor: '#1f5c99', backgroundColor: 'rgba(31,92,153,.15)', fill: true, pointRadius: 2 }] },
      options: chartOptions({ x: elapsedAxis(), y: { min: 0, max: 100, title: { display: true, text: '%' } } }),
    });
  }

  function drawEvents() {
    timeline.replaceChildren(...events.slice().reverse().map((e) => h('li', { 'data-type': e.type },
      h('span', { class: 'when' }, h('time', { datetime: e.at }, when(e.at))),
      h('strong', {}, e.type.toLowerCase().replace('_', ' ')),
      e.toPhase && e.fromPhase !== e.toPhase ? ` ${(e.fromPhase || '').toLowerCase()} → ${e.toPhase.toLowerCase()}` : '',
      e.type === 'WEIGHT' ? ` ${e.fromWeight} % → ${e.toWeight} %` : '',
      ' · ', h('span', { class: 'muted' }, actorText(e.actor)),
      h('div', {}, e.reason))));
  }

  async function loadAnalyses() {
    const result = await api('GET', `/api/v1/rollouts/${id}/analyses?limit=500`).catch(() => ({ items: [] }));
    analyses = result.items || [];
    drawAnalyses(analysesSection, analyses, rollout, revision, charts);
  }

  async function loadComparisons() {
    if (!rollout.parallelRun) return;
    const c = await api('GET', `/api/v1/rollouts/${id}/comparisons`).catch(() => null);
    if (c) drawComparisons(comparisons, c);
  }

  async function loadEvents(after) {
    const result = await api('GET', `/api/v1/rollouts/${id}/events?after=${after}&limit=500`);
    events = events.concat(result.items);
  }

  await loadEvents(0);
  drawSummary();
  drawSteps();
  drawEvents();
  drawWeight();
  await loadAnalyses();
  await loadComparisons();

  const refresh = debounce(async () => {
    rollout = await api('GET', `/api/v1/rollouts/${id}`);
    drawSummary();
    drawSteps();
    drawEvents();
    drawWeight();
    await loadAnalyses();
    await loadComparisons();
  }, 200);
  const lastId = events.length ? events[events.length - 1].id : 0;
  const onEvent = (m) => {
    const e = JSON.parse(m.data);
    if (!events.some((x) => x.id === e.id)) events.push(e);
    refresh();
  };
  const finished = () => {
    indicator.textContent = 'Finished';
    indicator.classList.add('off');
  };
  if (TERMINAL.has(rollout.phase)) {
    finished(); // nothing more will happen: no stream to hold open
    return;
  }
  let source = null;
  const handlers = {
    // the stream's last event: close it, or the browser would reconnect to a finished rollout
    end: () => {
      source.close();
      finished();
      refresh();
    },
  };
  for (const type of ['created', 'transition', 'weight', 'step', 'analysis', 'action', 'drift', 'router_error', 'tick_error', 'parallel_run']) {
    handlers[type] = onEvent;
  }
  source = live(`/api/v1/rollouts/${id}/events/stream?after=${lastId}`, handlers, indicator);
}

function actorText(actor) {
  if (!actor) return '';
  if (actor.startsWith('token:')) return `token ${actor.slice(6)}`;
  if (actor.startsWith('oidc:')) return `person ${actor.slice(5)}`;
  return actor;
}

function describeStep(s) {
  if (s.setWeight !== undefined && s.setWeight !== null) return `weight ${s.setWeight} %`;
  if (s.pause) return s.pause.duration ? `pause ${s.pause.duration}` : 'pause until resumed';
  if (s.analysis) return 'analysis';
  if (s.parallelRun) return `parallel run ${s.parallelRun.duration || ''}`.trim();
  if (s.approval) return `approval by ${(s.approval.roles || ['operator']).join(' or ')}`;
  if (s.setHeaderRoute) {
    const m = s.setHeaderRoute.match;
    if (!m) return `remove route ${s.setHeaderRoute.name}`;
    const on = m.header ? `header ${m.header}` : `cookie ${m.cookie}`;
    return `route ${s.setHeaderRoute.name}: ${on} ${m.value !== undefined ? '= ' + m.value : '~ ' + m.regex}`;
  }
  if (s.mirror) return s.mirror.percent ? `mirror ${s.mirror.percent} %` : 'stop mirroring';
  return Object.keys(s)[0] || 'step';
}

function elapsedAxis() {
  return {
    type: 'linear',
    min: 0,
    title: { display: true, text: 'time since start' },
    ticks: {
      callback: (v) => (v < 120 ? `${Math.round(v * 10) / 10} s` : `${Math.floor(v / 60)}:${String(Math.floor(v % 60)).padStart(2, '0')}`),
    },
  };
}

function chartOptions(scales) {
  return {
    animation: false,
    maintainAspectRatio: false,
    parsing: true,
    scales,
    plugins: { legend: { labels: { color: '#1a1a1a' } } },
  };
}

function chart(charts, key, canvas, config) {
  if (!window.Chart) return;
  const old = charts.get(key);
  if (old && old.canvas !== canvas) {
    old.destroy(); // its canvas was replaced by a redraw
    charts.delete(key);
  } else if (old) {
    old.data = config.data;
    old.options = config.options;
    old.update();
    return;
  }
  charts.set(key, new window.Chart(canvas, config));
}

function drawAnalyses(section, analyses, rollout, plan, charts) {
  const open = new Set([...section.querySelectorAll('details[open][data-analysis]')].map((d) => d.dataset.analysis));
  section.replaceChildren(h('h2', { id: 'analyses-title' }, 'Analyses'));
  if (!analyses.length) {
    section.append(h('p', { class: 'muted' }, 'No analysis has run yet.'));
    return;
  }
  const start = Date.parse(rollout.createdAt);
  const judge = (plan && plan.analysis && plan.analysis.judge) || {};
  const names = [...new Set(analyses.flatMap((a) => a.metrics.map((m) => m.name)))];
  const grid = h('div', { class: 'charts' });
  section.append(h('h3', {}, 'Canary and baseline, per metric'), grid);
  for (const name of names) {
    const perWindow = [];
    const band = [];
    const evidence = [];
    for (const a of analyses) {
      const x = (Date.parse(a.at) - start) / 1000;
      const v = a.values.find((m) => m.metric === name);
      const m = a.metrics.find((mm) => mm.name === name);
      if (v && v.counts) {
        perWindow.push({ x, canary: rate(v.counts.canaryBad, v.counts.canaryTotal), baseline: rate(v.counts.baselineBad, v.counts.baselineTotal) });
      } else if (v && v.canary && v.canary.length) {
        perWindow.push({ x, canary: mean(v.canary), baseline: v.baseline ? mean(v.baseline) : null });
      }
      const s = m && m.statistics;
      if (s && s.ratio !== undefined) {
        band.push({ x, ratio: s.ratio, lower: s.ratioLower, upper: s.ratioUpper });
        evidence.push({ x, harm: s.harmEvidence, safety: s.safetyEvidence, bound: s.threshold });
      }
    }
    const isCounts = analyses.some((a) => a.values.some((v) => v.metric === name && v.counts));
    if (perWindow.length) {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${name}: canary and baseline per window` });
      grid.append(h('figure', { class: 'chart', 'data-metric': name }, canvas));
      chart(charts, `${name}-window`, canvas, {
        type: 'line',
        data: {
          datasets: [
            { label: `${name} canary${isCounts ? ' (% bad)' : ''}`, data: perWindow.map((p) => ({ x: p.x, y: p.canary })), borderColor: '#a3111c', backgroundColor: '#a3111c' },
            { label: `${name} baseline${isCounts ? ' (% bad)' : ''}`, data: perWindow.map((p) => ({ x: p.x, y: p.baseline })), borderColor: '#1f5c99', backgroundColor: '#1f5c99', borderDash: [5, 4] },
          ],
        },
        options: chartOptions({ x: elapsedAxis(), y: { beginAtZero: true } }),
      });
    }
    if (band.length) {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${name}: canary to baseline ratio with its confidence band` });
      grid.append(h('figure', { class: 'chart', 'data-metric': name }, canvas));
      const maxIncrease = judge.maxIncrease || null;
      const datasets = [
        { label: 'upper bound', data: band.map((p) => ({ x: p.x, y: finite(p.upper) })), borderColor: 'rgba(31,92,153,.5)', pointRadius: 0, fill: false },
        { label: 'lower bound', data: band.map((p) => ({ x: p.x, y: finite(p.lower) })), borderColor: 'rgba(31,92,153,.5)', backgroundColor: 'rgba(31,92,153,.15)', pointRadius: 0, fill: '-1' },
        { label: `${name} ratio canary / baseline`, data: band.map((p) => ({ x: p.x, y: finite(p.ratio) })), borderColor: '#1a1a1a' },
        { label: 'no worse (1)', data: band.map((p) => ({ x: p.x, y: 1 })), borderColor: '#1e6b31', borderDash: [4, 4], pointRadius: 0 },
      ];
      if (maxIncrease) datasets.push({ label: `allowed increase (${maxIncrease})`, data: band.map((p) => ({ x: p.x, y: maxIncrease })), borderColor: '#a3111c', borderDash: [4, 4], pointRadius: 0 });
      chart(charts, `${name}-band`, canvas, { type: 'line', data: { datasets }, options: chartOptions({ x: elapsedAxis(), y: { type: 'logarithmic' } }) });

      const canvas2 = h('canvas', { role: 'img', 'aria-label': `${name}: evidence of harm and of safety against the bound` });
      grid.append(h('figure', { class: 'chart', 'data-metric': name }, canvas2));
      chart(charts, `${name}-evidence`, canvas2, {
        type: 'line',
        data: {
          datasets: [
            { label: 'evidence of harm', data: evidence.map((p) => ({ x: p.x, y: positive(p.harm) })), borderColor: '#a3111c' },
            { label: 'evidence of safety', data: evidence.map((p) => ({ x: p.x, y: positive(p.safety) })), borderColor: '#1e6b31' },
            { label: 'decision bound (1/α)', data: evidence.map((p) => ({ x: p.x, y: p.bound })), borderColor: '#4a4a4a', borderDash: [6, 4], pointRadius: 0 },
          ],
        },
        options: chartOptions({ x: elapsedAxis(), y: { type: 'logarithmic' } }),
      });
    }
  }
  // what a person opened stays open when a live update redraws the list
  const list = h('div', { id: 'analysis-list' });
  section.append(h('h3', {}, 'Every analysis, newest first'), list);
  for (const a of analyses.slice().reverse()) {
    list.append(h('details', { 'data-analysis': a.id, open: open.has(String(a.id)) },
      h('summary', {}, h('strong', { class: `v-${a.outcome}` }, a.outcome.toLowerCase()), ` at ${when(a.at)} · step ${a.step + 1} · weight ${a.weight} % · `, a.reason || a.verdict),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Metric', 'Verdict', 'Judge', 'Estimate', 'Interval', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, a.metrics.map((m) => h('tr', { 'data-metric': m.name },
          h('th', { scope: 'row' }, m.name),
          h('td', { class: `v-${m.classification}` }, m.classification),
          h('td', {}, m.judge),
          h('td', { class: 'num' }, num(m.estimate)),
          h('td', { class: 'num' }, m.confidenceInterval ? `${num(m.confidenceInterval[0])} – ${num(m.confidenceInterval[1])}` : '—'),
          h('td', {}, m.reason))))))));
  }
}

function rate(bad, total) {
  return total > 0 ? (100 * bad) / total : null;
}

function mean(values) {
  const v = values.filter((x) => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function finite(x) {
  return x === null || x === undefined || !Number.isFinite(x) || x <= 0 ? null : x;
}

function positive(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? null : Math.max(x, 1e-3);
}

function count(n) {
  return Number(n).toLocaleString('en');
}

function num(x) {
  if (x === null || x === undefined) return '—';
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

function drawComparisons(section, c) {
  section.replaceChildren(
    h('h2', {}, 'Parallel run'),
    h('p', { class: c.verdict === 'FAIL' ? 'alert' : 'notice' }, c.reason || c.verdict),
    h('p', {}, `${count(c.comparisons)} comparisons, ${count(c.mismatches)} mismatches (${(100 * c.mismatchRate).toFixed(2)} %, limit ${(100 * c.maxMismatchRate).toFixed(2)} %), ${count(c.candidateErrors)} candidate errors, ${count(c.skipped)} skipped.`),
    ...c.endpoints.map((e) => h('div', { class: 'table-wrap' }, h('table', { 'data-endpoint': e.endpoint },
      h('caption', {}, `${e.endpoint}: ${e.comparisons} compared, ${e.mismatches} mismatched`),
      h('thead', {}, h('tr', {}, ['Field path', 'Candidate differs', 'Secondary differs (noise)', 'Counted as'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, e.fields.map((f) => h('tr', {},
        h('th', { scope: 'row' }, h('code', {}, f.path)),
        h('td', { class: 'num' }, `${(100 * f.candidateRate).toFixed(2)} %`),
        h('td', { class: 'num' }, `${(100 * f.noiseRate).toFixed(2)} %`),
        h('td', {}, f.noise ? 'noise' : 'mismatch'))))))),
    c.samples.length ? h('h3', {}, 'Examples') : null,
    ...c.samples.slice(0, 5).map((s) => h('details', {},
      h('summary', {}, `${s.request}: ${s.paths.join(', ')}`),
      h('div', { class: 'charts' },
        h('div', {}, h('h4', {}, 'primary'), h('pre', {}, s.primary.body)),
        h('div', {}, h('h4', {}, 'candidate'), h('pre', {}, s.candidate.body))))),
  );
}

// ----------------------------------------------------------------------------------------- plans

async function plansView(params) {
  document.title = 'Plans · Aviary';
  const page = Number(params.get('page') || 0);
  const result = await api('GET', `/api/v1/plans?page=${page}&size=50`);
  show(
    h('h1', {}, 'Plans'),
    result.items.length
      ? h('div', { class: 'table-wrap' }, h('table', { id: 'plan-table' },
        h('thead', {}, h('tr', {}, ['Plan', 'Revision', 'Description', 'Labels', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, result.items.map((p) => h('tr', {},
          h('td', {}, link(`/plans/${encodeURIComponent(p.name)}`, p.name)),
          h('td', { class: 'num' }, p.revision),
          h('td', {}, p.description || ''),
          h('td', {}, Object.entries(p.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ')),
          h('td', {}, h('time', { datetime: p.updatedAt }, age(p.updatedAt))))))))
      : h('p', { class: 'muted' }, 'No plans yet.'),
    pager(result, params),
  );
}

async function planView(name, params) {
  document.title = `${name} · Aviary`;
  const [plan, revisions, rollouts] = await Promise.all([
    api('GET', `/api/v1/plans/${encodeURIComponent(name)}`),
    api('GET', `/api/v1/plans/${encodeURIComponent(name)}/revisions`),
    api('GET', `/api/v1/rollouts?plan=${encodeURIComponent(name)}&size=10`),
  ]);
  const items = revisions.items.slice().sort((a, b) => b.revision - a.revision);
  const newest = items.length ? items[0].revision : plan.revision;
  const from = Number(params.get('from') || (items.length > 1 ? items[1].revision : newest));
  const to = Number(params.get('to') || newest);
  const pick = (id, label, value) => field(id, label, h('select', { id, name: id === 'diff-from' ? 'from' : 'to' },
    items.map((r) => h('option', { value: r.revision, selected: r.revision === value }, `revision ${r.revision} · ${when(r.at)} · ${r.actor}`))));
  const form = h('form', { class: 'filters', 'aria-label': 'Compare revisions' },
    pick('diff-from', 'From', from), pick('diff-to', 'To', to), h('button', { type: 'submit' }, 'Compare'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams(new FormData(form));
    navigate(`/plans/${encodeURIComponent(name)}?${q}#diff`);
  });
  const a = items.find((r) => r.revision === from);
  const b = items.find((r) => r.revision === to);
  show(
    h('h1', {}, `Plan ${name}`),
    h('p', {}, plan.description || '', ' ', h('span', { class: 'muted' }, `revision ${plan.revision}, updated ${when(plan.updatedAt)}`)),
    h('h2', {}, 'Last rollouts'),
    rolloutTable(rollouts),
    h('h2', { id: 'revisions' }, 'Revisions'),
    h('ol', {}, items.map((r) => h('li', {}, `revision ${r.revision}: ${r.change} by ${actorText(r.actor)}, ${when(r.at)}`))),
    h('h2', { id: 'diff' }, 'What changed'),
    form,
    a && b ? diffView(pretty(a.plan), pretty(b.plan), from, to) : h('p', { class: 'muted' }, 'Pick two revisions.'),
    h('h2', {}, 'The plan as it is'),
    h('pre', { id: 'plan-document' }, pretty(plan)),
  );
  applyWidths(main);
}

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

/** A line diff by longest common subsequence: small documents, exact answer. */
function diffView(before, after, from, to) {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  let changes = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(h('span', { class: 'same' }, '  ' + a[i]));
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push(h('ins', { class: 'add' }, '+ ' + b[j]));
      j++;
      changes++;
    } else {
      out.push(h('del', { class: 'del' }, '- ' + a[i]));
      i++;
      changes++;
    }
  }
  return h('div', {},
    h('p', { id: 'diff-summary' }, changes ? `${changes} lines differ between revision ${from} and revision ${to}.` : `Revisions ${from} and ${to} are the same.`),
    h('pre', { class: 'diff', id: 'plan-diff', 'aria-label': `Differences from revision ${from} to ${to}` }, out));
}

// -------------------------------------------------------------------------------- tokens, audit

async function tokensView() {
  document.title = 'Tokens · Aviary';
  const result = await api('GET', '/api/v1/tokens');
  const message = h('div', { 'aria-live': 'polite', id: 'token-message' });
  const issue = h('form', { class: 'filters', id: 'issue-token', 'aria-label': 'Issue a token' },
    field('t-name', 'Name', h('input', { id: 't-name', name: 'name', required: true, placeholder: 'ci-checkout' })),
    field('t-role', 'Role', h('select', { id: 't-role', name: 'role' },
      ['viewer', 'operator', 'pipeline', 'admin'].map((r) => h('option', { value: r }, r)))),
    field('t-expires', 'Expires in', h('input', { id: 't-expires', name: 'expiresIn', placeholder: '90d' })),
    field('t-description', 'What it is for', h('input', { id: 't-description', name: 'description' })),
    h('button', { type: 'submit' }, 'Issue'));
  issue.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    for (const [k, v] of new FormData(issue)) if (v) body[k] = v;
    try {
      const issued = await api('POST', '/api/v1/tokens', body);
      await tokensView();
      document.getElementById('token-message').replaceChildren(h('div', { class: 'notice' },
        h('p', {}, `Token ${issued.name} (${issued.role}) issued. It is shown this once: copy it now.`),
        h('pre', { id: 'issued-token' }, issued.token)));
    } catch (err) {
      message.replaceChildren(alertBox(problemText(err)));
    }
  });
  show(
    h('h1', {}, 'Tokens'),
    h('h2', {}, 'Issue a token'),
    issue,
    message,
    h('h2', {}, 'Active tokens'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'token-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Role', 'Scope', 'Created', 'Expires', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, result.items.map((t) => h('tr', {},
        h('td', {}, t.name, t.description ? h('div', { class: 'muted' }, t.description) : null),
        h('td', {}, t.role),
        h('td', {}, (t.plans || []).join(', ') || Object.entries(t.planSelector || {}).map(([k, v]) => `${k}=${v}`).join(', ') || 'all plans'),
        h('td', {}, `${when(t.createdAt)} by ${t.createdBy || ''}`),
        h('td', {}, t.expiresAt ? when(t.expiresAt) : 'never'),
        h('td', {}, t.lastUsedAt ? age(t.lastUsedAt) : 'never'),
        h('td', {}, h('button', {
          type: 'button', class: 'danger', 'aria-label': `Revoke token ${t.name}`,
          onclick: async () => {
            if (!(await confirmDialog(`Revoke token ${t.name}? Every caller using it, and every dashboard session opened with it, is refused from now on.`, 'Revoke', true))) return;
            try {
              await api('DELETE', `/api/v1/tokens/${encodeURIComponent(t.name)}`);
              await tokensView();
            } catch (e) {
              message.replaceChildren(alertBox(problemText(e)));
            }
          },
        }, 'Revoke'))))))),
  );
}

async function auditView(params) {
  document.title = 'Audit · Aviary';
  const after = Number(params.get('after') || 0);
  const result = await api('GET', `/api/v1/audit?after=${after}&limit=200`);
  const items = result.items || [];
  show(
    h('h1', {}, 'Audit log'),
    h('p', { class: 'muted' }, after ? `Entries after #${after}, oldest first.` : 'Oldest first, 200 a page.'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Target', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((e) => h('tr', {},
        h('td', {}, when(e.at)),
        h('td', {}, actorText(e.actor)),
        h('td', {}, e.action),
        h('td', {}, e.target),
        h('td', {}, h('code', {}, JSON.stringify(e.detail)))))))),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      after ? link('/audit', '← First') : null,
      items.length === 200 ? link(`/audit?after=${items[items.length - 1].id}`, 'Next 200 →') : null),
  );
}

route();
