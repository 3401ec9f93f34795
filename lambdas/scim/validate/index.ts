/** Input validation of POST/PUT bodies, derived from the schema definitions. */
/** validateResource: body -> canonical stored form, or ScimError 400; ValidateContext: what it needs. */
export { validateResource, type ValidateContext } from './validateResource';
/** Typing and bounds of one simple attribute value, with the IdP coercions (POST, PUT and PATCH). */
export { parseValue, typedValue, type ValueSchemaOptions } from './valueSchema';
/** The immutable and required rules and value sameness every write obeys. */
export { bareValueAsComplex, checkImmutable, checkRequired, isAssigned, sameAttributeValue } from './attributeRules';
/** Size bounds protecting DynamoDB's key and item limits, and their defaults. */
export { VALIDATION_LIMITS, type ValidationLimits } from './validationLimits';
/** Stored data of extensions the tenant no longer declares: kept through PATCH and PUT, never validated. */
export { setAsideUndeclaredExtensions, withUndeclaredExtensions, type UndeclaredExtensions } from './undeclaredExtensions';
