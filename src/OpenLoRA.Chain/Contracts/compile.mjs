// Compiles the contracts in this folder with the pinned solc npm package (standard JSON API) and writes
// artifacts/<Name>.json = {contractName, abi, bytecode, sourceHash, compiler}. The artifacts are committed and
// embedded in OpenLoRA.Chain, so nothing at run time needs node or solc.
//
//   node src/OpenLoRA.Chain/Contracts/compile.mjs           regenerate the artifacts
//   node src/OpenLoRA.Chain/Contracts/compile.mjs --check   exit 1 when the committed artifacts are stale
//
// Every setting is fixed (optimizer runs, EVM version, no metadata hash appended) so the same sources give
// byte-identical artifacts on every machine, which is what makes --check meaningful.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const contractsDir = dirname(fileURLToPath(import.meta.url));
const artifactsDir = join(contractsDir, 'artifacts');
const contracts = ['AttributionRegistry', 'InferenceEscrow', 'DevOpenToken'];
const check = process.argv.includes('--check');

function findRepoRoot(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

const repoRoot = findRepoRoot(contractsDir);
const require = createRequire(join(repoRoot, 'package.json'));
const solc = require('solc');
const nodeModules = join(repoRoot, 'node_modules');

// Source unit names are relative ("AttributionRegistry.sol", "@openzeppelin/...") so absolute checkout paths
// never reach the compiler input or the source hash.
function findImport(path) {
  const candidate = path.startsWith('@') ? join(nodeModules, path) : join(contractsDir, path);
  const full = resolve(candidate);
  if (!full.startsWith(nodeModules) && !full.startsWith(contractsDir)) return { error: `import outside the tree: ${path}` };
  if (!existsSync(full)) return { error: `not found: ${path}` };
  return { contents: readFileSync(full, 'utf8') };
}

const sources = {};
for (const name of contracts) {
  sources[`${name}.sol`] = { content: readFileSync(join(contractsDir, `${name}.sol`), 'utf8') };
}

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none', appendCBOR: false },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};

const input = { language: 'Solidity', sources, settings };
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));

const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(2);

// The hash covers every source the compiler actually read (imports included), the settings and the compiler
// version, so bumping OpenZeppelin or solc also marks the artifacts stale.
const usedSources = Object.keys(output.sources).sort();
const hash = createHash('sha256');
hash.update(`solc ${solc.version()}\n`);
hash.update(`${JSON.stringify(settings)}\n`);
for (const unit of usedSources) {
  const content = sources[unit]?.content ?? findImport(unit).contents;
  hash.update(`${unit}\n${content}\n`);
}
const sourceHash = `0x${hash.digest('hex')}`;

const expected = new Map();
for (const name of contracts) {
  const compiled = output.contracts[`${name}.sol`][name];
  const artifact = {
    contractName: name,
    abi: compiled.abi,
    bytecode: `0x${compiled.evm.bytecode.object}`,
    sourceHash,
    compiler: { version: solc.version(), settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion } },
  };
  expected.set(`${name}.json`, `${JSON.stringify(artifact, null, 2)}\n`);
}

if (check) {
  const stale = [];
  for (const [file, text] of expected) {
    const path = join(artifactsDir, file);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(file);
  }
  const extra = existsSync(artifactsDir)
    ? readdirSync(artifactsDir).filter((f) => f.endsWith('.json') && !expected.has(f))
    : [];
  if (stale.length > 0 || extra.length > 0) {
    console.error(
      `Contract artifacts are stale (${[...stale, ...extra.map((f) => `${f} (not produced)`)].join(', ')}). ` +
        'Regenerate them with `node src/OpenLoRA.Chain/Contracts/compile.mjs` from the repository root ' +
        '(after `npm ci`) and commit src/OpenLoRA.Chain/Contracts/artifacts/.',
    );
    process.exit(1);
  }
  console.log(`Contract artifacts are up to date (${expected.size} contracts, sourceHash ${sourceHash}).`);
} else {
  mkdirSync(artifactsDir, { recursive: true });
  for (const [file, text] of expected) writeFileSync(join(artifactsDir, file), text);
  console.log(`Wrote ${expected.size} artifacts to ${artifactsDir} (sourceHash ${sourceHash}).`);
}
