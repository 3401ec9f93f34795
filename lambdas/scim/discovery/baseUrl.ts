/** The base URL without trailing slashes, so `${base}/Schemas/…` never doubles one. */
export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
