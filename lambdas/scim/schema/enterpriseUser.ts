import { attribute, type SchemaDefinition } from './types';
import { URN } from './urns';

/** The Enterprise User extension, RFC 7643 §4.3 and §8.7.1. */
export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attribute('employeeNumber', { description: 'Numeric or alphanumeric identifier assigned to a person.' }),
    attribute('costCenter', { description: 'Identifies the name of a cost center.' }),
    attribute('organization', { description: 'Identifies the name of an organization.' }),
    attribute('division', { description: 'Identifies the name of a division.' }),
    attribute('department', { description: 'Identifies the name of a department.' }),
    attribute('manager', {
      description: "The User's manager.",
      subAttributes: [
        attribute('value', { caseExact: true, description: 'The id of the SCIM resource representing the manager.' }),
        attribute('$ref', { type: 'reference', referenceTypes: ['User'], caseExact: true, description: 'The URI of the manager.' }),
        attribute('displayName', { mutability: 'readOnly', description: 'The displayName of the manager.' }),
      ],
    }),
  ],
};
