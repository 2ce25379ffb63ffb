// The OpenLoRA dashboard. Everything here reads the server's public API and /metrics from the page; the only
// secrets it handles (a publisher's private key, a caller's API key) stay in this page's memory: the private key
// signs in the page and is never sent, the API key goes only to this server in an Authorization header.
import { LineChart } from './chart.js';
import { parsePrometheus, total } from './metrics.js';
import { addressOf, personalSign } from './secp256k1.js';
import { keccak256 } from './keccak.js';
import { toHex, utf8 } from './bytes.js';
import { verifyMerkleProof, verifyTraceHash } from './verify.js';

const POLL_MS = 1000;
const TRACE_POLL_MS = 3000;
const MAX_TRACES = 20;
const $ = id => document.getElementById(id);

// ---- small DOM and HTTP helpers ----

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

const row = (...cells) => element('tr', {}, ...cells.map(c => (c instanceof Node && c.tagName === 'TD' ? c : element('td', {}, c))));
const mark = ok => (ok === null || ok === undefined ? element('span', { className: 'muted', textContent: '…' })
  : element('span', { className: ok ? 'ok' : 'bad', textContent: ok ? '✓' : '✗' }));
const short = (text, n = 10) => (text && text.length > 2 * n + 1 ? text.slice(0, n + 2) + '…' + text.slice(-n) : text || '');
const code = (text, title) => element('code', { textContent: short(text), title: title || text || '' });

function authHeaders() {
  const key = $('api-key').value.trim();
  return key ? { Authorization: 'Bearer ' + key } : {};
}

/** fetch + JSON body; never throws for an HTTP status, only for a network failure. */
async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}

const errorText = (result, fallback) =>
  (result.body && result.body.error && result.body.error.message) || `${fallback} (HTTP ${result.status})`;

function formatOpen(units) {
  if (units === undefined || units === null) return '–';
  const value = BigInt(units);
  const unit = 10n ** 18n;
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  const fraction = (magnitude % unit).toString().padStart(18, '0').replace(/0+$/, '');
  return `${sign}${(magnitude / unit).toLocaleString('en-US')}${fraction ? '.' + fraction : ''} OPEN`;
}

function formatBytes(n) {
  if (!(n >= 0)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

// ---- live metrics: counters differenced between successive scrapes ----

const throughputChart = new LineChart($('throughput'), [
  { label: 'output tokens/s', color: '#1a73e8' },
  { label: 'requests/s', color: '#e8710a' },
], { digits: 1 });
const latencyChart = new LineChart($('latency'), [
  { label: 'TTFT', color: '#137333' },
  { label: 'end to end', color: '#b3261e' },
], { unit: ' s', digits: 3 });

let previousScrape = null;
let residentInUse = new Set();

async function pollMetrics() {
  const response = await fetch('/metrics');
  if (!response.ok) throw new Error('/metrics answered ' + response.status);
  const samples = parsePrometheus(await response.text());
  const scrape = {
    at: performance.now() / 1000,
    tokens: total(samples, 'openlora_generated_tokens_total'),
    // Finished generations: every one observes the end-to-end histogram once.
    requests: total(samples, 'openlora_e2e_request_latency_seconds_count'),
    e2eSum: total(samples, 'openlora_e2e_request_latency_seconds_sum'),
    ttftCount: total(samples, 'openlora_time_to_first_token_seconds_count'),
    ttftSum: total(samples, 'openlora_time_to_first_token_seconds_sum'),
  };
  if (previousScrape) {
    const seconds = Math.max(0.001, scrape.at - previousScrape.at);
    // A counter that went down means the server restarted; show 0 for that interval rather than a negative rate.
    const rate = (now, before) => Math.max(0, now - before) / seconds;
    throughputChart.push([rate(scrape.tokens, previousScrape.tokens), rate(scrape.requests, previousScrape.requests)]);
    const mean = (sum, count, sumBefore, countBefore) => (count > countBefore ? (sum - sumBefore) / (count - countBefore) : null);
    latencyChart.push([
      mean(scrape.ttftSum, scrape.ttftCount, previousScrape.ttftSum, previousScrape.ttftCount),
      mean(scrape.e2eSum, scrape.requests, previousScrape.e2eSum, previousScrape.requests),
    ]);
  }
  previousScrape = scrape;

  // Resident adapters: how many are loaded (openlora_*), and which are in use now (the vLLM-compatible info gauge).
  const lines = [];
  residentInUse = new Set();
  for (const info of samples.filter(s => s.name === 'vllm:lora_requests_info')) {
    const running = (info.labels.running_lora_adapters || '').split(',').filter(Boolean);
    const waiting = (info.labels.waiting_lora_adapters || '').split(',').filter(Boolean);
    running.forEach(a => residentInUse.add(a));
    const model = info.labels.model_name || 'base model';
    const loaded = samples.find(s => s.name === 'openlora_resident_adapters' && s.labels.model === info.labels.model_name);
    const bytes = samples.find(s => s.name === 'openlora_resident_adapter_bytes' && s.labels.model === info.labels.model_name);
    lines.push(`${model}: ${loaded ? loaded.value : '?'} resident (${formatBytes(bytes ? bytes.value : NaN)}, at most ${info.labels.max_lora || '?'}); `
      + `running: ${running.join(', ') || 'none'}; waiting: ${waiting.join(', ') || 'none'}`);
  }
  $('resident').replaceChildren(...(lines.length ? lines : ['no base model reports LoRA state']).map(l => element('div', {}, l)));
}

// ---- registered adapters ----

async function loadAdapters() {
  const result = await api('/v1/adapters');
  if (!result.ok) {
    $('adapters').replaceChildren(row(errorText(result, 'The adapter list is unavailable')));
    return;
  }
  const adapters = result.body.data || [];
  $('adapters').replaceChildren(...adapters.map(a => {
    const tr = row(
      element('td', {}, element('strong', { textContent: a.name }), residentInUse.has(a.name) ? element('span', { className: 'pill', textContent: 'running' }) : ''),
      a.base_model,
      a.publisher ? code(a.publisher) : element('span', { className: 'muted', textContent: 'operator' }),
      `${a.price_input_per_1k} / ${a.price_output_per_1k}`,
      formatBytes(a.size_bytes),
      code(a.id));
    tr.dataset.name = a.name;
    return tr;
  }));
  $('adapter-count').textContent = `${adapters.length} registered`;
  const names = [...new Set(adapters.map(a => a.name))];
  const bases = [...new Set(adapters.map(a => a.base_model))];
  $('model-names').replaceChildren(...[...bases, ...names].map(n => element('option', { value: n })));
  $('base-models').replaceChildren(...bases.map(n => element('option', { value: n })));
}

// ---- batches ----

async function loadBatches() {
  const result = await api('/v1/batches?limit=8');
  if (!result.ok) {
    $('batches').replaceChildren(row(errorText(result, 'Batches are unavailable')));
    return;
  }
  const batches = result.body.data || [];
  $('batches').replaceChildren(...(batches.length === 0
    ? [row(element('td', { colSpan: 5, className: 'muted', textContent: 'no batch sealed yet' }))]
    : batches.map(b => row(
      String(b.id),
      String(b.count),
      code(b.root),
      b.chain ? `${b.chain.status}${b.chain.block !== null && b.chain.block !== undefined ? ' @ ' + b.chain.block : ''}` : 'chain off',
      b.chain && b.chain.tx_hash ? code(b.chain.tx_hash) : '–'))));
}

// ---- traces, verified in the page ----

const traces = new Map(); // id → last result, newest first by insertion order of `traceOrder`
let traceOrder = [];

function trackTrace(id) {
  id = id.trim();
  if (!id) return;
  traceOrder = [id, ...traceOrder.filter(t => t !== id)].slice(0, MAX_TRACES);
  refreshTrace(id);
}

async function refreshTrace(id) {
  const result = await api('/v1/traces/' + encodeURIComponent(id));
  traces.set(id, result.ok ? { trace: result.body } : { error: errorText(result, 'Trace not found') });
  renderTraces();
}

function renderTraces() {
  $('traces').replaceChildren(...traceOrder.map(id => {
    const entry = traces.get(id);
    if (!entry) return row(code(id), element('td', { colSpan: 5, className: 'muted', textContent: 'loading…' }));
    if (entry.error) return row(code(id), element('td', { colSpan: 5, className: 'bad', textContent: entry.error }));
    const t = entry.trace;
    const hashOk = verifyTraceHash(t);
    const proofOk = verifyMerkleProof(t);
    const tr = row(
      code(id),
      t.status,
      element('td', {}, mark(hashOk), ' hash'),
      element('td', {}, mark(proofOk), proofOk === null ? ' not batched yet' : ` proof (batch ${t.batch.id})`),
      t.chain ? `${t.chain.status}${t.chain.block !== null && t.chain.block !== undefined ? ' @ ' + t.chain.block : ''}` : '–',
      t.chain && t.chain.tx_hash ? code(t.chain.tx_hash) : '–');
    tr.dataset.traceId = id;
    tr.dataset.hashOk = String(hashOk);
    tr.dataset.proofOk = String(proofOk);
    return tr;
  }));
}

async function pollTraces() {
  // Only traces that can still change: not yet in a batch, or their batch not final on-chain.
  const open = traceOrder.filter(id => {
    const entry = traces.get(id);
    return entry && entry.trace && (entry.trace.status !== 'committed' || (entry.trace.chain && entry.trace.chain.status !== 'committed'));
  });
  await Promise.all(open.map(refreshTrace));
}

// ---- try it: a chat request whose trace is then followed ----

async function tryIt(event) {
  event.preventDefault();
  const output = $('try-result');
  output.className = 'muted';
  output.textContent = 'generating…';
  try {
    const result = await api('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authHeaders() },
      body: JSON.stringify({
        model: $('try-model').value.trim(),
        messages: [{ role: 'user', content: $('try-prompt').value }],
        max_tokens: Number($('try-max-tokens').value) || 32,
      }),
    });
    if (!result.ok) {
      output.className = 'bad';
      output.textContent = errorText(result, 'The request failed');
      return;
    }
    const body = result.body;
    output.className = '';
    output.replaceChildren(
      element('div', { className: 'reply', textContent: body.choices[0].message.content }),
      element('div', { className: 'muted', textContent: `${body.usage.prompt_tokens} prompt + ${body.usage.completion_tokens} completion tokens${body.trace_id ? ', trace ' + body.trace_id : ', not traced'}` }));
    if (body.trace_id) trackTrace(body.trace_id);
  } catch (error) {
    output.className = 'bad';
    output.textContent = String(error.message || error);
  }
}

// ---- balance ----

async function showBalance(event) {
  event.preventDefault();
  const target = $('balance');
  if (!$('api-key').value.trim()) {
    target.replaceChildren(row(element('td', { className: 'muted', textContent: 'Enter an API key first.' })));
    return;
  }
  const result = await api('/v1/account', { headers: authHeaders() });
  if (!result.ok) {
    const off = result.status === 404 && result.body && result.body.error && result.body.error.code === 'billing_disabled';
    target.replaceChildren(row(element('td', {
      className: off ? 'muted' : 'bad',
      textContent: off ? 'Billing is off on this server: requests are not charged.' : errorText(result, 'The account is unavailable'),
    })));
    return;
  }
  const a = result.body;
  target.replaceChildren(
    row('account', code(a.address)),
    ...['balance', 'reserved', 'spent', 'deposited'].map(k => {
      const tr = row(k, formatOpen(a[k]));
      tr.dataset.field = k;
      return tr;
    }));
}

// ---- publish an adapter: sha256 and the signature are computed here; the key never leaves the page ----

function showPublisher() {
  const key = $('upload-key').value.trim();
  const target = $('upload-address');
  if (!key) { target.textContent = ''; return; }
  try {
    target.className = 'muted';
    target.textContent = 'signs as ' + addressOf(key);
  } catch (error) {
    target.className = 'bad';
    target.textContent = error.message;
  }
}

/** The canonical text the server checks (PublisherMessages.Upload): \n line ends, no trailing newline. */
const uploadMessage = (publisher, chainId, sha256, name, baseModel, priceIn, priceOut, timestamp) => [
  'OpenLoRA adapter upload',
  `publisher: ${publisher}`,
  `chain_id: ${chainId}`,
  `sha256: ${sha256}`,
  `name: ${name}`,
  `base_model: ${baseModel}`,
  `price_input_per_1k: ${priceIn}`,
  `price_output_per_1k: ${priceOut}`,
  `timestamp: ${timestamp}`,
].join('\n');

async function upload(event) {
  event.preventDefault();
  const output = $('upload-result');
  const button = $('upload-submit');
  button.disabled = true;
  output.className = 'muted';
  output.textContent = 'hashing and signing…';
  try {
    const file = $('upload-file').files[0];
    if (!file) throw new Error('Choose a .gguf file.');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
    const name = $('upload-name').value.trim();
    const baseModel = $('upload-base').value.trim();
    const priceIn = $('upload-price-in').value.trim();
    const priceOut = $('upload-price-out').value.trim();
    const description = $('upload-description').value.trim();
    const chain = await api('/v1/chain');
    if (!chain.ok) throw new Error(errorText(chain, 'Could not read the chain id'));
    const key = $('upload-key').value;
    const publisher = addressOf(key).toLowerCase();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await personalSign(key, uploadMessage(publisher, chain.body.chain_id, sha256, name, baseModel, priceIn, priceOut, timestamp));

    const form = new FormData();
    form.append('name', name);
    form.append('base_model', baseModel);
    form.append('price_input_per_1k', priceIn);
    form.append('price_output_per_1k', priceOut);
    form.append('sha256', sha256);
    form.append('timestamp', String(timestamp));
    form.append('signature', signature);
    form.append('publisher', publisher);
    if (description) form.append('description', description);
    form.append('file', new Blob([bytes]), file.name);
    output.textContent = 'uploading…';
    const result = await api('/v1/adapters', { method: 'POST', body: form });
    if (!result.ok) {
      output.className = 'bad';
      output.textContent = errorText(result, 'The upload failed');
      return;
    }
    const a = result.body;
    output.className = 'ok';
    output.textContent = `Published ${a.name} (sha256 ${short(a.sha256, 8)}, rank ${a.rank}, ${formatBytes(a.size_bytes)}) by ${a.publisher}.`;
    await loadAdapters();
  } catch (error) {
    output.className = 'bad';
    output.textContent = String(error.message || error);
  } finally {
    button.disabled = false;
  }
}

// ---- wiring ----

$('upload').addEventListener('submit', upload);
$('upload-key').addEventListener('change', showPublisher);
$('trace-form').addEventListener('submit', event => {
  event.preventDefault();
  trackTrace($('trace-id').value);
  $('trace-id').value = '';
});
$('try').addEventListener('submit', tryIt);
$('balance-form').addEventListener('submit', showBalance);

async function tick() {
  const results = await Promise.allSettled([pollMetrics(), loadAdapters(), loadBatches()]);
  const failed = results.find(r => r.status === 'rejected');
  $('status').textContent = failed ? 'server unreachable' : 'live';
  $('status').className = failed ? 'bad' : 'ok';
}

// Chained timeouts rather than setInterval: a slow server never gets a second scrape before the first answered.
async function every(work, ms) {
  try {
    await work();
  } finally {
    setTimeout(() => every(work, ms), ms);
  }
}

every(tick, POLL_MS);
every(() => pollTraces().catch(() => {}), TRACE_POLL_MS);
window.addEventListener('resize', () => { throughputChart.draw(); latencyChart.draw(); });

// For scripts and tests that check the page's cryptography against another implementation.
window.openlora = { keccak256: text => '0x' + toHex(keccak256(utf8(text))), addressOf, personalSign };
