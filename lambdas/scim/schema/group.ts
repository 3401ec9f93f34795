import { attribute, type SchemaDefinition } from './types';
import { URN } from './urns';

/** The core Group schema, RFC 7643 §4.2 and §8.7.1. */
export const GROUP_SCHEMA: SchemaDefinition = {
  id: URN.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attribute('displayName', {
      description: 'A human-readable name for the Group; unique per tenant, case-insensitively.',
      required: true,
      uniqueness: 'server',
    }),
    attribute('members', {
      multiValued: true,
      description: 'A list of members of the Group: Users or Groups.',
      subAttributes: [
        attribute('value', { mutability: 'immutable', caseExact: true, description: 'Identifier of the member of this Group.' }),
        attribute('$ref', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'immutable', caseExact: true, description: 'The URI of the member.' }),
        attribute('display', { mutability: 'readOnly', description: "The member's display name." }),
        attribute('type', { mutability: 'immutable', canonicalValues: ['User', 'Group'], description: 'User or Group.' }),
      ],
    }),
    // Not in RFC 7643: governance tools (Veza and the like) send these at the top level of a Group
    // for entitlements, so they live in the core schema where those clients put them.
    attribute('description', { description: 'What the group grants (addition to RFC 7643 for governance tools).' }),
    attribute('groupType', { description: 'The kind of group, e.g. Security, Distribution, Role (addition to RFC 7643).' }),
  ],
};
