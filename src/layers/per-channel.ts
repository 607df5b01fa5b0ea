// Options that are one number or one per channel of the last axis (Rescaling's scale and offset,
// Normalization's fixed mean and variance), as Keras takes them.

export type PerChannel = number | readonly number[];

/** Checks a per-channel option; `nonNegative` refuses values below 0 (a variance). */
export function perChannelOption(v: unknown, key: string, where: string, nonNegative = false): PerChannel {
  const ok = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && (!nonNegative || n >= 0);
  if (ok(v)) return v as number;
  if (Array.isArray(v) && v.length > 0 && v.every(ok)) return [...(v as number[])];
  const what = nonNegative ? 'a non-negative number' : 'a finite number';
  throw new Error(`${where}: ${key} must be ${what} or a non-empty list of them (one per channel), got ${JSON.stringify(v)}`);
}

/** The value of channel c. */
export function channelValue(v: PerChannel, c: number): number {
  return typeof v === 'number' ? v : v[c]!;
}

/** The problem with a per-channel option for `channels` channels, or null. */
export function channelCountProblem(v: PerChannel | undefined, key: string, channels: number): string | null {
  return v !== undefined && typeof v !== 'number' && v.length !== channels ? `${key} has ${v.length} values but the last axis has ${channels} channels` : null;
}
