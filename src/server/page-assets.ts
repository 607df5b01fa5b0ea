/**
 * The page and the files it loads, as the router serves them: the HTML names its scripts and
 * the library under /v/<build>/ (a hash of the files served), so those URLs may be cached for
 * good; every answer carries the headers that make the page cross-origin isolated.
 */
import { encodeFile, type EncodedFile } from './encoded-file.js';
import { pageHtml } from './html.js';
import { HttpError } from './http-error.js';
import { libraryFiles, pageFiles, type StaticDir } from './static-files.js';

/**
 * Cross-origin isolation, so the page gets SharedArrayBuffer and the library starts its second
 * compute thread: COOP + COEP on the page, COEP on scripts too (a worker's own script must
 * carry it), and CORP on every file so an isolated page may load it.
 */
export const ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const VERSIONED = /^\/v\/([\w-]+)\/(app|lib)\/(.+)$/;
const DIRS: Record<string, StaticDir> = { app: pageFiles, lib: libraryFiles };

let version: Promise<string> | null = null;
function assetVersion(): Promise<string> {
  version ??= Promise.all([libraryFiles.version(), pageFiles.version()]).then(([lib, app]) => `${lib.slice(0, 6)}${app.slice(0, 6)}`);
  return version;
}

let page: Promise<EncodedFile> | null = null;
/** The page's HTML, naming this build's versioned URLs; made once per process. */
export function pageDocument(): Promise<EncodedFile> {
  page ??= assetVersion().then((v) => encodeFile(Buffer.from(pageHtml(`/v/${v}/`)), 'text/html; charset=utf-8'));
  return page;
}

/** Whether `path` is a /v/<build>/app/… or /v/<build>/lib/… URL. */
export const isVersioned = (path: string): boolean => VERSIONED.test(path);

/** The file a versioned URL names; a 404 when the URL belongs to another build (a page loaded before a redeploy). */
export async function versionedFile(path: string): Promise<EncodedFile> {
  const [, build, dir, rest] = VERSIONED.exec(path)!;
  if (build !== (await assetVersion())) throw new HttpError(404, 'NOT_FOUND', `${path} belongs to another build of the page; reload /`);
  return DIRS[dir!]!.get(rest!);
}
