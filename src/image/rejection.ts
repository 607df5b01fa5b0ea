/**
 * Why an input is not taken for a digit: a short machine-readable code and a sentence for people.
 * The codes are stable (a client may switch on them); the messages may change.
 */
export type RejectionCode =
  /** No ink at all. */
  | 'blank'
  /** Marks that cannot be told from the noise, or contrast too low. */
  | 'noise'
  /** Ink everywhere or too many separate marks: a texture, a photo, a page of text. */
  | 'texture'
  /** Too small to read. */
  | 'too-small'
  /** A filled area rather than pen strokes. */
  | 'blob'
  /** A long thin line. */
  | 'line'
  /** Many enclosed regions, or too many separate marks for one digit. */
  | 'grid'
  /** The classifier's "not a digit" class won. */
  | 'not-a-digit'
  /** The classifier's best digit is below the minimum confidence. */
  | 'unsure'
  /** A number in which no digit was found. */
  | 'no-digits'
  /** A number with a segment that is not a digit. */
  | 'non-digit-segment';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

export const rejection = (code: RejectionCode, message: string): Rejection => ({ code, message });

/** A rejection as the `reason` and `reasonCode` fields of a result. */
export function reasonOf(r: Rejection): { reason: string; reasonCode: RejectionCode } {
  return { reason: r.message, reasonCode: r.code };
}
