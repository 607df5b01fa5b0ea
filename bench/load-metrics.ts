// What /metrics costs: two `wasmnn serve` processes, one with metrics (the default) and one with
// --no-metrics, get the same closed-loop load in alternating rounds (on, off, off, on, …) in one
// run, so drift on a shared machine hits both alike. Each gets GET /metrics every 5 s during its
// rounds, as a scraper would (a 404 on the server without metrics). Reports the server's CPU per
// request (every process and thread, from /proc) per round, and the on/off ratio of the medians;
// the target is ≤ 1.05. Since that ratio is a difference of two noisy numbers, it also times the
// per-request bookkeeping alone (ServerMetrics.observe, in this process) against the CPU per
// request. Not a test. Run:
//   npx tsx bench/load-metrics.ts [--rounds 6] [--round-seconds 4] [--connections 16] [--payload png|jpeg] [--out file.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ServerMetrics } from '../src/server/metrics.js';
import { payloads, runGenerator, serverCommand, startServer, stopServer, treeCpuSeconds, wrkAvailable, type PayloadKind } from './load.js';

interface Round {
  metrics: boolean;
  requests: number;
  requestsPerSecond: number;
  cpuMsPerRequest: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Microseconds per ServerMetrics.observe call, the work /metrics adds to each request. */
function observeMicroseconds(): number {
  const metrics = new ServerMetrics({ workQueueDepth: () => 0, decodeQueueDepth: () => 0, ready: () => true });
  const calls = 1_000_000;
  for (let i = 0; i < 10_000; i++) metrics.observe('/api/predict', 'POST', 200, 0.002); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) metrics.observe('/api/predict', 'POST', 200, (i % 100) / 1e4);
  return ((performance.now() - t0) * 1000) / calls;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '6' },
      'round-seconds': { type: 'string', default: '4' },
      connections: { type: 'string', default: '16' },
      payload: { type: 'string', default: 'png' },
      out: { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values['round-seconds']);
  const connections = Number(values.connections);
  const payload = payloads().find((p) => p.kind === (values.payload as PayloadKind));
  if (!payload) throw new Error('--payload must be png or jpeg');
  const generator = wrkAvailable() ? 'wrk' : 'autocannon';
  const dir = mkdtempSync(join(tmpdir(), 'wasmnn-load-metrics-'));
  const on = await startServer(serverCommand(1));
  const off = await startServer([...serverCommand(1), '--no-metrics']);
  const results: Round[] = [];
  try {
    for (const server of [on, off]) {
      const warm = await runGenerator(generator, { url: `${server.url}/api/predict`, payload, connections, duration: 2 }, dir);
      if (warm.non2xx > 0 || warm.errors > 0) throw new Error(`warm-up against ${server.url} failed: ${JSON.stringify(warm)}`);
    }
    for (let i = 0; i < rounds; i++) {
      // on, off, off, on, …: neither side always goes first.
      const order = i % 2 === 0 ? [true, false] : [false, true];
      for (const metrics of order) {
        const server = metrics ? on : off;
        const scraper = setInterval(() => void fetch(`${server.url}/metrics`).then((r) => r.arrayBuffer()), 5_000);
        const cpu = treeCpuSeconds(server.child.pid!);
        const r = await runGenerator(generator, { url: `${server.url}/api/predict`, payload, connections, duration: seconds }, dir).finally(() => clearInterval(scraper));
        const used = treeCpuSeconds(server.child.pid!) - cpu;
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`round ${i} (${metrics ? 'on' : 'off'}): ${r.non2xx} non-2xx, ${r.errors} errors`);
        results.push({ metrics, requests: r.requests, requestsPerSecond: Math.round(r.requests / seconds), cpuMsPerRequest: (used * 1000) / r.requests });
      }
    }
  } finally {
    await stopServer(on.child);
    await stopServer(off.child);
    rmSync(dir, { recursive: true, force: true });
  }
  const side = (m: boolean) => results.filter((r) => r.metrics === m);
  const cpuOn = median(side(true).map((r) => r.cpuMsPerRequest));
  const cpuOff = median(side(false).map((r) => r.cpuMsPerRequest));
  const summary = {
    when: new Date().toISOString(),
    cores: availableParallelism(),
    generator,
    payload: payload.name,
    connections,
    rounds,
    roundSeconds: seconds,
    cpuMsPerRequest: { metricsOn: cpuOn, metricsOff: cpuOff },
    ratio: cpuOn / cpuOff,
    observeMicroseconds: observeMicroseconds(),
    requestsPerSecond: { metricsOn: median(side(true).map((r) => r.requestsPerSecond)), metricsOff: median(side(false).map((r) => r.requestsPerSecond)) },
    perRound: results,
  };
  console.log(`POST /api/predict (${payload.name}), 1 worker, ${connections} connections, ${rounds} × ${seconds} s per side, alternating (${generator})`);
  for (const [i, r] of results.entries()) console.log(`  ${String(i >> 1).padStart(2)} metrics ${r.metrics ? 'on ' : 'off'}  ${String(r.requestsPerSecond).padStart(6)} req/s  ${r.cpuMsPerRequest.toFixed(4)} server CPU ms/req`);
  console.log(`median server CPU per request: on ${cpuOn.toFixed(4)} ms, off ${cpuOff.toFixed(4)} ms, ratio on/off ${summary.ratio.toFixed(3)} (target ≤ 1.05)`);
  console.log(
    `bookkeeping alone: ${summary.observeMicroseconds.toFixed(3)} µs per request (ServerMetrics.observe), ${((summary.observeMicroseconds / 1000 / cpuOff) * 100).toFixed(2)}% of the CPU per request without metrics`,
  );
  if (values.out) writeFileSync(values.out, JSON.stringify(summary, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
