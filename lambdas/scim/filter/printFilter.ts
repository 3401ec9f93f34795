import type { AttrPath, FilterNode, FilterValue } from './ast';

/** Prints an attribute path: `urn:...:attr.sub`. */
export function printAttrPath(path: AttrPath): string {
  return `${path.uri !== undefined ? `${path.uri}:` : ''}${path.attr}${path.sub !== undefined ? `.${path.sub}` : ''}`;
}

/** Prints a literal as JSON (strings quoted and escaped, RFC 7644 §3.4.2.2 `compValue`). */
export function printFilterValue(value: FilterValue): string {
  return JSON.stringify(value);
}

// Binding strength: or < and < everything else.
function strength(node: FilterNode): number {
  return node.kind === 'or' ? 1 : node.kind === 'and' ? 2 : 3;
}

/**
 * Prints a filter in canonical form (lowercase operators, quoted strings, the fewest
 * parentheses), so that `parseFilter(printFilter(ast))` deep-equals `ast`.
 */
export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${printAttrPath(node.path)} ${node.op} ${printFilterValue(node.value)}`;
    case 'present':
      return `${printAttrPath(node.path)} pr`;
    case 'not':
      return `not (${printFilter(node.filter)})`;
    case 'valuePath':
      return `${printAttrPath(node.path)}[${printFilter(node.filter)}]`;
    case 'and':
    case 'or': {
      // Left-associative: a child binding less tightly needs parentheses on the left, and a
      // child binding no more tightly needs them on the right.
      const s = strength(node);
      const left = strength(node.left) < s ? `(${printFilter(node.left)})` : printFilter(node.left);
      const right = strength(node.right) <= s ? `(${printFilter(node.right)})` : printFilter(node.right);
      return `${left} ${node.kind} ${right}`;
    }
  }
}
