// GoMQ web console: polls the HTTP API's JSON routes, draws rates with uPlot, follows a topic
// filter through GET /tail (server-sent events) and publishes with POST /pub. No build step.
'use strict';

const POLL_MS = 1000;
const CHART_POINTS = 120;
const TAIL_MAX = 200;

const $ = id => document.getElementById(id);

/** An element with text (never HTML: topics and bodies are the publishers' data). */
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells, numeric) {
  const tr = el('tr');
  cells.forEach((c, i) => tr.appendChild(el('td', c, numeric && numeric.includes(i) ? 'n' : '')));
  return tr;
}

function fmt(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return n.toLocaleString(undefined, { maximumFractionDigits: digits === undefined ? 0 : digits });
}

function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return fmt(n, i ? 1 : 0) + ' ' + units[i];
}

/** GET a JSON route; null (and a note in the section) when it is refused, e.g. 403 without the admin role. */
async function getJson(path, sectionNote) {
  const r = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
  if (r.status === 401 || r.status === 403) {
    if (sectionNote) sectionNote.textContent = r.status === 403 ? '(needs the admin role)' : '(needs credentials)';
    return null;
  }
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

// ---- rates: from two samples of GET /stats ----

let lastStats = null;
const series = [[], [], []]; // time (s), in msg/s, out msg/s
const chart = new uPlot({
  width: 440, height: 160,
  series: [{}, { label: 'in msg/s', stroke: '#2a7' }, { label: 'out msg/s', stroke: '#27c' }],
  axes: [{}, { size: 50 }],
}, series, $('chart-rates'));

/** Without the admin role GET /stats is refused: the console is read-only and draws its rate from GET /rates. */
let readOnlyView = false;

async function pollStats() {
  if (readOnlyView) return;
  const r = await fetch('/stats', { cache: 'no-store', credentials: 'same-origin' });
  if (r.status === 401 || r.status === 403) {
    viewOnly();
    return;
  }
  if (!r.ok) throw new Error('/stats: HTTP ' + r.status);
  const s = await r.json();
  if (lastStats) {
    const secs = Math.max(0.001, (s.timestamp - lastStats.timestamp) / 1000);
    const inRate = (s.messagesIn - lastStats.messagesIn) / secs;
    const outRate = (s.messagesOut - lastStats.messagesOut) / secs;
    $('rate-bytes').textContent = fmt((s.bytesIn - lastStats.bytesIn) / secs, 0);
    chartPoint(s.timestamp, inRate, outRate);
  }
  $('dropped').textContent = fmt(s.dropped + s.tailDropped);
  lastStats = s;
}

function chartPoint(timestamp, inRate, outRate) {
  $('rate-in').textContent = fmt(inRate, 1);
  $('rate-out').textContent = fmt(outRate, 1);
  series[0].push(timestamp / 1000);
  series[1].push(inRate);
  series[2].push(outRate);
  if (series[0].length > CHART_POINTS) series.forEach(a => a.shift());
  chart.setData(series);
}

/** No admin role: no publish form, no operator figures; the rates are those of the topics this user may read. */
function viewOnly() {
  readOnlyView = true;
  document.body.classList.add('read-only');
  $('publish').hidden = true;
  $('mode').textContent = 'read-only (no admin role)';
  $('rates-scope').textContent = '(the topics you may read)';
}

// ---- sessions, topics, log, cluster ----

async function pollSessions() {
  const v = await getJson('/sessions', $('sessions-count'));
  if (!v) return;
  $('sessions-count').textContent = `(${v.online} online of ${v.total}${v.truncated ? ', first ' + v.sessions.length : ''})`;
  const rows = v.sessions.map(s => {
    const who = [s.userName, s.remoteAddress].filter(Boolean).join(' @ ');
    const tr = row([s.clientId, who, s.online ? (s.protocol || '') : 'offline',
      s.connectedAt ? new Date(s.connectedAt).toLocaleString() : '', s.inFlight, s.queued, s.subscriptions,
      fmt(s.delivered)], [4, 5, 6, 7]);
    if (!s.online) tr.className = 'offline';
    return tr;
  });
  $('sessions-rows').replaceChildren(...rows);
}

let lastRates = null;
/** Topics from the log (stored count, retained) joined with live counts from GET /rates (the rates). */
async function pollTopics() {
  const note = $('topics-source');
  const [stored, live] = await Promise.all([getJson('/topics', note), getJson('/rates', note)]);
  const topics = new Map();
  const entry = t => topics.get(t) || topics.set(t, {}).get(t);
  if (stored) {
    stored.topics.forEach(t => Object.assign(entry(t.topic), { stored: t.count, retained: t.retained }));
    note.textContent = stored.source === 'log' ? '' : '(memory-only broker: nothing stored)';
  }
  if (live) {
    const prev = lastRates && lastRates.since === live.since ? lastRates : null;
    const before = new Map(prev ? prev.topics.map(t => [t.topic, t.messages]) : []);
    const secs = prev ? Math.max(0.001, (live.timestamp - prev.timestamp) / 1000) : 0;
    let total = 0;
    live.topics.forEach(t => {
      const e = entry(t.topic);
      e.published = t.messages;
      if (prev) e.rate = (t.messages - (before.get(t.topic) || 0)) / secs;
      total += e.rate || 0;
    });
    if (readOnlyView && prev) chartPoint(live.timestamp, total, null);
    lastRates = live;
  }
  const rows = [...topics.keys()].sort().map(topic => {
    const t = topics.get(topic);
    return row([topic, t.rate === undefined ? '' : fmt(t.rate, 1), fmt(t.published), fmt(t.stored),
      t.retained ? 'yes' : ''], [1, 2, 3]);
  });
  $('topics-rows').replaceChildren(...rows);
}

async function pollLog() {
  const v = await getJson('/log');
  if (!v) return;
  const figures = v.persistent ? [
    ['offsets', `${fmt(v.startOffset)} – ${fmt(v.endOffset)}`], ['records', fmt(v.records)],
    ['segments', `${v.segments} (${v.compactedSegments} compacted)`], ['size', bytes(v.sizeBytes)],
    ['compaction', `${v.compactionRuns} runs, ${fmt(v.compactionRemovedRecords)} records removed`],
    ['compression ratio', fmt(v.compressionRatio, 2)], ['retained', fmt(v.retained)],
    ['disk free', v.disk ? bytes(v.disk.freeBytes) + (v.disk.low ? ' (LOW: writes refused)' : '') : '–'],
  ] : [['log', 'none: memory-only broker']];
  $('log-figures').replaceChildren(...figures.flatMap(([k, val]) => [el('dt', k), el('dd', val)]));
}

async function pollCluster() {
  const v = await getJson('/cluster', $('cluster-summary'));
  if (!v) return;
  $('node').textContent = `${v.nodeId || ''} · ${v.role}`;
  $('cluster-summary').textContent = v.role === 'standalone' ? 'standalone broker'
    : `role ${v.role}, epoch ${v.epoch}, leader ${v.leader || 'none'}`;
  $('cluster-rows').replaceChildren(...v.members.map(m =>
    row([m.nodeId, m.endpoint, fmt(m.offset), fmt(m.lag), m.inSync ? 'yes' : 'no'], [2, 3])));
}

let tick = 0;
async function poll() {
  try {
    await pollStats();
    if (tick % 2 === 0) await Promise.all([pollSessions(), pollTopics(), pollCluster()]);
    if (tick % 5 === 0) await pollLog();
    $('error').textContent = '';
  } catch (e) {
    $('error').textContent = 'broker unreachable: ' + e.message;
  }
  tick++;
  setTimeout(poll, POLL_MS);
}

// ---- live tail: GET /tail?filter=F, server-sent events ----

let tail = null;
let tailDropped = 0;

function follow(filter) {
  if (tail) tail.close();
  tailDropped = 0;
  $('tail-status').textContent = 'following ' + filter;
  tail = new EventSource('/tail?filter=' + encodeURIComponent(filter));
  tail.addEventListener('message', e => {
    const m = JSON.parse(e.data);
    const li = el('li');
    li.appendChild(el('span', new Date(m.timestamp).toLocaleTimeString() + ' '));
    li.appendChild(el('span', m.topic, 'topic'));
    li.appendChild(el('span', ` q${m.qos}${m.retain ? ' retained' : ''}: ` + m.body + (m.truncated ? '…' : '')));
    const list = $('tail-list');
    list.insertBefore(li, list.firstChild);
    while (list.childElementCount > TAIL_MAX) list.removeChild(list.lastChild);
  });
  tail.addEventListener('dropped', e => {
    tailDropped = Number(e.data);
    $('tail-status').textContent = `following ${filter} (${tailDropped} dropped: the browser did not keep up)`;
  });
  tail.onerror = () => { $('tail-status').textContent = 'reconnecting…'; };
  tail.onopen = () => { $('tail-status').textContent = 'following ' + filter; };
}

$('tail-form').addEventListener('submit', e => {
  e.preventDefault();
  follow($('tail-filter').value);
});

// ---- publish: POST /pub; refused (401/403) makes the console read-only ----

$('pub-form').addEventListener('submit', async e => {
  e.preventDefault();
  const result = $('pub-result');
  const body = {
    topic: $('pub-topic').value, body: $('pub-body').value,
    qos: Number($('pub-qos').value), retain: $('pub-retain').checked,
  };
  try {
    const r = await fetch('/pub', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const v = await r.json();
    if (r.status === 401 || r.status === 403) {
      readOnly(v.error);
    } else if (r.ok) {
      result.textContent = `published to ${v.subscribers} subscriber(s)` + (v.offset !== undefined ? ` at offset ${v.offset}` : '');
    } else {
      result.textContent = 'refused: ' + v.error;
    }
  } catch (err) {
    result.textContent = 'failed: ' + err.message;
  }
});

function readOnly(why) {
  const form = $('pub-form');
  form.classList.add('read-only');
  form.querySelectorAll('input, select, button').forEach(c => { c.disabled = true; });
  $('pub-result').textContent = 'read-only: ' + (why || 'publishing is not allowed');
}

follow($('tail-filter').value);
poll();
