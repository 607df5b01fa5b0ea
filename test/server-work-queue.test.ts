/** WorkQueue: first come first served, in slices that give the event loop a turn in between. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WorkQueue } from '../src/server/work-queue.js';

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

test('jobs start in arrival order and each gets its own result', async () => {
  const q = new WorkQueue(5);
  const started: number[] = [];
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      q.run(async () => {
        started.push(i);
        return i * i;
      }),
    ),
  );
  assert.equal(started, Array.from({ length: 20 }, (_, i) => i));
  assert.equal(results, Array.from({ length: 20 }, (_, i) => i * i));
  assert.is(q.pending, 0);
});

test('a long queue is worked off in slices, with the event loop running in between', async () => {
  const q = new WorkQueue(5);
  const events: string[] = [];
  const jobs = Array.from({ length: 6 }, (_, i) =>
    q.run(async () => {
      if (i === 0) setImmediate(() => events.push('event loop'));
      busy(3); // two jobs pass the 5 ms budget
      events.push(`job ${i}`);
    }),
  );
  assert.is(q.pending, 6, 'nothing runs synchronously inside run()');
  await Promise.all(jobs);
  // A slice ends once 5 ms have passed: after job 1 at the latest (earlier if this process was descheduled).
  const turn = events.indexOf('event loop');
  assert.ok(turn === 1 || turn === 2, events.join(', '));
  assert.equal(events.filter((e) => e !== 'event loop'), ['job 0', 'job 1', 'job 2', 'job 3', 'job 4', 'job 5']);
});

test('a job that throws or rejects fails only its own request', async () => {
  const q = new WorkQueue();
  const thrower = (): Promise<number> => {
    throw new Error('sync');
  };
  const outcomes = await Promise.allSettled([
    q.run(thrower),
    q.run(async () => Promise.reject(new Error('async'))),
    q.run(async () => 7),
  ]);
  assert.equal(
    outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)),
    ['sync', 'async', 7],
  );
});

test.run();
