import * as assert from 'uvu/assert';

/** Asserts that an async call rejects with an error whose message matches `pattern` (uvu has no assert.rejects). */
export async function rejects(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    assert.match(message, pattern);
    return;
  }
  assert.unreachable(`expected a rejection matching ${pattern}`);
}

function checkMessage(err: unknown, parts: (string | RegExp)[]): void {
  const msg = err instanceof Error ? err.message : String(err);
  for (const p of parts) assert.ok(typeof p === 'string' ? msg.includes(p) : p.test(msg), `message "${msg}" should contain ${p}`);
}

/** Asserts that fn throws an error whose message contains every part. */
export function throwsWith(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  try {
    fn();
  } catch (err) {
    checkMessage(err, parts);
    return;
  }
  assert.unreachable('expected an error');
}

/** Asserts that the promise rejects with an error whose message contains every part. */
export async function rejectsWith(promise: Promise<unknown>, ...parts: (string | RegExp)[]): Promise<void> {
  try {
    await promise;
  } catch (err) {
    checkMessage(err, parts);
    return;
  }
  assert.unreachable('expected a rejection');
}
