'use strict';
// The OpenLoRA dashboard: polls /metrics and the JSON API, draws its own charts, and signs adapter uploads in the
// page (EIP-191 personal_sign with secp256k1 and keccak-256 written here, so nothing is fetched from elsewhere).

// ---- keccak-256 (Keccak-f[1600] on 64-bit BigInt lanes; Ethereum's padding 0x01) ----
const MASK = (1n << 64n) - 1n;
const RC = [0x1n, 0x8082n, 0x800000000000808an, 0x8000000080008000n, 0x808bn, 0x80000001n, 0x8000000080008081n,
  0x8000000000008009n, 0x8an, 0x88n, 0x80008009n, 0x8000000an, 0x8000808bn, 0x800000000000008bn, 0x8000000000008089n,
  0x8000000000008003n, 0x8000000000008002n, 0x8000000000000080n, 0x800an, 0x800000008000000an, 0x8000000080008081n,
  0x8000000000008080n, 0x80000001n, 0x8000000080008008n];
const RHO = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]];
const rotl = (v, n) => n === 0 ? v : ((v << BigInt(n)) | (v >> BigInt(64 - n))) & MASK;

function keccakF(s) {
  for (let round = 0; round < 24; round++) {
    const c = [0, 1, 2, 3, 4].map(x => s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20]);
    const d = [0, 1, 2, 3, 4].map(x => c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1));
    for (let i = 0; i < 25; i++) s[i] ^= d[i % 5];
    const b = new Array(25);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y], RHO[x][y]);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) s[x + 5 * y] = b[x + 5 * y] ^ ((~b[(x + 1) % 5 + 5 * y] & MASK) & b[(x + 2) % 5 + 5 * y]);
    s[0] ^= RC[round];
  }
}

function keccak256(bytes) {
  const rate = 136;
  const state = new Array(25).fill(0n);
  const padded = new Uint8Array(Math.ceil((bytes.length + 1) / rate) * rate);
  padded.set(bytes);
  padded[bytes.length] ^= 0x01;
  padded[padded.length - 1] ^= 0x80;
  for (let offset = 0; offset < padded.length; offset += rate) {
    for (let lane = 0; lane < rate / 8; lane++) {
      let v = 0n;
      for (let b = 7; b >= 0; b--) v = (v << 8n) | BigInt(padded[offset + lane * 8 + b]);
      state[lane] ^= v;
    }
    keccakF(state);
  }
  const out = new Uint8Array(32);
  for (let lane = 0; lane < 4; lane++) {
    let v = state[lane];
    for (let b = 0; b < 8; b++) { out[lane * 8 + b] = Number(v & 0xffn); v >>= 8n; }
  }
  return out;
}

// ---- secp256k1 (affine BigInt arithmetic; a signature costs milliseconds, which a form can afford) ----
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const G = [0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n, 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n];
const mod = (a, m) => ((a % m) + m) % m;

function inverse(a, m) {
  let [t, nextT, r, nextR] = [0n, 1n, m, mod(a, m)];
  while (nextR !== 0n) {
    const q = r / nextR;
    [t, nextT] = [nextT, t - q * nextT];
    [r, nextR] = [nextR, r - q * nextR];
  }
  return mod(t, m);
}

function pointAdd(p1, p2) {
  if (!p1) return p2;
  if (!p2) return p1;
  const [x1, y1] = p1, [x2, y2] = p2;
  let slope;
  if (x1 === x2) {
    if (mod(y1 + y2, P) === 0n) return null;
    slope = mod(3n * x1 * x1 * inverse(2n * y1, P), P);
  } else {
    slope = mod((y2 - y1) * inverse(x2 - x1, P), P);
  }
  const x3 = mod(slope * slope - x1 - x2, P);
  return [x3, mod(slope * (x1 - x3) - y1, P)];
}

function pointMul(k, point) {
  let result = null, addend = point;
  while (k > 0n) {
    if (k & 1n) result = pointAdd(result, addend);
    addend = pointAdd(addend, addend);
    k >>= 1n;
  }
  return result;
}

const toBig = bytes => BigInt('0x' + (toHex(bytes) || '0'));
const toHex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
const hex32 = v => v.toString(16).padStart(64, '0');
const fromHex = hex => Uint8Array.from((hex.replace(/^0x/, '').match(/../g) || []).map(h => parseInt(h, 16)));
const concat = (a, b) => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; };

function addressOf(privateKeyHex) {
  const [x, y] = pointMul(BigInt('0x' + privateKeyHex.replace(/^0x/, '')), G);
  return '0x' + toHex(keccak256(fromHex(hex32(x) + hex32(y))).slice(12));
}

/** personal_sign: keccak256("\x19Ethereum Signed Message:\n" + length + message), r || s || v, low s. */
function personalSign(privateKeyHex, message) {
  const d = BigInt('0x' + privateKeyHex.replace(/^0x/, ''));
  if (d <= 0n || d >= N) throw new Error('The private key is not a valid secp256k1 key.');
  const body = new TextEncoder().encode(message);
  const z = toBig(keccak256(concat(new TextEncoder().encode('\x19Ethereum Signed Message:\n' + body.length), body)));
  for (;;) {
    const k = mod(toBig(crypto.getRandomValues(new Uint8Array(32))), N);
    if (k === 0n) continue;
    const point = pointMul(k, G);
    const r = mod(point[0], N);
    if (r === 0n) continue;
    let s = mod(inverse(k, N) * (z + r * d), N);
    if (s === 0n) continue;
    let recovery = Number(point[1] & 1n) | (point[0] >= N ? 2 : 0);
    if (s > N / 2n) { s = N - s; recovery ^= 1; }
    return '0x' + hex32(r) + hex32(s) + (27 + recovery).toString(16);
  }
}

// ---- API helpers ----
const $ = id => document.getElementById(id);
async function getJson(path, headers) {
  const response = await fetch(path, { headers: headers || {} });
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}
function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const cell of cells) { const td = document.createElement('td'); td.textContent = cell; tr.appendChild(td); }
  return tr;
}
const formatOpen = units => {
  const value = BigInt(units), unit = 10n ** 18n;
  const fraction = (value % unit).toString().padStart(18, '0').replace(/0+$/, '');
  return (value / unit).toString() + (fraction ? '.' + fraction : '') + ' OPEN';
};

// ---- metrics and charts ----
function parseMetrics(text) {
  const sums = {};
  const labelled = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([^\s]+)/);
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    sums[match[1]] = (sums[match[1]] || 0) + value;
    if (match[2]) (labelled[match[1]] = labelled[match[1]] || []).push(match[2]);
  }
  return { sums, labelled };
}

class Chart {
  constructor(canvas, colors) { this.canvas = canvas; this.colors = colors; this.series = colors.map(() => []); }
  push(values) {
    values.forEach((v, i) => { this.series[i].push(v); if (this.series[i].length > 120) this.series[i].shift(); });
    this.canvas.dataset.latest = String(values[0]);
    this.draw();
  }
  draw() {
    const c = this.canvas.getContext('2d'), w = this.canvas.width, h = this.canvas.height;
    c.clearRect(0, 0, w, h);
    const max = Math.max(1e-9, ...this.series.flat());
    this.series.forEach((points, i) => {
      c.strokeStyle = this.colors[i];
      c.beginPath();
      points.forEach((v, j) => { const x = j * w / 119, y = h - 4 - (v / max) * (h - 8); j ? c.lineTo(x, y) : c.moveTo(x, y); });
      c.stroke();
    });
  }
}

const throughput = new Chart($('throughput'), ['#1a73e8', '#e8710a']);
const latency = new Chart($('latency'), ['#137333', '#b3261e']);
let previous = null;

async function pollMetrics() {
  const response = await fetch('/metrics');
  const now = performance.now() / 1000;
  const { sums, labelled } = parseMetrics(await response.text());
  const current = {
    t: now,
    tokens: sums['openlora_generated_tokens_total'] || 0,
    requests: sums['openlora_e2e_request_latency_seconds_count'] || 0,
    ttftSum: sums['openlora_time_to_first_token_seconds_sum'] || 0,
    ttftCount: sums['openlora_time_to_first_token_seconds_count'] || 0,
    e2eSum: sums['openlora_e2e_request_latency_seconds_sum'] || 0,
  };
  if (previous) {
    const dt = Math.max(1e-3, current.t - previous.t);
    const tokensPerSecond = (current.tokens - previous.tokens) / dt;
    const requestsPerSecond = (current.requests - previous.requests) / dt;
    throughput.push([tokensPerSecond, requestsPerSecond]);
    $('throughput-text').textContent = `${tokensPerSecond.toFixed(1)} tok/s, ${requestsPerSecond.toFixed(2)} req/s`;
    const dc = current.ttftCount - previous.ttftCount, dr = current.requests - previous.requests;
    const ttft = dc > 0 ? (current.ttftSum - previous.ttftSum) / dc : 0;
    const e2e = dr > 0 ? (current.e2eSum - previous.e2eSum) / dr : 0;
    latency.push([ttft, e2e]);
    $('latency-text').textContent = `TTFT ${ttft.toFixed(3)} s, end to end ${e2e.toFixed(3)} s`;
  }
  previous = current;
  const info = (labelled['vllm:lora_requests_info'] || [])
    .map(labels => ({ running: (labels.match(/running_lora_adapters="([^"]*)"/) || [])[1], max: (labels.match(/max_lora="([^"]*)"/) || [])[1] }));
  $('resident').textContent = info.map(i => `resident and in use: ${i.running || 'none'} (at most ${i.max})`).join('; ');
}

async function loadAdapters() {
  const { ok, body } = await getJson('/v1/adapters');
  if (!ok) return;
  const rows = body.data.map(a => row([a.name, a.base_model, a.publisher || 'operator', String(a.size_bytes)]));
  $('adapters').replaceChildren(...rows);
}

async function loadBatches() {
  const { ok, body } = await getJson('/v1/batches?limit=10');
  if (!ok) return;
  $('batches').replaceChildren(...body.data.map(b => row([String(b.id), String(b.count), b.root.slice(0, 18) + '…',
    b.chain ? `${b.chain.status} ${b.chain.tx_hash ? b.chain.tx_hash.slice(0, 18) + '…' : ''}` : 'not committed'])));
}

// ---- traces: verified in the page ----
function verifyProof(traceHashHex, batch) {
  let node = keccak256(keccak256(fromHex(traceHashHex)));
  if ('0x' + toHex(node) !== batch.leaf) return false;
  for (const sibling of batch.proof.map(fromHex)) {
    node = toHex(node) < toHex(sibling) ? keccak256(concat(node, sibling)) : keccak256(concat(sibling, node));
  }
  return '0x' + toHex(node) === batch.root;
}

async function checkTrace() {
  const id = $('trace-id').value.trim();
  if (!id) return;
  const { ok, body } = await getJson('/v1/traces/' + encodeURIComponent(id));
  if (!ok) { $('traces').prepend(row([id, body && body.error ? body.error.message : 'not found'], 'bad')); return; }
  const hashOk = '0x' + toHex(keccak256(new TextEncoder().encode(body.canonical))) === body.trace_hash;
  const proofOk = body.batch ? verifyProof(body.trace_hash, body.batch) : null;
  const verdict = `hash ${hashOk ? '✓' : '✗'}, proof ${proofOk === null ? 'pending' : proofOk ? '✓' : '✗'}, ${body.status}`;
  $('traces').prepend(row([id, verdict, body.chain && body.chain.tx_hash ? body.chain.tx_hash : ''], hashOk && proofOk !== false ? 'ok' : 'bad'));
}

// ---- balance ----
async function showBalance() {
  const key = $('api-key').value.trim();
  const { ok, body } = await getJson('/v1/account', { Authorization: 'Bearer ' + key });
  if (!ok) { $('balance').replaceChildren(row([body && body.error ? body.error.message : 'unavailable'], 'bad')); return; }
  $('balance').replaceChildren(...['balance', 'reserved', 'spent', 'deposited'].map(k => row([k, formatOpen(body[k])])));
}

// ---- upload: sha256 and the signature are computed here; the key never leaves the page ----
async function upload(event) {
  event.preventDefault();
  const result = $('upload-result');
  try {
    const file = $('upload-file').files[0];
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
    const name = $('upload-name').value.trim(), base = $('upload-base').value.trim();
    const priceIn = $('upload-price-in').value.trim(), priceOut = $('upload-price-out').value.trim();
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const message = ['OpenLoRA adapter upload', 'sha256: ' + sha256, 'name: ' + name, 'base_model: ' + base,
      'price_input_per_1k: ' + priceIn, 'price_output_per_1k: ' + priceOut, 'timestamp: ' + timestamp].join('\n');
    const form = new FormData();
    form.append('name', name);
    form.append('base_model', base);
    form.append('price_input_per_1k', priceIn);
    form.append('price_output_per_1k', priceOut);
    form.append('sha256', sha256);
    form.append('timestamp', timestamp);
    form.append('signature', personalSign($('upload-key').value.trim(), message));
    form.append('file', file, file.name);
    const response = await fetch('/v1/adapters', { method: 'POST', body: form });
    const body = await response.json();
    result.textContent = response.ok ? `published ${body.name} (${body.id.slice(0, 12)}…) by ${body.publisher}` : body.error.message;
    result.className = response.ok ? 'ok' : 'bad';
    await loadAdapters();
  } catch (error) {
    result.textContent = String(error.message || error);
    result.className = 'bad';
  }
}

$('upload').addEventListener('submit', upload);
$('trace-check').addEventListener('click', checkTrace);
$('balance-check').addEventListener('click', showBalance);

async function tick() {
  try {
    await Promise.all([pollMetrics(), loadAdapters(), loadBatches()]);
    $('status').textContent = 'live';
  } catch (error) {
    $('status').textContent = 'server unreachable';
  }
}
window.openlora = { keccak256: b => toHex(keccak256(b)), addressOf, personalSign };
tick();
setInterval(tick, 1000);
