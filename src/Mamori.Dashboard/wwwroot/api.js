// Every call the dashboard makes, in one place. The admin key lives in sessionStorage (this tab only) and is sent as
// X-Api-Key; it is never put in a URL, a log line or localStorage.
const KEY = 'mamori.apiKey';

export class ApiError extends Error {
  constructor(status, title, endpoint, detail = null, field = null) {
    super(`${status} ${title}`);
    this.status = status; this.title = title; this.endpoint = endpoint; this.detail = detail; this.field = field;
  }
  /** What the problem document says beyond its title: the field it names and why ("limit: Must be …"), or null. */
  get explanation() {
    const detail = typeof this.detail === 'string' && this.detail ? this.detail : null;
    const field = typeof this.field === 'string' && this.field ? this.field : null;
    if (detail && field && !detail.startsWith(`${field}:`)) return `${field}: ${detail}`;
    return detail ?? field;
  }
  /** The server does not offer this method here (an older server). A 404 is a real answer (unknown link, account). */
  get unsupported() { return this.status === 405 || this.status === 501; }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set(key) { sessionStorage.setItem(KEY, key); },
  clear() { sessionStorage.removeItem(KEY); },
};

async function request(method, path, { key = session.key, accept = 'application/json' } = {}) {
  const response = await fetch(path, { method, headers: { 'X-Api-Key': key ?? '', Accept: accept }, cache: 'no-store' });
  if (!response.ok) {
    let title = response.statusText, detail = null, field = null;
    try {
      const problem = await response.json();
      title = problem.title ?? title; detail = problem.detail ?? null; field = problem.field ?? null;
    } catch { /* not a problem document */ }
    if (response.status === 401) window.dispatchEvent(new CustomEvent('mamori:unauthorized'));
    throw new ApiError(response.status, title, `${method} ${path.split('?')[0]}`, detail, field);
  }
  return response;
}

const json = async (method, path, options) => (await request(method, path, options)).json();
const enc = encodeURIComponent;
const query = (params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const api = {
  /** Checks a key by reading the overview with it (nothing is stored unless it works). */
  checkKey: (key) => json('GET', '/v1/dashboard/overview', { key }),
  overview: () => json('GET', '/v1/dashboard/overview'),
  recent: (filters, limit = 100) => json('GET', `/v1/decisions/recent${query({ ...filters, limit })}`),
  campaign: (id) => json('GET', `/v1/dashboard/campaigns/${enc(id)}`),
  /** Fetches an export with the key header and returns {blob, file}; an <a href> could not send the header. */
  async export(id, format) {
    const path = format === 'stix' ? `/v1/campaigns/${enc(id)}/stix` : `/v1/campaigns/${enc(id)}/export.csv`;
    const response = await request('GET', path, { accept: '*/*' });
    const file = `${id}${format === 'stix' ? '.stix.json' : '.csv'}`;
    return { blob: await response.blob(), file };
  },
  // Server endpoints (issue 3, docs/api.md). Every account call carries the tenant: without it the server reads the
  // default tenant's account of the same id. Links have no tenant (the money flows do not know one).
  account: (id, tenant) => json('GET', `/v1/accounts/${enc(id)}${query({ tenant, limit: 50 })}`),
  trustDevice: (id, device, tenant) => json('PUT', `/v1/accounts/${enc(id)}/devices/${enc(device)}/trust${query({ tenant })}`),
  untrustDevice: (id, device, tenant) => json('DELETE', `/v1/accounts/${enc(id)}/devices/${enc(device)}/trust${query({ tenant })}`),
  requireStepUpAtNextLogin: (id, tenant) => json('POST', `/v1/accounts/${enc(id)}/step-up${query({ tenant })}`),
  cancelStepUp: (id, tenant) => json('DELETE', `/v1/accounts/${enc(id)}/step-up${query({ tenant })}`),
  freezeLink: (id, link) => json('POST', `/v1/accounts/${enc(id)}/links/${enc(link)}/freeze`),
  unfreezeLink: (id, link) => json('DELETE', `/v1/accounts/${enc(id)}/links/${enc(link)}/freeze`),
  // The step-up block is the flows' too: no tenant.
  clearVerificationFailures: (id) => json('DELETE', `/v1/accounts/${enc(id)}/factors/failures`),
};

/**
 * Reads /v1/decisions/stream with fetch so the key travels in a header (EventSource cannot set one), parses the
 * text/event-stream frames, and reconnects with backoff until stop() is called.
 */
export function streamDecisions(filters, onItem, onState) {
  const controller = new AbortController();
  let delay = 1000;
  (async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`/v1/decisions/stream${query(filters)}`, {
          headers: { 'X-Api-Key': session.key ?? '', Accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store',
        });
        if (response.status === 401) { window.dispatchEvent(new CustomEvent('mamori:unauthorized')); return; }
        if (!response.ok || !response.body) throw new Error(String(response.status));
        onState('live'); delay = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end); buffer = buffer.slice(end + 2);
            const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data) onItem(JSON.parse(data));
          }
        }
      } catch (e) {
        if (controller.signal.aborted) return;
      }
      onState('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15000);
    }
  })();
  return { stop: () => controller.abort() };
}
