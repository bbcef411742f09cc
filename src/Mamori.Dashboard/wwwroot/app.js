// The Mamori dashboard: hash routes (#/overview, #/feed, #/campaign/<id>, #/account/<id>), no framework.
// All data goes into the page through textContent (never innerHTML): account names are typed by attackers.
import { t, lang, setLang } from './i18n.js';
import { api, session, streamDecisions, ApiError } from './api.js';

const main = document.getElementById('main');
const statusLine = document.getElementById('status');
let cleanup = [];

/** Creates an element: h('a', {href: '#/x'}, 'text', child). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}
const svg = (tag, attrs = {}) => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
};

function say(text, error = false) { statusLine.textContent = text; statusLine.classList.toggle('error', error); }
function fail(e) {
  if (e instanceof ApiError) {
    const why = e.explanation;
    say(why ? t('error.detailed', { status: e.status, title: e.title, detail: why }) : t('error.generic', { status: e.status, title: e.title }), true);
  } else say(String(e.message ?? e), true);
}
// In UTC and saying so, as the CSV and STIX exports write times: an analyst matches rows across them and partners' logs.
// 2026-12-03 17:24:47 UTC in English (sv-SE writes ISO order: 03/12/2026 reads as March to half the world), the
// Japanese order in Japanese; always UTC, as the exports are.
const time = (iso) => new Date(iso).toLocaleString(lang() === 'ja' ? 'ja-JP' : 'sv-SE', { hour12: false, timeZone: 'UTC', timeZoneName: 'short' });
const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const badge = (d) => h('span', { class: `badge ${d}` }, t(d));
// Wire names shown translated (the raw name stays in the title, for filters and SIEM rules); unknown names as they are.
const named = (prefix, value) => (value === null || value === undefined ? '—' : h('span', { title: value }, t(`${prefix}.${value}`, {}, value)));
const kind = (k) => named('kind', k);
const outcome = (o) => named('outcome', o);
/** The account page's address: the tenant travels with the account (the same id in another tenant is another person). */
const accountHref = (a, tenant) => `#/account/${encodeURIComponent(a)}${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`;
const accountLink = (a, tenant) => h('a', { href: accountHref(a, tenant) }, a);
/** A count from the campaign's successes list, marked "≥" when the list was cut at its cap (the count may be low). */
const capped = (n, c) => (c.successes_truncated ? `≥ ${n}` : n);
const campaignLink = (id) => h('a', { href: `#/campaign/${encodeURIComponent(id)}` }, id);

function table(caption, headers, rows, numeric = []) {
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),   // every table follows a visible heading; the caption names it for screen readers
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, t(x))))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, c))))));
}

/** A rate with no baseline yet (a node just started, or the attack is all the hour holds) alerts at this absolute level. */
const HIGH_RATE = 0.5;
/** Fewer outcomes than this are too few to call a rate high on its own (one typo after a restart is 100 %). */
const MIN_OUTCOMES_FOR_ABSOLUTE = 10;
/** Red when above twice its baseline, or, with no baseline, when at least HIGH_RATE over enough outcomes. */
function rateAlarming(r) {
  if (r.current === null) return false;
  if (r.baseline !== null) return r.current > 2 * r.baseline;
  return r.current >= HIGH_RATE && r.current_outcomes >= MIN_OUTCOMES_FOR_ABSOLUTE;
}

/** Stacked bars per minute: allow, challenge, deny. Hand-drawn SVG; the aria-label gives the totals in words. */
function chart(minutes, label) {
  const width = 600, height = 160, pad = 20;
  const max = Math.max(1, ...minutes.map((m) => m.allow + m.challenge + m.deny));
  const bar = Math.min((width - pad) / Math.max(minutes.length, 1), 40);   // a one-minute timeline is a bar, not a wall
  const totals = minutes.reduce((a, m) => ({ allow: a.allow + m.allow, challenge: a.challenge + m.challenge, deny: a.deny + m.deny }), { allow: 0, challenge: 0, deny: 0 });
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height + pad}`, role: 'img', 'aria-label': `${label}. ${t('overview.chartSummary', totals)}` });
  minutes.forEach((m, i) => {
    let y = height;
    for (const kind of ['allow', 'challenge', 'deny']) {
      const hgt = (m[kind] / max) * (height - 10);
      if (hgt <= 0) continue;
      y -= hgt;
      const rect = svg('rect', { x: pad + i * bar, y, width: Math.max(bar - 1, 1), height: hgt, class: kind });
      const title = svg('title'); title.textContent = `${time(m.minute)} ${t(kind)}: ${m[kind]}`; rect.append(title);
      root.append(rect);
    }
  });
  const maxLabel = svg('text', { x: 0, y: 12 }); maxLabel.textContent = String(max); root.append(maxLabel);
  if (minutes.length) {
    const first = svg('text', { x: pad, y: height + 14 }); first.textContent = time(minutes[0].minute); root.append(first);
  }
  const legend = h('div', { class: 'legend', 'aria-hidden': 'true' },
    ['allow', 'challenge', 'deny'].map((k) => h('span', { style: null, 'data-kind': k }, `${t(k)} ${totals[k]}`)));
  legend.querySelectorAll('span').forEach((s) => s.style.setProperty('--c', `var(--${s.dataset.kind})`));
  return h('figure', { class: 'panel' }, h('figcaption', {}, label), root, legend);
}

function feedRow(item) {
  return [time(item.time), item.tenant ?? '—', accountLink(item.account, item.tenant), item.ip, outcome(item.outcome), badge(item.decision), item.score.toFixed(2),
    h('span', {}, item.reasons.map((r) => h('span', { class: 'reason', title: r.message }, r.code))),
    h('span', { class: 'links' }, item.campaign_ids.map((id) => campaignLink(id)))];
}
const feedHeaders = ['col.time', 'col.tenant', 'col.account', 'col.ip', 'col.outcome', 'col.decision', 'col.score', 'col.reasons', 'col.campaigns'];
const feedScoreColumn = feedHeaders.indexOf('col.score');

function liveTable(caption, items, max) {
  const tbl = table(caption, feedHeaders, items.map(feedRow), [feedScoreColumn]);
  const body = tbl.querySelector('tbody');
  return {
    element: tbl,
    add(item) {
      const tr = h('tr', {}, feedRow(item).map((c, i) => h('td', { class: i === feedScoreColumn ? 'num' : null }, c)));
      body.prepend(tr);
      while (body.children.length > max) body.lastElementChild.remove();
    },
  };
}

// ---------- views ----------

function signIn() {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const form = h('form', { class: 'panel signin', onsubmit: async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    try {
      await api.checkKey(key);
      session.set(key);
      say('');
      location.hash = '#/overview';
      route();
    } catch (e) {
      say(e instanceof ApiError && (e.status === 401 || e.status === 403) ? t('signin.rejected') : t('signin.failed'), true);
    }
  } },
  h('h1', {}, t('signin.title')), h('p', {}, t('signin.help')),
  h('label', { for: 'api-key' }, t('signin.key'), input), h('p', {}, h('button', { type: 'submit' }, t('signin.submit'))));
  main.replaceChildren(form);
  input.focus();
}

async function overview() {
  const chartSlot = h('div'), cards = h('div', { class: 'cards' }), campaigns = h('div', { id: 'campaigns' });
  const latest = liveTable(t('overview.latest'), [], 15);
  main.replaceChildren(h('h1', {}, t('overview.title')), chartSlot, cards, h('h2', {}, t('overview.campaigns')), campaigns, h('h2', {}, t('overview.latest')), latest.element);
  const rateCard = (title, r) => h('div', { class: `panel card${rateAlarming(r) ? ' alert' : ''}` },
    h('div', {}, title), h('div', { class: 'value' }, r.current === null ? t('overview.noData') : pct(r.current)),
    h('div', { class: 'sub' }, r.baseline === null && r.current !== null ? t('overview.noBaseline', { high: pct(HIGH_RATE) }) : t('overview.baseline', { value: pct(r.baseline) })));
  const refresh = async () => {
    try {
      const o = await api.overview();
      chartSlot.replaceChildren(chart(o.per_minute, t('overview.chart')));
      cards.replaceChildren(rateCard(t('overview.failureRate'), o.failure_rate), rateCard(t('overview.unknownRate'), o.unknown_account_rate));
      campaigns.replaceChildren(o.campaigns.length === 0 ? h('p', {}, t('overview.noCampaigns')) :
        table(t('overview.campaigns'), ['col.id', 'col.kind', 'col.start', 'col.attempts', 'col.accounts', 'col.asns', 'col.subnets', 'col.takeovers', 'col.exposed'],
          o.campaigns.map((c) => [campaignLink(c.id), kind(c.kind), time(c.first_seen), c.attempts, c.accounts_targeted,
            c.top_asns.slice(0, 3).map((s) => `${s.source} (${s.attempts})`).join(', '),
            c.top_subnets.slice(0, 3).map((s) => `${s.source} (${s.attempts})`).join(', '),
            capped(c.likely_takeovers, c), capped(c.exposed_passwords, c)]), [3, 4, 7, 8]));
    } catch (e) { fail(e); }
  };
  await refresh();
  try { (await api.recent({}, 15)).items.reverse().forEach((i) => latest.add(i)); } catch (e) { fail(e); }
  const timer = setInterval(refresh, 3000);
  const stream = streamDecisions({}, (item) => latest.add(item), () => {});
  cleanup.push(() => clearInterval(timer), () => stream.stop());
}

async function feed(params) {
  const filters = Object.fromEntries(['decision', 'reason', 'account', 'ip'].map((k) => [k, params.get(k) ?? '']));
  const field = (name, label, el) => h('label', { for: `f-${name}` }, t(label), el);
  const decision = h('select', { id: 'f-decision', name: 'decision' },
    h('option', { value: '' }, t('feed.any')), ['allow', 'challenge', 'step_up', 'deny'].map((d) => h('option', { value: d, selected: filters.decision === d }, t(d))));
  const input = (name) => h('input', { id: `f-${name}`, name, value: filters[name], autocomplete: 'off' });
  const form = h('form', { class: 'panel inline', role: 'search', 'aria-label': t('feed.filters'), onsubmit: (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const el of form.elements) if (el.name && el.value) q.set(el.name, el.value);
    location.hash = `#/feed?${q}`;
  } }, field('decision', 'feed.decision', decision), field('reason', 'feed.reason', input('reason')),
  field('account', 'feed.account', input('account')), field('ip', 'feed.ip', input('ip')), h('button', { type: 'submit' }, t('feed.apply')));
  const state = h('p', { class: 'muted', 'aria-live': 'polite' });
  const live = liveTable(t('feed.title'), [], 200);
  main.replaceChildren(h('h1', {}, t('feed.title')), form, state, live.element);
  try { (await api.recent(filters, 200)).items.reverse().forEach((i) => live.add(i)); } catch (e) { fail(e); return; }
  const stream = streamDecisions(filters, (item) => live.add(item), (s) => { state.textContent = t(s === 'live' ? 'feed.live' : 'feed.reconnecting'); });
  cleanup.push(() => stream.stop());
}

async function campaign(id) {
  let d;
  try { d = await api.campaign(id); } catch (e) { fail(e); main.replaceChildren(h('h1', {}, t('campaign.title', { id }))); return; }
  const c = d.campaign;
  const download = (format) => async () => {
    try {
      const { blob, file } = await api.export(id, format);
      const a = h('a', { href: URL.createObjectURL(blob), download: file });
      document.body.append(a); a.click(); a.remove();
      say(t('campaign.exported', { file }));
    } catch (e) { fail(e); }
  };
  const sources = (title, list) => table(title, ['col.source', 'col.attempts'], list.map((s) => [s.source, s.attempts]), [1]);
  main.replaceChildren(
    h('h1', {}, t('campaign.title', { id: c.id })),
    h('div', { class: 'cards' },
      [['col.kind', kind(c.kind)], ['col.state', t(c.open ? 'campaign.open' : 'campaign.closed')], ['col.start', time(c.first_seen)], ['col.last', time(c.last_seen)],
        ['col.attempts', c.attempts], ['col.accounts', c.accounts_targeted], ['campaign.distinctIps', c.distinct_ips],
        ['col.takeovers', capped(c.likely_takeovers, c), c.likely_takeovers > 0 ? 'alert' : null, 'campaign.takeoversHelp'],
        ['col.exposed', capped(c.exposed_passwords, c), null, 'campaign.exposedHelp']]
        .map(([k, v, cls, help]) => h('div', { class: `panel card${cls ? ` ${cls}` : ''}` }, h('div', {}, t(k)), h('div', { class: 'value' }, v),
          help ? h('div', { class: 'sub' }, t(help)) : null))),
    c.successes_truncated ? h('p', { class: 'panel notice', id: 'successes-truncated', role: 'note' }, t('campaign.successesTruncated', { cap: d.successes.length })) : '',   // not null: the DOM would print "null"
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'export-csv', onclick: download('csv') }, t('campaign.exportCsv')),
      h('button', { type: 'button', id: 'export-stix', onclick: download('stix') }, t('campaign.exportStix'))),
    chart(d.timeline, t('campaign.timeline')),
    h('h2', {}, t('campaign.takeovers')),
    d.successes.length ? table(t('campaign.takeovers'), ['col.account', 'col.time', 'col.ip', 'col.decision', 'col.verdictMeans'], d.successes.map((s) => [
      accountLink(s.account, c.tenant), time(s.at), s.ip, badge(s.decision), t(s.decision === 'deny' ? 'campaign.exposedOne' : 'campaign.takeoverOne')])) : h('p', {}, t('campaign.none')),
    h('h2', {}, t('campaign.sourcesAsn')), sources(t('campaign.sourcesAsn'), c.top_asns),
    h('h2', {}, t('campaign.sourcesSubnet')), sources(t('campaign.sourcesSubnet'), c.top_subnets),
    h('h2', {}, t('campaign.sourcesIp')), sources(t('campaign.sourcesIp'), c.top_ips),
    h('h2', {}, t('campaign.targets')),
    table(t('campaign.targets'), ['col.account', 'col.attempts', 'col.lastSeen'], d.targets.map((x) => [accountLink(x.account, x.tenant ?? c.tenant), x.attempts, time(x.last_seen)]), [1]));
}

async function account(id, tenant) {
  const input = h('input', { id: 'account-id', name: 'account', value: id ?? '', autocomplete: 'off', required: true });
  const tenantInput = h('input', { id: 'account-tenant', name: 'tenant', value: tenant ?? '', autocomplete: 'off' });
  const form = h('form', { class: 'panel inline', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = accountHref(input.value.trim(), tenantInput.value.trim());
  } },
  h('label', { for: 'account-id' }, t('account.lookup'), input), h('label', { for: 'account-tenant' }, t('account.tenant'), tenantInput),
  h('button', { type: 'submit' }, t('account.open')));
  const heading = id ? `${t('account.title')}: ${id}${tenant ? ` (${t('col.tenant')}: ${tenant})` : ''}` : t('account.title');
  main.replaceChildren(h('h1', {}, heading), form);
  if (!id) { input.focus(); return; }
  // done: the message, or a function of the server's answer that makes it.
  const act = async (call, done) => {
    try { const answer = await call(); say(typeof done === 'function' ? done(answer) : done); await account(id, tenant); }
    catch (e) {
      if (e instanceof ApiError && e.unsupported) say(t('account.unsupported', { endpoint: e.endpoint }), true); else fail(e);
    }
  };
  let a;
  try { a = await api.account(id, tenant); }
  catch (e) {
    if (e instanceof ApiError && e.status === 404) main.append(h('p', {}, t('account.notFound'))); else fail(e);
    return;
  }
  const devices = a.devices ?? [];
  const links = a.links ?? null;
  const linkRow = (l) => [l.id, t(`link.${l.kind}`), l.bank, l.masked_account, t(`link.${l.state}`), time(l.created),
    l.state === 'active'
      ? h('button', { type: 'button', class: 'danger', 'data-link': l.id, onclick: () => act(() => api.freezeLink(id, l.id), t('account.frozen', { link: l.id })) }, t('account.freeze'))
      // Unfreezing opens a money path again: the analyst confirms it, as the holder has to them.
      : h('button', { type: 'button', class: 'secondary', 'data-link': l.id, onclick: () => {
        if (window.confirm(t('account.unfreezeConfirm', { link: l.id }))) act(() => api.unfreezeLink(id, l.id), t('account.unfrozen', { link: l.id }));
      } }, t('account.unfreeze'))];
  // The server answers an id it has never seen with empty lists, not a 404: say so, or the analyst reads an empty
  // page as a quiet account (ids are case-sensitive here: ACCT25 is not acct25's record).
  const unknown = devices.length === 0 && (a.recent_events ?? []).length === 0 && (links ?? []).length === 0 && !a.password_change_required;
  main.append(
    // '' and not null: Element.append prints a null as the text "null".
    unknown ? h('p', { class: 'panel notice', id: 'account-unknown', role: 'note' }, t('account.notFound')) : '',
    a.password_change_required
      ? h('p', { class: 'panel notice', id: 'password-change-required', role: 'note' }, t('account.passwordChange', { since: a.password_change_required_since ? time(a.password_change_required_since) : '—' }))
      : '',
    a.step_ups_blocked_until
      ? h('p', { class: 'panel notice', id: 'step-ups-blocked', role: 'note' }, t('account.stepUpsBlocked', { until: time(a.step_ups_blocked_until) }))
      : '',
    h('p', { class: 'muted' }, t('account.audit')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'require-step-up', class: 'secondary',
        onclick: () => act(() => api.requireStepUpAtNextLogin(id, tenant), t('account.stepUpDone', { account: id })) }, t('account.stepUp')),
      h('button', { type: 'button', id: 'cancel-step-up', class: 'secondary',
        onclick: () => act(() => api.cancelStepUp(id, tenant), t('account.stepUpCancelled', { account: id })) }, t('account.stepUpCancel')),
      h('button', { type: 'button', id: 'clear-verification-failures', class: 'secondary', title: t('account.clearFailuresHint'),
        onclick: () => act(() => api.clearVerificationFailures(id),
          (r) => t(r && r.cleared ? 'account.failuresCleared' : 'account.noFailures', { account: id })) }, t('account.clearFailures'))),
    h('h2', {}, t('account.devices')),
    table(t('account.devices'), ['col.device', 'col.firstSeen', 'col.lastSeen', 'col.trusted', 'col.action'], devices.map((dv) => [
      dv.device, time(dv.first_seen), time(dv.last_seen), t(dv.trusted ? 'account.yes' : 'account.no'),
      dv.trusted
        ? h('button', { type: 'button', class: 'secondary', 'data-device': dv.device, onclick: () => act(() => api.untrustDevice(id, dv.device, tenant), t('account.untrusted', { device: dv.device })) }, t('account.untrust'))
        : h('button', { type: 'button', 'data-device': dv.device, onclick: () => act(() => api.trustDevice(id, dv.device, tenant), t('account.trusted', { device: dv.device })) }, t('account.trust'))])),
    h('h2', {}, t('account.links')),
    links === null ? h('p', {}, t('account.noLinks'))
      : links.length === 0 ? h('p', {}, t('account.linksEmpty'))
      : table(t('account.links'), ['col.link', 'col.linkKind', 'col.bank', 'col.bankAccount', 'col.state', 'col.created', 'col.action'], links.map(linkRow)),
    h('h2', {}, t('account.recent')),
    table(t('account.recent'), ['col.time', 'col.ip', 'col.device', 'col.outcome', 'col.decision', 'col.score', 'col.reasons'], (a.recent_events ?? []).map((e) => [
      time(e.time), e.ip ?? '—', e.device ?? '—', outcome(e.outcome), badge(e.decision), e.score.toFixed(2),
      h('span', {}, (e.reasons ?? []).map((r) => h('span', { class: 'reason', title: r.message }, r.code)))]), [5]));
}

function notFound() {
  main.replaceChildren(h('h1', {}, t('notFound.title')), h('p', { id: 'not-found' }, t('notFound.help')),
    h('p', {}, h('a', { href: '#/overview' }, t('nav.overview'))));
}

// ---------- routing ----------

function applyStaticText() {
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  const toggle = document.getElementById('lang-toggle');
  toggle.textContent = t('langToggle');
  toggle.lang = lang() === 'ja' ? 'en' : 'ja';
  document.title = lang() === 'ja' ? 'Mamori ダッシュボード' : 'Mamori dashboard';
}

async function route() {
  cleanup.forEach((f) => f()); cleanup = [];
  applyStaticText();
  if (!session.key) { signIn(); return; }
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  const [path, search] = location.hash.slice(1).split('?');
  const parts = (path || '/overview').split('/').filter(Boolean);
  const page = parts[0] ?? 'overview';
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.getAttribute('href') === `#/${page}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  let arg = null;
  try { arg = parts[1] ? decodeURIComponent(parts[1]) : null; }
  catch { notFound(); return; }   // "#/account/100%real": a malformed escape is no page, not a crash
  if (page === 'feed') await feed(new URLSearchParams(search ?? ''));
  else if (page === 'campaign' && arg) await campaign(arg);
  else if (page === 'account') await account(arg, new URLSearchParams(search ?? '').get('tenant') || null);
  else await overview();
}

// The skip link must not change location.hash: the router reads the hash, and "#main" is not a page.
document.querySelector('.skip-link').addEventListener('click', (ev) => { ev.preventDefault(); main.focus(); });
document.getElementById('lang-toggle').addEventListener('click', () => { setLang(lang() === 'ja' ? 'en' : 'ja'); route(); });
document.getElementById('sign-out').addEventListener('click', () => { session.clear(); location.hash = ''; route(); });
window.addEventListener('mamori:unauthorized', () => { session.clear(); say(t('signin.rejected'), true); route(); });
window.addEventListener('hashchange', () => { say(''); route().then(() => main.focus()); });
setLang(lang());
route();
