import { attribute, type SchemaDefinition } from './types';
import { multiValuedSubAttributes } from './common';
import { URN } from './urns';

/** The core User schema, RFC 7643 §4.1 and §8.7.1. */
export const USER_SCHEMA: SchemaDefinition = {
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute('userName', {
      description: 'Unique identifier for the User, typically used by the user to directly authenticate.',
      required: true,
      uniqueness: 'server',
    }),
    attribute('name', {
      description: "The components of the user's real name.",
      subAttributes: [
        attribute('formatted', { description: 'The full name, formatted for display.' }),
        attribute('familyName', { description: 'The family name of the User.' }),
        attribute('givenName', { description: 'The given name of the User.' }),
        attribute('middleName', { description: 'The middle name(s) of the User.' }),
        attribute('honorificPrefix', { description: 'The honorific prefix(es) of the User.' }),
        attribute('honorificSuffix', { description: 'The honorific suffix(es) of the User.' }),
      ],
    }),
    attribute('displayName', { description: 'The name of the User, suitable for display to end-users.' }),
    attribute('nickName', { description: 'The casual way to address the user.' }),
    attribute('profileUrl', { type: 'reference', referenceTypes: ['external'], description: "A fully qualified URL pointing to the User's online profile." }),
    attribute('title', { description: "The user's title, such as 'Vice President'." }),
    attribute('userType', { description: 'The relationship between the organization and the user.' }),
    attribute('preferredLanguage', { description: "The User's preferred written or spoken language (RFC 7231 Accept-Language)." }),
    attribute('locale', { description: "The User's default location for localization, e.g. en-US." }),
    attribute('timezone', { description: "The User's time zone in the IANA Time Zone database format, e.g. America/Los_Angeles." }),
    attribute('active', { type: 'boolean', description: "The User's administrative status." }),
    attribute('password', {
      description: "The User's cleartext password; write-only, never returned, stored only as a hash.",
      mutability: 'writeOnly',
      returned: 'never',
    }),
    attribute('emails', {
      multiValued: true,
      description: 'Email addresses for the user.',
      subAttributes: multiValuedSubAttributes('Email address for the User.', ['work', 'home', 'other']),
    }),
    attribute('phoneNumbers', {
      multiValued: true,
      description: 'Phone numbers for the User.',
      subAttributes: multiValuedSubAttributes('Phone number of the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    }),
    attribute('ims', {
      multiValued: true,
      description: 'Instant messaging addresses for the User.',
      subAttributes: multiValuedSubAttributes('Instant messaging address for the User.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    }),
    attribute('photos', {
      multiValued: true,
      description: 'URLs of images of the User.',
      subAttributes: multiValuedSubAttributes('URL of a photo of the User.', ['photo', 'thumbnail'], { valueType: 'reference', referenceTypes: ['external'] }),
    }),
    attribute('addresses', {
      multiValued: true,
      description: 'A physical mailing address for this User.',
      subAttributes: [
        attribute('formatted', { description: 'The full mailing address, formatted for display.' }),
        attribute('streetAddress', { description: 'The full street address component.' }),
        attribute('locality', { description: 'The city or locality component.' }),
        attribute('region', { description: 'The state or region component.' }),
        attribute('postalCode', { description: 'The zip code or postal code component.' }),
        attribute('country', { description: 'The country name component (ISO 3166-1 alpha-2).' }),
        attribute('type', { description: "A label indicating the attribute's function.", canonicalValues: ['work', 'home', 'other'] }),
        attribute('primary', { type: 'boolean', description: 'Indicates the primary mailing address.' }),
      ],
    }),
    // `returned: request` (RFC 7643 says default): computing it costs a query per user, so a plain
    // GET stays one read (docs/design.md pattern 1) and lists stay O(count); ask with attributes=groups.
    attribute('groups', {
      multiValued: true,
      mutability: 'readOnly',
      returned: 'request',
      description: 'Groups to which the user belongs, directly or through nested groups; computed, read-only. Returned when requested (attributes=groups).',
      subAttributes: [
        attribute('value', { mutability: 'readOnly', caseExact: true, description: 'The id of the Group.' }),
        attribute('$ref', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'readOnly', caseExact: true, description: 'The URI of the Group.' }),
        attribute('display', { mutability: 'readOnly', description: "The Group's displayName." }),
        attribute('type', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'], description: 'direct or indirect membership.' }),
      ],
    }),
    attribute('entitlements', {
      multiValued: true,
      description: 'A list of entitlements for the User.',
      subAttributes: multiValuedSubAttributes('The value of an entitlement.', []),
    }),
    attribute('roles', {
      multiValued: true,
      description: 'A list of roles for the User.',
      subAttributes: multiValuedSubAttributes('The value of a role.', []),
    }),
    attribute('x509Certificates', {
      multiValued: true,
      description: 'A list of certificates issued to the User.',
      subAttributes: multiValuedSubAttributes('The value of an X.509 certificate (DER, base64).', [], { valueType: 'binary' }),
    }),
  ],
};
