/** Which files `wasmnn predict` reads: the files named, and the PNG/JPEG files of the directories named. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Extensions taken from directories; a file named on the command line is read whatever its name. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg']);

export interface FileList {
  /** In the order given; each directory's images sorted by path. */
  files: string[];
  /** Files in the directories that are not PNG/JPEG by their extension. */
  skipped: number;
}

/**
 * Expands directories into their image files (with `recursive`, those of every subdirectory
 * too). A path that does not exist stays in the list: reading it fails, and its row says why.
 */
export async function listImageFiles(paths: readonly string[], recursive: boolean): Promise<FileList> {
  const out: FileList = { files: [], skipped: 0 };
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) await walk(path, recursive, out);
    else out.files.push(path);
  }
  return out;
}

async function walk(dir: string, recursive: boolean, out: FileList): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) await walk(path, recursive, out);
    } else if (IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) out.files.push(path);
    else out.skipped++;
  }
}
