// A hostile mix against `wasmnn serve`: closed-loop clients post small canvas PNGs, 300x300
// photo JPEGs and 31 KB PNGs that declare 4000x4000 16-bit pixels (seconds of pngjs work each),
// while a prober asks /healthz every 20 ms. Reports /healthz latency (p50/p99/max; target p99
// ≤ 100 ms), each payload's throughput and latency, and the server's RSS. Not a test. Run:
//   npx tsx bench/load-mix.ts [--duration 20] [--clients 8] [--workers 2] [--out mix.json]
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { encodePng } from '../src/synthetic/png-encode.js';
import { payloads, serverCommand, startServer, stopServer, treeRssMB } from './load.js';

interface Kind {
  name: string;
  body: Buffer;
  contentType: string;
  /** Share of the requests the clients send. */
  share: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN;
}

function post(url: string, kind: Kind): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(`${url}/api/predict`, { method: 'POST', headers: { 'content-type': kind.contentType, 'content-length': kind.body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(kind.body);
  });
}

function health(url: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    request(`${url}/healthz`, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    })
      .on('error', () => resolve(Infinity))
      .end();
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '20' }, clients: { type: 'string', default: '8' }, workers: { type: 'string', default: '2' }, out: { type: 'string' } } });
  const seconds = Number(values.duration);
  const clients = Number(values.clients);
  const workers = Number(values.workers);
  const [png, jpeg] = payloads();
  const hostile = Buffer.from(encodePng({ width: 4000, height: 4000, colorType: 0, bitDepth: 16, samples: new Uint16Array(16_000_000) }));
  const kinds: Kind[] = [
    { name: '28x28 PNG', body: png!.body, contentType: 'image/png', share: 0.8 },
    { name: '300x300 JPEG', body: jpeg!.body, contentType: 'image/jpeg', share: 0.15 },
    { name: '4000x4000 16-bit PNG (31 KB)', body: hostile, contentType: 'image/png', share: 0.05 },
  ];
  const { child, url } = await startServer(serverCommand(workers));
  const rssBefore = treeRssMB(child.pid!);
  const rss: number[] = [];
  const latencies = kinds.map(() => [] as number[]);
  const failures = kinds.map(() => 0);
  const healthMs: number[] = [];
  const end = performance.now() + seconds * 1000;
  let turn = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      // A fixed cycle of 20 requests gives every client the mix's shares exactly.
      const slot = turn++ % 20;
      const k = slot < 16 ? 0 : slot < 19 ? 1 : 2;
      const r = await post(url, kinds[k]!);
      if (r.status === 200) latencies[k]!.push(r.ms);
      else failures[k]!++;
    }
  };
  const prober = async (): Promise<void> => {
    while (performance.now() < end) {
      healthMs.push(await health(url));
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const sampler = setInterval(() => rss.push(treeRssMB(child.pid!)), 1000);
  await Promise.all([prober(), ...Array.from({ length: clients }, client)]);
  clearInterval(sampler);
  await stopServer(child);
  const sortedHealth = [...healthMs].sort((a, b) => a - b);
  const result = {
    when: new Date().toISOString(),
    seconds,
    clients,
    workers,
    health: { checks: healthMs.length, p50Ms: percentile(sortedHealth, 0.5), p99Ms: percentile(sortedHealth, 0.99), maxMs: sortedHealth.at(-1) },
    payloads: kinds.map((k, i) => {
      const s = [...latencies[i]!].sort((a, b) => a - b);
      return { payload: k.name, answered: s.length, failed: failures[i], perSecond: s.length / seconds, p50Ms: percentile(s, 0.5), p99Ms: percentile(s, 0.99) };
    }),
    rssMB: { before: rssBefore, max: Math.max(...rss) },
  };
  const f = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));
  console.log(`wasmnn serve --workers ${workers}, ${clients} clients, ${seconds} s, mix 80% 28x28 PNG / 15% 300x300 JPEG / 5% hostile 16-bit PNG`);
  console.log(`/healthz every 20 ms: ${result.health.checks} checks, p50 ${f(result.health.p50Ms)} ms, p99 ${f(result.health.p99Ms)} ms, max ${f(result.health.maxMs)} ms`);
  for (const p of result.payloads) console.log(`  ${p.payload.padEnd(30)} ${f(p.perSecond)}/s answered (${p.failed} failed), p50 ${f(p.p50Ms)} ms, p99 ${f(p.p99Ms)} ms`);
  console.log(`RSS ${result.rssMB.before} MB before, ${result.rssMB.max} MB at most`);
  if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
