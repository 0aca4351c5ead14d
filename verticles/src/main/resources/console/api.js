// Calls to the admin API with the operator's token, and the reader of its event streams.
// The token lives in sessionStorage: it is gone when the tab closes, and only this origin reads it.

const TOKEN_KEY = 'switchboard.adminToken';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** A failed call: the HTTP status and the API's {"error": {"code", "message"}}. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(extra) {
  const all = new Headers(extra || {});
  const current = token();
  if (current) {
    all.set('Authorization', 'Bearer ' + current);
  }
  return all;
}

async function failure(response) {
  const text = await response.text();
  let error = null;
  try {
    error = JSON.parse(text).error;
  } catch (ignored) {
    // not the API's JSON: keep the text
  }
  return new ApiError(
    response.status,
    (error && error.code) || 'http_' + response.status,
    (error && error.message) || text || response.statusText);
}

/** Calls a JSON route; resolves with its body, rejects with an ApiError. */
export async function api(path, { method = 'GET', json, signal } = {}) {
  const init = { method, headers: headers(), cache: 'no-store', signal };
  if (json !== undefined) {
    init.headers.set('Content-Type', 'application/json');
    init.body = JSON.stringify(json);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    throw await failure(response);
  }
  return response.json();
}

/**
 * Reads a text/event-stream route with fetch, which sends the Authorization header (an EventSource
 * cannot), calling onEvent(name, data) for each event until the stream ends or the signal aborts.
 */
export async function stream(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers(), cache: 'no-store', signal });
  if (!response.ok) {
    throw await failure(response);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffered += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          continue; // a comment: keep-alive
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          name = text;
        } else if (field === 'data') {
          data.push(text);
        }
      }
      if (data.length > 0) {
        onEvent(name, data.join('\n'));
      }
    }
  }
}
