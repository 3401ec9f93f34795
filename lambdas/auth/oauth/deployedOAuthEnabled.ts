/**
 * Whether OAuth is on, read from OAUTH_CONFIG without the full parser. The discovery function needs
 * only this bit (for /ServiceProviderConfig's authenticationSchemes), and the stack writes
 * OAUTH_CONFIG from the full parser's checked output at synth (lib/ScimOAuth.ts). Importing the
 * parser would put zod in discovery's bundle and build its schemas at every cold start: about
 * 15 ms of init CPU on a 512 MB function (the bench's coldInitMs). Like the parser, it refuses a
 * value of the wrong kind, so a foreign OAUTH_CONFIG still fails init rather than misreport.
 */
export function deployedOAuthEnabled(text: string | undefined): boolean {
  if (!text) return false;
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('OAUTH_CONFIG: expected a JSON object');
  const enabled = (value as { enabled?: unknown }).enabled;
  if (enabled === undefined) return false;
  if (typeof enabled !== 'boolean') throw new Error('OAUTH_CONFIG.enabled: expected a boolean');
  return enabled;
}
