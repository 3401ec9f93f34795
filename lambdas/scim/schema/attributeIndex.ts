import type { AttributeDefinition } from './types';

/**
 * Case-insensitive indexes of attribute lists (RFC 7643 §2.1: attribute names are
 * case-insensitive), built once per list. Schemas are built once per container and never changed
 * afterwards, so a list's index stays valid for the container's life; every request looks names
 * up here instead of lowercasing each declared name again (a 100-resource page does it thousands
 * of times).
 */
const indexes = new WeakMap<readonly AttributeDefinition[], ReadonlyMap<string, AttributeDefinition>>();

/** The attribute of `defs` whose name is `lowerName` (already lowercased); the first declared wins. */
export function attributeByLowerName(defs: readonly AttributeDefinition[], lowerName: string): AttributeDefinition | undefined {
  let index = indexes.get(defs);
  if (!index) {
    const built = new Map<string, AttributeDefinition>();
    for (const def of defs) {
      const lower = def.name.toLowerCase();
      if (!built.has(lower)) built.set(lower, def);
    }
    indexes.set(defs, (index = built));
  }
  return index.get(lowerName);
}

/** The attribute of `defs` named `name` in any case; the first declared wins. */
export function findAttribute(defs: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  return attributeByLowerName(defs, name.toLowerCase());
}
