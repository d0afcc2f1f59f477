// The console's one way to the node: every data call goes through the public HTTP API with the operator's bearer
// token (kept in this tab's sessionStorage), so the console can do nothing that the API cannot.

const TOKEN_KEY = 'csp-edge-token';

/** An answer that was not 2xx: its status and the problem (application/problem+json) the node sent, if any. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function keepToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

async function failure(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch (e) {
    problem = null;
  }
  return new ApiError(response.status, problem);
}

/** GET a JSON resource of the API. */
export async function get(path, options = {}) {
  const response = await fetch(path, { headers: headers(), signal: options.signal, cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** A call that changes the node (admin role): PUT, POST, DELETE with a JSON body. */
export async function send(method, path, body, options = {}) {
  const response = await fetch(path, {
    method,
    headers: headers({ 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: options.signal,
  });
  if (!response.ok) throw await failure(response);
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : null;
}

/**
 * Reads a server-sent event stream of the API with fetch(), which sends the Authorization header (EventSource
 * cannot, and a token in the URL would end up in logs). Calls onEvent(name, data) per event and onBytes(n) per chunk
 * read (what the stream costs the network); resolves when the stream ends, rejects with ApiError when the node
 * refuses it.
 */
export async function stream(path, onEvent, signal, onBytes = () => {}) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  if (!response.ok) throw await failure(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes(value.byteLength);
    text += decoder.decode(value, { stream: true });
    let end;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, data.join('\n'));
    }
  }
}
