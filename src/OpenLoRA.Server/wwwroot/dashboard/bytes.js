// Byte and hex helpers shared by the signing, verification and UI code.

export const utf8 = text => new TextEncoder().encode(text);

export const toHex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');

/** Accepts an optional 0x prefix; throws on odd length or a non-hex character rather than guessing. */
export function fromHex(hex) {
  const clean = hex.trim().replace(/^0x/i, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error('Not a hex string: ' + hex);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

export const bytesToBigInt = bytes => (bytes.length === 0 ? 0n : BigInt('0x' + toHex(bytes)));

export function bigIntToBytes(value, length) {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new Error('The number does not fit in ' + length + ' bytes.');
  return fromHex(hex);
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Lexicographic byte order, as OpenZeppelin's MerkleProof sorts each pair. */
export function compareBytes(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
