/**
 * The teach mode's module worker: fine-tunes the served model on the person's samples
 * (personalize), off the page's thread, and saves the personal model to IndexedDB. A dedicated
 * worker rather than the library's WorkerModel, which drives one model: personalize copies the
 * model, freezes part of it, poses new copies every epoch and scores two models, all in here.
 */
import { loadLibrary } from './lib.js';
import { PERSONAL_MODEL } from './teach-store.js';
import type { TeachReply, TeachRequest } from './teach-protocol.js';

const post = (reply: TeachReply): void => (self as unknown as Worker).postMessage(reply);

self.addEventListener('message', (e: MessageEvent<TeachRequest>) => void teach(e.data));

async function teach({ modelDir, train, heldOut }: TeachRequest): Promise<void> {
  try {
    const { core, image } = await loadLibrary();
    const base = await core.loadModel(new URL('model.json', modelDir).href);
    const [images, labels] = await Promise.all([fetchBytes(new URL(image.REPLAY_FILES.images, modelDir)), fetchBytes(new URL(image.REPLAY_FILES.labels, modelDir))]);
    const replay = await image.replaySetFromIdx(images, labels);
    let told = 0;
    const result = await image.personalize(base, train, heldOut, {
      replay,
      onProgress: (done) => {
        // A message per percent is plenty for a progress bar.
        if (done - told >= 0.01 || done === 1) post({ kind: 'progress', done: (told = done) });
      },
    });
    post({ kind: 'saving' });
    await result.model.save(PERSONAL_MODEL);
    post({ kind: 'done', before: result.before, after: result.after });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url.pathname}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
