// The operator's console: live figures from the server's own event stream, the cluster, channels,
// sockets and plugins polled from the admin API, and the operator's actions on them.
import { api, ApiError, setToken, stream, token } from './api.js';
import { drawChart } from './chart.js';
import {
  el, fields, fillTable, formatBytes, formatDuration, formatNumber, setText,
} from './views.js';

const POLL_MS = 2000;
const SLOWEST_POLL_MS = 5000;
const HISTORY_POINTS = 300; // five minutes of one-second figures
const TAIL_KEPT = 200;
const SEARCH_PAGES = 10; // a search by user walks at most this many pages of 1000 connections

const history = { in: [], out: [], errors: [] };
const running = new AbortController(); // aborted when the page goes: every stream and poll stops
let tail = null; // the AbortController of the open tail
let lastPlugins = null; // the previous poll of /api/plugins, for rates

function $(id) {
  return document.getElementById(id);
}

function setState(state, text) {
  const badge = $('state');
  badge.dataset.state = state;
  badge.textContent = text;
}

function describe(failure) {
  return failure instanceof ApiError ? failure.code + ': ' + failure.message : String(failure);
}

// ---- start: ask for the token when the API wants one ----

async function start() {
  try {
    await api('/api/nodes', { signal: running.signal });
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      showLogin(token() ? 'The token was refused: ' + failure.message : '');
      return;
    }
    setState('error', 'unreachable');
    $('login-error').textContent = describe(failure);
    return;
  }
  $('login').hidden = true;
  $('console').hidden = false;
  $('logout').hidden = !token();
  setState('live', 'live');
  showVersion();
  followFigures();
  poll(refreshOverview, POLL_MS);
  poll(refreshSlowest, SLOWEST_POLL_MS);
}

function showLogin(message) {
  setState('locked', 'token needed');
  $('console').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').focus();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken($('token').value.trim());
  $('token').value = '';
  start();
});

$('logout').addEventListener('click', () => {
  setToken('');
  location.reload();
});

window.addEventListener('pagehide', () => {
  running.abort();
  if (tail) {
    tail.abort();
  }
});

/** Runs a refresh now and then every interval, never two at once, until the page goes. */
function poll(refresh, intervalMs) {
  const again = async () => {
    try {
      await refresh();
    } catch (failure) {
      if (!running.signal.aborted) {
        setState('error', 'error: ' + describe(failure));
      }
    }
    if (!running.signal.aborted) {
      setTimeout(again, intervalMs);
    }
  };
  again();
}

// ---- the footer: the server's version, as /health reports it to a caller with the token ----

async function showVersion() {
  try {
    const health = await api('/health', { signal: running.signal });
    // /health names the version in its detailed answer (the page sends the token).
    if (health.version) {
      setText('version', health.version);
    }
  } catch (ignored) {
    // /health answers 503 while the server is not ready: keep the placeholder
  }
}

// ---- live figures: GET /api/figures/stream ----

async function followFigures() {
  while (!running.signal.aborted) {
    try {
      $('stream-state').textContent = 'Live figures: connected to the server\'s event stream.';
      await stream('/api/figures/stream', (name, data) => {
        if (name === 'figures') {
          showFigures(JSON.parse(data));
        }
      }, running.signal);
      $('stream-state').textContent = 'Live figures: the stream ended; reconnecting.';
    } catch (failure) {
      if (running.signal.aborted) {
        return;
      }
      $('stream-state').textContent = 'Live figures: ' + describe(failure) + '; reconnecting.';
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function showFigures(f) {
  setText('fig-connections', formatNumber(f.activeConnections));
  setText('fig-channels', formatNumber(f.channels));
  setText('fig-in', formatNumber(f.messagesInPerSecond));
  setText('fig-out', formatNumber(f.messagesOutPerSecond));
  setText('fig-errors', formatNumber(f.errorsPerSecond));
  setText('fig-in-total', formatNumber(f.messagesIn));
  setText('fig-out-total', formatNumber(f.messagesOut));
  setText('fig-errors-total', formatNumber(f.errors));
  setText('fig-uptime', formatDuration(f.uptimeMs));
  setText('fig-updated', 'at ' + f.serverTime);
  setText('node-name', 'node ' + f.node);
  for (const [key, value] of [['in', f.messagesInPerSecond], ['out', f.messagesOutPerSecond],
    ['errors', f.errorsPerSecond]]) {
    history[key].push(value);
    if (history[key].length > HISTORY_POINTS) {
      history[key].shift();
    }
  }
  drawChart($('chart-messages'), [
    { label: 'in', color: '#0969da', values: history.in },
    { label: 'out', color: '#1a7f37', values: history.out },
  ], { points: HISTORY_POINTS });
  drawChart($('chart-errors'), [
    { label: 'errors', color: '#cf222e', values: history.errors },
  ], { points: HISTORY_POINTS });
}

// ---- nodes, channels, plugins: polled ----

async function refreshOverview() {
  const [nodes, channels, plugins] = await Promise.all([
    api('/api/nodes', { signal: running.signal }),
    api('/api/channels?limit=20', { signal: running.signal }),
    api('/api/plugins', { signal: running.signal }),
  ]);
  setState('live', 'live');
  showNodes(nodes.nodes);
  setText('channels-total', channels.total + ' in all' + (channels.next ? ', first 20 shown' : ''));
  fillTable($('channels'), channels.channels, [
    (c) => c.name,
    (c) => formatNumber(c.subscribers),
    (c) => el('button', { type: 'button', class: 'link', onclick: () => openChannel(c.name) }, 'details'),
  ], 'no channel has subscribers');
  showPlugins(plugins.plugins);
}

function showNodes(nodes) {
  fillTable($('nodes'), nodes, [
    (n) => n.shortId + (n.self ? ' (this one)' : ''),
    (n) => n.state + (n.ready === false ? ', syncing' : ''),
    (n) => (n.connections === undefined ? '–' : formatNumber(n.connections)),
    (n) => (n.channels === undefined ? '–' : formatNumber(n.channels)),
    (n) => (n.uptimeMs === undefined ? n.reason || '–' : formatDuration(n.uptimeMs)),
  ]);
  if (nodes.length > 1) {
    const total = nodes.reduce((sum, n) => sum + (n.connections || 0), 0);
    setText('fig-connections-cluster', 'this node; ' + formatNumber(total) + ' in the cluster of ' + nodes.length);
  } else {
    setText('fig-connections-cluster', 'open WebSockets');
  }
}

function showPlugins(plugins) {
  const now = performance.now();
  const before = lastPlugins;
  lastPlugins = { at: now, byName: Object.fromEntries(plugins.map((p) => [p.name, p])) };
  const rate = (p, field) => {
    const old = before && before.byName[p.name];
    if (!old) {
      return '–';
    }
    return formatNumber((p[field] - old[field]) / ((now - before.at) / 1000));
  };
  fillTable($('plugins'), plugins, [
    (p) => p.name + (p.enabled ? '' : ' (disabled)'),
    (p) => p.version,
    (p) => rate(p, 'handled'),
    (p) => rate(p, 'failed'),
    (p) => formatNumber(p.handled),
    (p) => formatNumber(p.rejected),
    (p) => formatNumber(p.failed),
  ], 'no plugin loaded');
}

async function refreshSlowest() {
  const listing = await api('/api/connections?limit=1000', { signal: running.signal });
  const slowest = listing.connections
    .filter((c) => c.open)
    .sort((a, b) => (b.pendingWriteBytes || 0) - (a.pendingWriteBytes || 0))
    .slice(0, 5);
  fillTable($('slowest'), slowest, [
    (c) => el('button', { type: 'button', class: 'link', onclick: () => find(c.id) }, c.id),
    (c) => c.userId || '–',
    (c) => formatBytes(c.pendingWriteBytes || 0),
    (c) => formatNumber(c.messagesOut),
  ], 'no connection');
}

// ---- find a connection, by id or user, and disconnect it ----

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  find($('search').value.trim());
});

async function find(query) {
  $('search').value = query;
  const results = $('search-results');
  results.replaceChildren();
  $('search-status').textContent = 'Searching…';
  const found = [];
  try {
    found.push(await api('/api/connections/' + encodeURIComponent(query)));
  } catch (failure) {
    if (!(failure instanceof ApiError && failure.status === 404)) {
      $('search-status').textContent = describe(failure);
      return;
    }
    let cursor = null;
    for (let page = 0; page < SEARCH_PAGES; page++) {
      const listing = await api('/api/connections?limit=1000'
        + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      found.push(...listing.connections.filter((c) => c.userId === query));
      cursor = listing.next;
      if (!cursor) {
        break;
      }
    }
  }
  $('search-status').textContent = found.length === 0
    ? 'No connection has the id or the user id ' + query + '.'
    : found.length + ' connection' + (found.length === 1 ? '' : 's') + ' found.';
  for (const connection of found) {
    results.append(connectionView(connection));
  }
}

function connectionView(connection) {
  const outcome = el('span', { class: 'muted', role: 'status' });
  const button = el('button', {
    type: 'button',
    class: 'danger',
    'data-connection-id': connection.id,
    onclick: async () => {
      button.disabled = true;
      try {
        const answer = await api('/api/connections/' + encodeURIComponent(connection.id),
          { method: 'DELETE' });
        outcome.textContent = 'closed with ' + answer.closeCode;
        outcome.dataset.closed = 'true';
      } catch (failure) {
        outcome.textContent = describe(failure);
        button.disabled = false;
      }
    },
  }, 'Disconnect');
  const channels = connection.channels || [];
  return el('div', { class: 'result', 'data-result-id': connection.id },
    el('strong', {}, connection.id), ' ', button, ' ', outcome,
    el('p', {}, 'channels: ', channels.length === 0 ? 'none' : channels.map((name, i) => [
      i > 0 ? ', ' : '',
      el('button', { type: 'button', class: 'link', onclick: () => openChannel(name) }, name),
    ])),
    fields(connection));
}

// ---- a channel: its subscribers and presence ----

$('channel-form').addEventListener('submit', (event) => {
  event.preventDefault();
  openChannel($('channel-name').value.trim());
});

async function openChannel(name) {
  $('channel-name').value = name;
  $('publish-channel').value = name;
  $('tail-channel').value = name;
  const detail = $('channel-detail');
  detail.replaceChildren();
  $('channel-status').textContent = 'Loading…';
  const path = '/api/channels/' + encodeURIComponent(name);
  try {
    const [channel, presence] = await Promise.all([
      api(path + '?limit=100'),
      api(path + '/presence?limit=100').catch((failure) => {
        if (failure instanceof ApiError && failure.status === 404) {
          return { count: 0, members: [] };
        }
        throw failure;
      }),
    ]);
    $('channel-status').textContent = channel.subscribers + ' subscriber'
      + (channel.subscribers === 1 ? '' : 's') + ', sequenced by node ' + channel.owner;
    const members = el('table', { id: 'presence' },
      el('thead', {}, el('tr', {}, ['connection', 'user', 'organisation', 'joined at'].map((h) => el('th', {}, h)))));
    fillTable(members, presence.members, [
      (m) => el('button', { type: 'button', class: 'link', onclick: () => find(m.connectionId) }, m.connectionId),
      (m) => m.userId || '–',
      (m) => m.organizationId || '–',
      (m) => m.joinedAt,
    ], 'nobody');
    detail.append(el('h3', {}, 'Presence (' + presence.count + ')'), members);
  } catch (failure) {
    $('channel-status').textContent = describe(failure);
  }
}

// ---- publish a test message: POST /v1/broadcast ----

$('publish-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = $('publish-result');
  let data;
  try {
    data = JSON.parse($('publish-data').value);
  } catch (failure) {
    result.textContent = 'data must be JSON: ' + failure.message;
    return;
  }
  result.textContent = 'Publishing…';
  try {
    const answer = await api('/v1/broadcast', {
      method: 'POST',
      json: { channel: $('publish-channel').value.trim(), type: $('publish-type').value.trim(), data },
    });
    result.textContent = 'Delivered to ' + answer.delivered + ' connection' + (answer.delivered === 1 ? '' : 's') + '.';
    result.dataset.delivered = answer.delivered;
  } catch (failure) {
    result.textContent = describe(failure);
  }
});

// ---- tail a channel: GET /api/channels/{name}/tail ----

$('tail-form').addEventListener('submit', (event) => {
  event.preventDefault();
  startTail($('tail-channel').value.trim());
});

$('tail-stop').addEventListener('click', () => stopTail('Stopped.'));

function stopTail(message) {
  if (tail) {
    tail.abort();
    tail = null;
  }
  $('tail-stop').disabled = true;
  $('tail-start').disabled = false;
  $('tail-status').textContent = message;
  $('tail-status').dataset.state = 'stopped';
}

async function startTail(name) {
  stopTail('Opening the tail of ' + name + '…');
  const controller = new AbortController();
  tail = controller;
  $('tail-stop').disabled = false;
  $('tail-start').disabled = true;
  $('tail-messages').replaceChildren();
  try {
    await stream('/api/channels/' + encodeURIComponent(name) + '/tail', (event, data) => {
      if (event === 'open') {
        const open = JSON.parse(data);
        $('tail-status').textContent = 'Tailing ' + open.channel + ' on node ' + open.node
          + ': what this node delivers to its subscribers of it.';
        $('tail-status').dataset.state = 'open';
      } else if (event === 'message') {
        addTailLine(data);
      } else if (event === 'dropped') {
        addTailLine('(' + JSON.parse(data).dropped + ' messages dropped: the page read too slowly)');
      }
    }, controller.signal);
    if (tail === controller) {
      stopTail('The server ended the tail.');
    }
  } catch (failure) {
    if (tail === controller) {
      stopTail(describe(failure));
    }
  }
}

function addTailLine(text) {
  const list = $('tail-messages');
  list.prepend(el('li', {}, el('time', {}, new Date().toLocaleTimeString()), text));
  while (list.children.length > TAIL_KEPT) {
    list.lastElementChild.remove();
  }
}

start();
