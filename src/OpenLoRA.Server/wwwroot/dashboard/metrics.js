// Parses the Prometheus text exposition format that /metrics serves (prometheus-net), just enough for the dashboard:
// samples with their labels; comments and malformed lines are skipped.

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    const labels = {};
    if (match[2]) {
      for (const label of match[2].matchAll(LABEL)) labels[label[1]] = label[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value });
  }
  return samples;
}

/** The sum of a metric over all its label sets (0 when absent, e.g. a counter that has not been touched yet). */
export function total(samples, name) {
  let sum = 0;
  for (const s of samples) if (s.name === name && Number.isFinite(s.value)) sum += s.value;
  return sum;
}
