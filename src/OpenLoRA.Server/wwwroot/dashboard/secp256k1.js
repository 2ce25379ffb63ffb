// secp256k1 ECDSA and EIP-191 personal_sign, written here so a publisher's key is used only inside this page: no
// library from a CDN, nothing sent anywhere. Deterministic nonces (RFC 6979, HMAC-SHA256 through WebCrypto) make the
// signature the same one Nethereum, ethers or MetaMask would produce for the same key and text, and remove the need
// for a good random source. Affine coordinates with one modular inverse per step: about 10 ms per signature in V8,
// which a form submission can afford; this is not constant-time code and is not meant for a server.
import { keccak256 } from './keccak.js';
import { bigIntToBytes, bytesToBigInt, concat, toHex, utf8 } from './bytes.js';

const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = N >> 1n;
const G = {
  x: 0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798n,
  y: 0x483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8n,
};

const mod = (a, m) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

/** Modular inverse by the extended Euclidean algorithm (m is prime, a is not a multiple of it). */
function invert(a, m) {
  let [low, high] = [mod(a, m), m];
  let [lowCoefficient, highCoefficient] = [1n, 0n];
  while (low > 1n) {
    const q = high / low;
    [low, high] = [high - q * low, low];
    [lowCoefficient, highCoefficient] = [highCoefficient - q * lowCoefficient, lowCoefficient];
  }
  return mod(lowCoefficient, m);
}

// Points are {x, y}; null is the point at infinity.
function add(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  let slope;
  if (a.x === b.x) {
    if (mod(a.y + b.y, P) === 0n) return null;
    slope = mod(3n * a.x * a.x * invert(2n * a.y, P), P);
  } else {
    slope = mod((b.y - a.y) * invert(b.x - a.x, P), P);
  }
  const x = mod(slope * slope - a.x - b.x, P);
  return { x, y: mod(slope * (a.x - x) - a.y, P) };
}

function multiply(scalar, point) {
  let result = null;
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

export function parsePrivateKey(hex) {
  const clean = String(hex).trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,64}$/i.test(clean)) throw new Error('The private key must be up to 64 hex digits.');
  const d = BigInt('0x' + clean);
  if (d <= 0n || d >= N) throw new Error('The private key is outside the secp256k1 range.');
  return d;
}

/** The Ethereum address (lower-case 0x-hex) of a private key: the last 20 bytes of keccak256(x || y). */
export function addressOf(privateKeyHex) {
  const point = multiply(parsePrivateKey(privateKeyHex), G);
  return '0x' + toHex(keccak256(concat(bigIntToBytes(point.x, 32), bigIntToBytes(point.y, 32))).slice(12));
}

async function hmacSha256(key, data) {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, data));
}

/**
 * RFC 6979 section 3.2 with HMAC-SHA256. qlen = hlen = 256 bits, so bits2int is a plain big-endian read and
 * bits2octets(h) is int2octets(h mod n).
 */
async function deterministicNonce(d, hash) {
  const x = bigIntToBytes(d, 32);
  const h = bigIntToBytes(mod(bytesToBigInt(hash), N), 32);
  let v = new Uint8Array(32).fill(1);
  let k = new Uint8Array(32);
  k = await hmacSha256(k, concat(v, [0], x, h));
  v = await hmacSha256(k, v);
  k = await hmacSha256(k, concat(v, [1], x, h));
  v = await hmacSha256(k, v);
  for (;;) {
    v = await hmacSha256(k, v);
    const candidate = bytesToBigInt(v);
    if (candidate >= 1n && candidate < N) return candidate;
    k = await hmacSha256(k, concat(v, [0]));
    v = await hmacSha256(k, v);
  }
}

/**
 * Signs a 32-byte hash: returns r, s (low-s, as Ethereum requires since EIP-2) and the recovery id, the parity of
 * R.y flipped when s is negated (R.x >= n would add 2; its chance is about 2^-128, so it is refused rather than
 * encoded in a v that personal_sign has no room for).
 */
export async function signHash(privateKeyHex, hash) {
  const d = parsePrivateKey(privateKeyHex);
  const z = bytesToBigInt(hash);
  for (let attempt = 0; ; attempt++) {
    // RFC 6979 gives one k per (key, hash); the retry loop only matters for the astronomically unlikely r = 0 or s = 0.
    const k = attempt === 0 ? await deterministicNonce(d, hash) : await deterministicNonce(d, keccak256(concat(hash, [attempt])));
    const point = multiply(k, G);
    const r = mod(point.x, N);
    if (r === 0n || point.x >= N) continue;
    let s = mod(invert(k, N) * (z + r * d), N);
    if (s === 0n) continue;
    let recovery = Number(point.y & 1n);
    if (s > HALF_N) {
      s = N - s;
      recovery ^= 1;
    }
    return { r, s, recovery };
  }
}

/** The EIP-191 hash personal_sign signs: keccak256("\x19Ethereum Signed Message:\n" + byte length + message). */
export function personalMessageHash(message) {
  const body = utf8(message);
  return keccak256(concat(utf8('\x19Ethereum Signed Message:\n' + body.length), body));
}

/** personal_sign over a UTF-8 text: 0x-hex of r (32 bytes) || s (32 bytes) || v (27 or 28). */
export async function personalSign(privateKeyHex, message) {
  const { r, s, recovery } = await signHash(privateKeyHex, personalMessageHash(message));
  return '0x' + toHex(bigIntToBytes(r, 32)) + toHex(bigIntToBytes(s, 32)) + (27 + recovery).toString(16);
}
