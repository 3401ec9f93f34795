import { describe, expect, it } from 'vitest';
import { isScimError } from '../../lambdas/scim/errors';
import { compileFilter, matchesFilter, parseFilter, type FilterContext } from '../../lambdas/scim/filter';
import { attribute } from '../../lambdas/scim/schema';
import { registryWithUserExtension } from '../support/customExtension';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:acme:scim:schemas:extension:acme:1.0:User';
const registry = registryWithUserExtension(CUSTOM, [
  attribute('level', { type: 'integer' }),
  attribute('score', { type: 'decimal' }),
  attribute('badge', { caseExact: true }),
  attribute('hired', { type: 'dateTime' }),
  attribute('vip', { type: 'boolean' }),
  attribute('photo', { type: 'binary' }),
]);
const users: FilterContext = { registry, resourceType: 'User' };
const groups: FilterContext = { registry, resourceType: 'Group' };

const bjensen: Record<string, unknown> = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-EXT',
  userName: 'bjensen@example.com',
  name: { familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'babs@foo.com', type: 'xmpp' }],
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } },
  [CUSTOM]: { level: 3, score: 4.5, badge: 'Gold', hired: '2020-03-01T10:00:00+02:00', vip: false, photo: 'AAEC' },
};

describe('matchesFilter', () => {
  it.each<[string, boolean]>([
    // RFC 7644 §3.4.2.2 examples
    ['userName eq "bjensen@example.com"', true],
    ['name.familyName co "O\'Malley"', true],
    ['userName sw "B"', true],
    ['userName Sw "J"', false],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj"', true],
    ['title pr', true],
    ['nickName pr', false],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:35Z"', true],
    ['meta.lastModified le "2011-05-13T04:42:33Z"', false],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    [`schemas eq "${ENTERPRISE}"`, true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', true],
    // operators on strings, caseExact false: case-insensitive
    ['USERNAME EQ "BJENSEN@EXAMPLE.COM"', true],
    ['userName ne "bjensen@example.com"', false],
    ['userName ne "other"', true],
    ['userName co "JENSEN"', true],
    ['userName ew "EXAMPLE.COM"', true],
    ['displayName gt "Babs"', true],
    ['displayName lt "Babs"', false],
    ['displayName ge "babs jensen"', true],
    ['displayName le "babs jensen"', true],
    // caseExact true: exact
    ['externalId eq "Bjensen-EXT"', true],
    ['externalId eq "bjensen-ext"', false],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    [`${CUSTOM}:badge eq "Gold"`, true],
    [`${CUSTOM}:badge eq "gold"`, false],
    // booleans, numbers, dateTimes
    ['active eq true', true],
    ['active eq "True"', true],
    ['active ne true', false],
    [`${CUSTOM}:vip eq false`, true],
    [`${CUSTOM}:level eq 3`, true],
    [`${CUSTOM}:level gt 2`, true],
    [`${CUSTOM}:level le 2`, false],
    [`${CUSTOM}:score ge 4.5`, true],
    [`${CUSTOM}:score lt "5"`, true],
    [`${CUSTOM}:hired eq "2020-03-01T08:00:00Z"`, true],
    [`${CUSTOM}:hired gt "2020-03-01T08:30:00Z"`, false],
    [`${CUSTOM}:photo eq "AAEC"`, true],
    // multi-valued: any value
    ['emails.value eq "babs@jensen.org"', true],
    ['emails.type eq "other"', false],
    ['emails[type eq "home"].value eq "babs@jensen.org"', true],
    ['emails[type eq "work"].value eq "babs@jensen.org"', false],
    ['emails[Type eq "WORK" and Primary eq true]', true],
    ['emails[not (type eq "work")]', true],
    ['emails[type eq "work" or type eq "home"].value co "jensen"', true],
    // extension attributes, qualified or not, and the resource's own keys in any case
    [`${ENTERPRISE}:department eq "tour operations"`, true],
    [`${ENTERPRISE.toUpperCase()}:DEPARTMENT eq "Tour Operations"`, true],
    ['employeeNumber eq "701984"', true],
    [`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    [`${ENTERPRISE}:manager[value eq "26118915-6090-4610-87e4-49d8ca9f808d"]`, true],
    [`${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    [`${ENTERPRISE}:costCenter pr`, false],
    // null
    ['nickName eq null', true],
    ['title eq null', false],
    ['title ne null', true],
    // tolerances
    ['name.familyName eq o\'malley', true],
    ['name pr', true],
  ])('evaluates %s to %s', (filter, expected) => {
    // Act
    const actual = matchesFilter(bjensen, parseFilter(filter), users);
    // Assess
    expect(actual).toBe(expected);
  });

  describe('on multi-valued and complex attributes (RFC 7644 §3.4.2.2: "the filter matches if any of the values of the specified attribute match the specified criterion")', () => {
    const workAndHome = { userName: 'wh', emails: [{ value: 'w@corp.com', type: 'work' }, { value: 'H@Home.org', type: 'home' }], addresses: [{ locality: 'Oslo', type: 'work' }] };
    const workOnly = { userName: 'wo', emails: [{ value: 'w2@corp.com', type: 'work' }] };
    const untyped = { userName: 'ut', emails: [{ value: 'u@corp.com' }, { value: 'v@corp.com', type: 'work' }] };
    const none = { userName: 'none' };
    const fixtures: Record<string, Record<string, unknown>> = { workAndHome, workOnly, untyped, none };
    it.each<[string, string[]]>([
      // `ne` is "some value differs", not "no value equals": a home email beside a work one matches.
      ['emails.type ne "work"', ['workAndHome', 'untyped', 'none']],
      ['not (emails.type eq "work")', ['none']],
      ['emails[type ne "work"]', ['workAndHome', 'untyped']],
      ['emails ne "w@corp.com"', ['workAndHome', 'workOnly', 'untyped', 'none']],
      ['emails.value ne "w2@corp.com"', ['workAndHome', 'untyped', 'none']],
      ['emails.type eq "work"', ['workAndHome', 'workOnly', 'untyped']],
      ['emails.type eq "HOME"', ['workAndHome']],
      ['emails.value co "home"', ['workAndHome']],
      ['emails co "HOME.ORG"', ['workAndHome']],
      ['emails.value sw "h@"', ['workAndHome']],
      ['emails.value ew ".org"', ['workAndHome']],
      ['emails.value gt "v"', ['workAndHome', 'workOnly', 'untyped']],
      ['emails.value lt "i"', ['workAndHome']],
      ['emails.value ge "w3"', ['workAndHome']],
      ['emails.value le "h@home.org"', ['workAndHome']],
      ['emails.type pr', ['workAndHome', 'workOnly', 'untyped']],
      ['emails pr', ['workAndHome', 'workOnly', 'untyped']],
      ['emails.display pr', []],
      ['emails.display ne "x"', ['workAndHome', 'workOnly', 'untyped', 'none']],
      ['emails[type eq "work" and value sw "w2"]', ['workOnly']],
      ['emails[type eq "home" and value sw "w"]', []],
      ['addresses.locality ne "oslo"', ['workOnly', 'untyped', 'none']],
      ['addresses[type eq "work"].locality eq "OSLO"', ['workAndHome']],
    ])('%s matches %j', (filter, expected) => {
      // Act
      const ast = parseFilter(filter);
      const matched = Object.entries(fixtures).filter(([, r]) => matchesFilter(r, ast, users)).map(([name]) => name);
      // Assess
      expect(matched).toEqual(expected);
    });
  });

  it('looks attribute names up in the resource case-insensitively', () => {
    // Prepare
    const resource = { UserName: 'Alice', Emails: [{ Value: 'a@x.com', TYPE: 'work' }], [ENTERPRISE.toLowerCase()]: { Department: 'R&D' } };
    // Act & Assess
    expect(matchesFilter(resource, parseFilter('userName eq "alice"'), users)).toBe(true);
    expect(matchesFilter(resource, parseFilter('emails[type eq "work"].value eq "a@x.com"'), users)).toBe(true);
    expect(matchesFilter(resource, parseFilter(`${ENTERPRISE}:department eq "r&d"`), users)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an empty string', ''],
    ['an empty array', []],
    ['an array of empty values', [{ value: '' }]],
  ])('does not count %s as present', (_, value) => {
    expect(matchesFilter({ userName: 'a', nickName: value, emails: value }, parseFilter('nickName pr or emails pr'), users)).toBe(false);
  });

  it('matches a group by members when the store supplies them', () => {
    // Prepare
    const group = { id: 'g1', displayName: 'Sales', members: [{ value: 'u1' }, { value: 'u2', type: 'User' }] };
    // Act & Assess
    expect(matchesFilter(group, parseFilter('id eq "g1" and members[value eq "u2"]'), groups)).toBe(true);
    expect(matchesFilter(group, parseFilter('members.value eq "U2"'), groups)).toBe(false);
    expect(matchesFilter(group, parseFilter('displayName eq "sales"'), groups)).toBe(true);
  });

  it.each<[string, RegExp]>([
    ['active gt true', /boolean/],
    ['active co "t"', /boolean/],
    ['active eq "yes"', /true or false/],
    [`${CUSTOM}:photo gt "A"`, /binary/],
    [`${CUSTOM}:level co "3"`, /numeric/],
    [`${CUSTOM}:level eq "three"`, /number/],
    [`${CUSTOM}:hired gt "yesterday"`, /dateTime/],
    ['name eq "Barbara"', /complex/],
    ['name gt "x"', /complex/],
    ['nosuch eq "x"', /unknown attribute "nosuch"/],
    ['urn:acme:unknown:1.0:User:foo eq "x"', /unknown attribute/],
    ['name.nosuch eq "x"', /no sub-attribute "nosuch"/],
    ['title.sub eq "x"', /no sub-attribute/],
    ['emails[nosuch eq "x"]', /no sub-attribute "nosuch"/],
    ['title[value eq "x"]', /not a complex attribute/],
    ['userName gt null', /null/],
  ])('rejects %s with invalidFilter whatever the resource holds', (filter, detail) => {
    // Act
    let error: unknown;
    try {
      compileFilter(parseFilter(filter), users);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(isScimError(error) && error.status === 400 && error.scimType === 'invalidFilter').toBe(true);
    expect((error as Error).message).toMatch(detail);
  });

  it('rejects group filters on user attributes', () => {
    expect(() => compileFilter(parseFilter('userName eq "a"'), groups)).toThrow(/unknown attribute/);
  });
});
