import { ScimError, type ScimErrorReason } from '../errors';
import { subAttribute, type AttributeDefinition, type SchemaRegistry } from '../schema';
import { nameKey } from '../names';
import { getIgnoringCase, isObject, resolveAttribute } from '../path/resolveAttribute';
import type { AttrPath, CompareOperator, FilterNode, FilterValue } from './ast';
import type { ResourceTypeName } from './planFilter';
import { printAttrPath } from './printFilter';

/** What the evaluator needs besides the resource: the tenant's schemas and the resource type. */
export interface FilterContext {
  readonly registry: SchemaRegistry;
  readonly resourceType: ResourceTypeName;
}

/** A compiled filter: true when the resource (SCIM wire shape) matches. */
export type ResourcePredicate = (resource: Record<string, unknown>) => boolean;

type Predicate = (obj: Record<string, unknown>) => boolean;

const cache = new WeakMap<FilterNode, { registry: SchemaRegistry; resourceType: string; predicate: ResourcePredicate }>();

/**
 * True when `resource` matches `ast` (RFC 7644 §3.4.2.2): comparisons follow each attribute's
 * type and `caseExact`, multi-valued attributes match when any value does. Throws 400
 * `invalidFilter` for unknown attributes and for operators the type does not support, whatever
 * the resource holds.
 */
export function matchesFilter(resource: Record<string, unknown>, ast: FilterNode, ctx: FilterContext): boolean {
  return compileFilter(ast, ctx)(resource);
}

/** Checks `ast` against the schemas once and returns a predicate to apply to many resources. */
export function compileFilter(ast: FilterNode, ctx: FilterContext): ResourcePredicate {
  const hit = cache.get(ast);
  if (hit && hit.registry === ctx.registry && hit.resourceType === ctx.resourceType) return hit.predicate;
  const predicate = compile(ast, ctx, undefined);
  cache.set(ast, { registry: ctx.registry, resourceType: ctx.resourceType, predicate });
  return predicate;
}

/**
 * Compiles the `[...]` of a value path against the complex attribute it filters, giving a
 * predicate over one element (used by PATCH, RFC 7644 §3.5.2).
 */
export function compileValueFilter(filter: FilterNode, parent: AttributeDefinition, ctx: FilterContext): (element: Record<string, unknown>) => boolean {
  return compile(filter, ctx, parent);
}

function invalid(detail: string, reason?: ScimErrorReason): ScimError {
  return ScimError.badRequest('invalidFilter', `Invalid filter: ${detail}`, reason);
}

function compile(node: FilterNode, ctx: FilterContext, parent: AttributeDefinition | undefined): Predicate {
  switch (node.kind) {
    case 'and': {
      const l = compile(node.left, ctx, parent);
      const r = compile(node.right, ctx, parent);
      return (o) => l(o) && r(o);
    }
    case 'or': {
      const l = compile(node.left, ctx, parent);
      const r = compile(node.right, ctx, parent);
      return (o) => l(o) || r(o);
    }
    case 'not': {
      const p = compile(node.filter, ctx, parent);
      return (o) => !p(o);
    }
    case 'valuePath': {
      const top = topLevel(node.path, ctx);
      if (top.def.type !== 'complex') throw invalid(`"${printAttrPath(node.path)}" is not a complex attribute and takes no "[...]"`);
      const inner = compile(node.filter, ctx, top.def);
      return (o) => top.values(o).some((el) => isObject(el) && inner(el));
    }
    case 'present': {
      const target = leaf(node.path, ctx, parent, true);
      return (o) => target.values(o).some(isPresent);
    }
    case 'compare': {
      const target = leaf(node.path, ctx, parent, false);
      const name = printAttrPath(node.path);
      if (node.value === null) {
        // `eq null` asks for absence; RFC 7643 §2.5 treats null and unassigned alike.
        if (node.op === 'eq') return (o) => !target.values(o).some(isPresent);
        if (node.op === 'ne') return (o) => target.values(o).some(isPresent);
        throw invalid(`"${node.op}" cannot compare "${name}" with null`);
      }
      if (node.op === 'ne') {
        // RFC 7644 §3.4.2.2: with a multi-valued attribute "the filter matches if any of the values
        // ... match", so `emails.type ne "work"` holds for a user with a home email beside a work
        // one (unlike `not (emails.type eq "work")`). An element without the sub-attribute is not
        // equal either, and an attribute with no value at all is "not equal" to anything.
        const eq = comparator(target.def, 'eq', node.value, name);
        return (o) => {
          const values = target.values(o);
          return values.length === 0 || values.some((v) => v === null || v === undefined || !eq(v));
        };
      }
      const cmp = comparator(target.def, node.op, node.value, name);
      return (o) => target.values(o).some((v) => v !== null && v !== undefined && cmp(v));
    }
  }
}

interface Target {
  readonly def: AttributeDefinition;
  readonly values: (obj: Record<string, unknown>) => unknown[];
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A top-level attribute: its definition and its values (an array for multi-valued ones). */
function topLevel(path: AttrPath, ctx: FilterContext): Target {
  const found = resolveAttribute(ctx.registry, ctx.resourceType, path);
  if (!found) throw invalid(`unknown attribute "${printAttrPath({ ...path, sub: undefined })}" for ${ctx.resourceType}`, 'unknownFilterAttribute');
  const { def, extension } = found;
  return {
    def,
    values: (obj) => {
      const container = extension ? getIgnoringCase(obj, extension.id) : obj;
      return isObject(container) ? asList(getIgnoringCase(container, def.name)) : [];
    },
  };
}

/** The attribute a comparison reads, after sub-attribute and RFC 7644 §3.4.2.2's implicit `value`. */
function leaf(path: AttrPath, ctx: FilterContext, parent: AttributeDefinition | undefined, present: boolean): Target {
  if (parent) {
    const def = subAttribute(parent, path.attr);
    if (!def) throw invalid(`"${parent.name}" has no sub-attribute "${path.attr}"`);
    return { def, values: (el) => asList(getIgnoringCase(el, def.name)) };
  }
  const top = topLevel(path, ctx);
  if (path.sub !== undefined) {
    const def = top.def.type === 'complex' ? subAttribute(top.def, path.sub) : undefined;
    if (!def) throw invalid(`"${top.def.name}" has no sub-attribute "${path.sub}"`);
    // One entry per element, `undefined` where the element lacks the sub-attribute, so `ne` sees it.
    return { def, values: (o) => top.values(o).flatMap((el) => (isObject(el) ? elementValues(el, def.name) : [])) };
  }
  if (top.def.type === 'complex' && !present) {
    // RFC 7644 §3.4.2.2 example `emails co "example.com"`: a complex attribute compares its `value`.
    const def = subAttribute(top.def, 'value');
    if (!def) throw invalid(`"${top.def.name}" is complex: compare one of its sub-attributes`);
    return { def, values: (o) => top.values(o).flatMap((el) => (isObject(el) ? elementValues(el, 'value') : [el])) };
  }
  return top;
}

/** The values of one element's sub-attribute; `[undefined]` when the element has none. */
function elementValues(el: Record<string, unknown>, name: string): unknown[] {
  const values = asList(getIgnoringCase(el, name));
  return values.length === 0 ? [undefined] : values;
}

/** RFC 7644 §3.4.2.2 `pr`: null, "", [] and {} (or all-empty objects) are not present. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isObject(value)) return Object.values(value).some(isPresent);
  return true;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  // Entra sends "True"/"False"; tolerate them in stored data and literals alike.
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function toInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function order(op: CompareOperator, a: number | string, b: number | string): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

function textual(op: CompareOperator, a: string, b: string): boolean {
  if (op === 'co') return a.includes(b);
  if (op === 'sw') return a.startsWith(b);
  if (op === 'ew') return a.endsWith(b);
  return order(op, a, b);
}

/** How one value compares with the literal, following the attribute's RFC 7643 §7 type. */
function comparator(def: AttributeDefinition, op: CompareOperator, literal: Exclude<FilterValue, null>, name: string): (v: unknown) => boolean {
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  switch (def.type) {
    case 'boolean': {
      // RFC 7644 §3.4.2.2: gt/ge/lt/le on booleans fail with invalidFilter; co/sw/ew mean nothing either.
      if (op !== 'eq') throw invalid(`"${op}" cannot compare the boolean attribute "${name}"`);
      const b = toBoolean(literal);
      if (b === undefined) throw invalid(`"${name}" is boolean: compare it with true or false`);
      return (v) => toBoolean(v) === b;
    }
    case 'integer':
    case 'decimal': {
      if (substring) throw invalid(`"${op}" cannot compare the numeric attribute "${name}"`);
      const n = toNumber(literal);
      if (n === undefined) throw invalid(`"${name}" is numeric: compare it with a number`);
      return (v) => {
        const x = toNumber(v);
        return x !== undefined && order(op, x, n);
      };
    }
    case 'dateTime': {
      if (substring) {
        const s = String(literal).toLowerCase();
        return (v) => typeof v === 'string' && textual(op, v.toLowerCase(), s);
      }
      // RFC 7644 §3.4.2.2: dateTime compares chronologically, so compare instants.
      const t = toInstant(literal);
      if (t === undefined) throw invalid(`"${name}" is a dateTime: compare it with an xsd:dateTime string`);
      return (v) => {
        const x = toInstant(v);
        return x !== undefined && order(op, x, t);
      };
    }
    case 'complex':
      throw invalid(`"${name}" is complex: compare one of its sub-attributes`);
    case 'binary':
      // RFC 7644 §3.4.2.2: gt/ge/lt/le on binary attributes fail with invalidFilter.
      if (ordering) throw invalid(`"${op}" cannot compare the binary attribute "${name}"`);
      return stringComparator((s) => s, op, literal);
    default:
      // A unique name matches `eq`/`ne` as the uniqueness check compares it (nameKey), so a lookup
      // before a create finds the account a create would collide with.
      if (def.uniqueness !== 'none' && !def.caseExact && (op === 'eq' || op === 'ne')) return stringComparator(nameKey, op, literal);
      return stringComparator(def.caseExact ? (s) => s : (s) => s.toLowerCase(), op, literal);
  }
}

function stringComparator(fold: (s: string) => string, op: CompareOperator, literal: Exclude<FilterValue, null>): (v: unknown) => boolean {
  // RFC 7643 §2.3.1: caseExact false compares case-insensitively.
  const b = fold(typeof literal === 'string' ? literal : String(literal));
  return (v) => typeof v === 'string' && textual(op, fold(v), b);
}
