/** Filter AST node types, operator list and the length/depth bounds. */
export * from './ast';
/** `parseFilter(text): FilterNode` — RFC 7644 §3.4.2.2 parser, 400 invalidFilter on error. */
export { parseFilter } from './parseFilter';
/** `printFilter(ast): string` — canonical printer; `parseFilter(printFilter(a))` equals `a`. */
export { printFilter, printAttrPath, printFilterValue } from './printFilter';
/** `planFilter(ast, resourceType): StorePlan` — the store's key lookup for a filter. */
export { planFilter, conjunctEqualities, MAX_FILTER_LOOKUPS, type ResourceTypeName } from './planFilter';
/** `matchesFilter(resource, ast, ctx)`, `compileFilter(ast, ctx)`, `compileValueFilter(filter, parentDef, ctx)` — the evaluator. */
export { matchesFilter, compileFilter, compileValueFilter, type FilterContext, type ResourcePredicate } from './matchesFilter';
/** The StorePlan contract between filter planning and the store. */
export type { StorePlan } from './plan';
/** `checkFilterSupport(ast, type)`, `planProvesMembership(plan, id)` — the filters this provider serves beyond the grammar. */
export { checkFilterSupport, planProvesMembership } from './filterSupport';
