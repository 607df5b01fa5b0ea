/** What one reading produced, whether the browser or the server read it. */
import type { Image } from './lib.js';

/** One digit as both the library and the server describe it. */
export type Item = Image.DigitRecognition;

export interface Outcome {
  /** The digit or the number as read ('' when nothing was). */
  text: string;
  isDigit: boolean;
  reason?: string;
  reasonCode?: Image.RejectionCode;
  /** A digit answered below the sure confidence: shown as "not sure". */
  uncertain: boolean;
  items: Item[];
}

/** A one-digit answer (library result or server JSON) as an Outcome. */
export function single(r: Item): Outcome {
  return { text: r.digit === null ? '' : String(r.digit), isDigit: r.isDigit, ...why(r), uncertain: r.uncertain === true, items: [r] };
}

/** A number answer as an Outcome. */
export function number(r: { digits: string; isDigit: boolean; uncertain: boolean; items: Item[]; reason?: string; reasonCode?: Image.RejectionCode }): Outcome {
  return { text: r.digits, isDigit: r.isDigit, ...why(r), uncertain: r.uncertain, items: r.items };
}

function why(r: { reason?: string; reasonCode?: Image.RejectionCode }): Pick<Outcome, 'reason' | 'reasonCode'> {
  return { ...(r.reason === undefined ? {} : { reason: r.reason }), ...(r.reasonCode === undefined ? {} : { reasonCode: r.reasonCode }) };
}
