/** A failure the page shows to the reader, kept as words to draw in whatever language is current. */
import { STRINGS, type Strings } from './strings.js';

export class PageError extends Error {
  override readonly name = 'PageError';
  constructor(readonly words: (s: Strings) => string) {
    // The message (for consoles and logs) is the English wording.
    super(words(STRINGS.en));
  }
}
