/**
 * An image the reader uploaded or dropped: checked as the server checks it (PNG or JPEG, told by
 * its bytes, with a sound header) so both modes accept the same files, then decoded for display
 * and for reading in the browser.
 */
import type { Image } from './lib.js';
import { PageError } from './page-error.js';
import { format } from './strings.js';

/** What the file picker offers and drag-and-drop lets through: what the server accepts. */
export const ACCEPTED_TYPES: readonly string[] = ['image/png', 'image/jpeg'];

export interface OpenedImage {
  file: File;
  /** Null when this browser cannot decode it (the server may still say what is wrong with it). */
  bitmap: ImageBitmap | null;
}

/** `image` is the library's image module, or null when it failed to load (then the declared type is all there is to go on). */
export async function openImage(file: File, image: typeof Image | null): Promise<OpenedImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const known = image ? image.sniffImageFormat(bytes) !== null : ACCEPTED_TYPES.includes(file.type);
  if (!known) throw new PageError((s) => format(s.wrongType, { name: file.name }));
  if (image) {
    try {
      image.readImageHeader(bytes);
    } catch (err) {
      throw new PageError((s) => `${s.couldNotRead}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const bitmap = await createImageBitmap(file).catch(() => null);
  return { file, bitmap };
}
