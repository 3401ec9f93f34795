/** A token endpoint reply as tests read it. */
export interface TokenReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary OAuth JSON
  readonly body: any;
}

/** POSTs a form to the token endpoint; `basic` sends client_secret_basic (RFC 6749 §2.3.1 encoding). */
export async function requestToken(
  tokenUrl: string,
  form: Record<string, string>,
  options: { basic?: { clientId: string; secret: string }; contentType?: string; headers?: Record<string, string> } = {},
): Promise<TokenReply> {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded', ...options.headers };
  if (options.basic) {
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    headers.Authorization = `Basic ${Buffer.from(`${enc(options.basic.clientId)}:${enc(options.basic.secret)}`).toString('base64')}`;
  }
  const res = await fetch(tokenUrl, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: out, body };
}
