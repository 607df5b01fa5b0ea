/** Reading on the server: POST /api/predict with the drawing (PNG) or the uploaded file. */
import { number, single, type Item, type Outcome } from './outcome.js';
import { PageError } from './page-error.js';
import { format } from './strings.js';

export async function readOnServer(image: Blob, fileName: string | null, multi: boolean): Promise<Outcome> {
  const url = `/api/predict${multi ? '?multi=1' : ''}`;
  let body: BodyInit = image;
  const headers: Record<string, string> = {};
  if (fileName === null) headers['Content-Type'] = 'image/png';
  else {
    const form = new FormData();
    form.append('image', image, fileName);
    body = form;
  }
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body });
  } catch {
    throw new PageError((s) => s.serverUnreachable);
  }
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    // A proxy's HTML error page, or a connection cut mid-answer.
    throw new PageError((s) => format(s.serverGarbled, { status: res.status }));
  }
  if (!res.ok) throw new PageError((s) => format(s.serverError, { status: res.status, message: String(json['error'] ?? res.statusText) }));
  if (typeof json['digits'] === 'string') return number(json as unknown as Parameters<typeof number>[0]);
  return single(json as unknown as Item);
}
