/**
 * The wasmnn library as the server publishes it: its plain ESM build (dist/) at /lib/,
 * imported with no bundler. Typed by the source it is built from; the URLs are kept out of
 * TypeScript's module resolution, which knows nothing of the server's URL layout.
 */
import type * as Core from '../../index.js';
import type * as Image from '../../image/index.js';

// Relative to this script, so a versioned page script (/v/<build>/app/) loads the same build of the library.
const CORE_URL: string = new URL('../lib/index.js', import.meta.url).href;
const IMAGE_URL: string = new URL('../lib/image/index.js', import.meta.url).href;

export type { Core, Image };

export async function loadLibrary(): Promise<{ core: typeof Core; image: typeof Image }> {
  const [core, image] = await Promise.all([import(CORE_URL) as Promise<typeof Core>, import(IMAGE_URL) as Promise<typeof Image>]);
  return { core, image };
}
