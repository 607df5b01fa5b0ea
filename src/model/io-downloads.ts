/**
 * downloads://NAME: the browser downloads NAME.json (model.json, its manifest pointing at the
 * weights file) and NAME.weights.bin, as TF.js's downloads:// does, so the pair loads again with
 * loadModel(files) or from a server.
 */
import type { ModelArtifacts } from './weights-format.js';
import { joinShards, modelName } from './stored-model.js';

const DOWNLOADS_SCHEME = 'downloads';

export async function saveToDownloads(location: string, artifacts: ModelArtifacts): Promise<void> {
  const name = modelName(location, DOWNLOADS_SCHEME);
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) throw new Error(`cannot use '${location}': downloads need a browser page (document); in Node save to a directory`);
  const weightsFile = `${name}.weights.bin`;
  const { bytes } = joinShards(artifacts);
  // One weights file holding every group's shards in manifest order, so one group lists all the
  // weights in that order (each weight spec keeps its own `group`, e.g. 'optimizer').
  const modelJson = { ...artifacts.modelJson, weightsManifest: [{ paths: [weightsFile], weights: artifacts.modelJson.weightsManifest.flatMap((g) => g.weights) }] };
  download(doc, `${name}.json`, new Blob([JSON.stringify(modelJson)], { type: 'application/json' }));
  download(doc, weightsFile, new Blob([bytes], { type: 'application/octet-stream' }));
}

function download(doc: Document, fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL can go once the browser has it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
