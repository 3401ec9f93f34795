import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The README's "## Layout" section. */
function layoutSection(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('\n## Layout\n');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end);
}

describe("the README's layout", () => {
  it('names every folder of lambdas/ and none that is gone', () => {
    // Prepare
    const folders = readdirSync(new URL('../../lambdas/', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const listed = [...layoutSection().split('How a request crosses the layers')[0].matchAll(/^ {2}([a-z]+)\/ /gm)].map((m) => m[1]).sort();
    // Assess
    expect(listed).toEqual(folders);
  });

  it('draws every layer the code has', () => {
    // Prepare
    const picture = layoutSection();
    // Assess
    for (const layer of ['handlers/', 'http/', 'provisioning/', 'store/', 'scim/', 'contracts/', 'events/', 'pool/', 'auth/']) {
      expect(picture.split('How a request crosses the layers')[1]).toContain(layer);
    }
  });
});
