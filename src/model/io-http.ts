/**
 * Loading a model from http(s) URLs, as TF.js's browserHTTPRequest does: GET model.json, then
 * every weights file its manifest names, resolved relative to model.json's URL. Uses the
 * global fetch (browsers, Node ≥ 18), so it lives in the core. Shard paths may not leave
 * model.json's origin: a model file cannot make the page fetch from elsewhere.
 */
import { checkModelJson, type ModelJson } from './weights-format.js';

export async function loadArtifactsFromUrl(url: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<{ modelJson: ModelJson; shards: Uint8Array[] }> {
  if (typeof fetchImpl !== 'function') throw new Error(`cannot load ${url}: this environment has no fetch`);
  const text = await get(fetchImpl, url, 'model.json').then((r) => r.text());
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A server answering 200 with an HTML page (a SPA fallback, a login page) is the usual cause.
    const start = text.trimStart().slice(0, 40).replace(/\s+/g, ' ');
    throw new Error(`${url} is not a model.json: the server answered with ${start.startsWith('<') ? 'an HTML page' : 'text that is not JSON'} ("${start}…")`);
  }
  let modelJson: ModelJson;
  try {
    modelJson = checkModelJson(parsed);
  } catch (err) {
    throw new Error(`${url}: ${(err as Error).message}`, { cause: err });
  }
  const origin = new URL(url).origin;
  const shards = await Promise.all(
    modelJson.weightsManifest
      .flatMap((g) => g.paths)
      .map(async (path) => {
        const shardUrl = new URL(path, url);
        if (shardUrl.origin !== origin) throw new Error(`weights file ${path} listed in ${url} is on another origin (${shardUrl.origin}); shards must sit next to model.json`);
        const response = await get(fetchImpl, shardUrl.href, `weights file ${path} listed in ${url}`);
        return new Uint8Array(await response.arrayBuffer());
      }),
  );
  return { modelJson, shards };
}

async function get(fetchImpl: typeof fetch, url: string, what: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (err) {
    throw new Error(`cannot fetch ${what} (${url}): ${(err as Error).message}`, { cause: err });
  }
  if (!response.ok) throw new Error(`cannot fetch ${what}: ${url} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return response;
}
