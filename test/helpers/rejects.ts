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
