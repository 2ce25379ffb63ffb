// Checks a trace the way a validator would, in the page: the canonical text hashes to trace_hash, and the Merkle
// proof folds the trace's leaf up to the batch root. The tree is OpenZeppelin's (sorted pairs, keccak-256), with the
// double-hashed leaf keccak256(keccak256(trace_hash)) that guards against second-preimage proofs.
import { keccak256 } from './keccak.js';
import { compareBytes, concat, fromHex, toHex, utf8 } from './bytes.js';

const hex = bytes => '0x' + toHex(bytes);
const same = (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** keccak256 of the canonical UTF-8 text equals the trace_hash the server signed. */
export function verifyTraceHash(trace) {
  return same(hex(keccak256(utf8(trace.canonical))), trace.trace_hash);
}

/** null while the trace is not in a batch yet; otherwise whether leaf and proof reach batch.root. */
export function verifyMerkleProof(trace) {
  const batch = trace.batch;
  if (!batch) return null;
  let node = keccak256(keccak256(fromHex(trace.trace_hash)));
  if (batch.leaf && !same(hex(node), batch.leaf)) return false;
  for (const siblingHex of batch.proof || []) {
    const sibling = fromHex(siblingHex);
    node = compareBytes(node, sibling) <= 0 ? keccak256(concat(node, sibling)) : keccak256(concat(sibling, node));
  }
  return same(hex(node), batch.root);
}
