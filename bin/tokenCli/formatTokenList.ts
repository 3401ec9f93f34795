import type { TokenSummary } from '../../lambdas/auth/tokenStore';

/** Renders `list` as an aligned table: ids, status, scopes, dates, label; never hashes or tokens. */
export function formatTokenList(tokens: readonly TokenSummary[]): string {
  if (tokens.length === 0) return 'no tokens';
  const header = ['ID', 'STATUS', 'SCOPES', 'CREATED', 'EXPIRES', 'REVOKED', 'LABEL'];
  const rows = tokens.map((t) => [t.id, t.status, t.scopes.join(','), t.createdAt, t.expiresAt ?? '-', t.revokedAt ?? '-', t.label]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
