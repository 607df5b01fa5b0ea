/**
 * Reading Prometheus text in tests: sample values by name and labels (a line reader, not a
 * validator), and validation by the Prometheus project's own Python client parser when python3
 * has it (`pip install prometheus_client`; CI installs it).
 */
import { execFileSync } from 'node:child_process';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = SAMPLE.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(LABEL)) labels[k!] = v!;
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** The value of the one sample with this name whose labels include `labels`; 0 when there is none (a counter not yet moved). */
export function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const found = samples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

export interface ParsedFamily {
  name: string;
  type: string;
  /** Non-finite values as Python writes them ('nan', 'inf'). */
  samples: [string, Record<string, string>, number | string][];
}

const PARSE = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
# JSON has no NaN or Inf (a gauge not yet sampled is NaN): those travel as strings.
out = [{"name": f.name, "type": f.type, "samples": [[s.name, s.labels, s.value if math.isfinite(s.value) else str(s.value)] for s in f.samples]}
       for f in text_string_to_metric_families(sys.stdin.read())]
print(json.dumps(out))
`;

/** Parses with prometheus_client; null when python3 lacks it. Throws what the parser says about bad text. */
export function parseWithPrometheusClient(text: string): ParsedFamily[] | null {
  try {
    execFileSync('python3', ['-c', 'import prometheus_client.parser'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return JSON.parse(execFileSync('python3', ['-c', PARSE], { input: text, encoding: 'utf8' })) as ParsedFamily[];
}
