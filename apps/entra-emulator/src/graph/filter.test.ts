import { describe, expect, it } from 'vitest';
import { evaluateFilter, parseFilter } from './filter';

const group = {
  displayName: "O'Brien Fans",
  mailEnabled: false,
  securityEnabled: true,
  groupTypes: ['Unified'],
  mail: null,
  personType: { class: 'Group' },
};
const get = (path: string): unknown =>
  path.split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], group);

describe('parseFilter and evaluateFilter', () => {
  it.each([
    ["startswith(displayName,'o''b')", true, false],
    ["endswith(displayName,'fans')", true, true],
    ['mailEnabled eq false and securityEnabled eq true', true, false],
    ["groupTypes/any(c:c eq 'unified')", true, false],
    ["groupTypes/any(c:c ne 'Unified')", false, true],
    ["displayName in ('x', 'o''brien fans')", true, false],
    ['mail eq null', true, false],
    ["not (displayName eq 'x')", true, true],
    ["displayName ne 'x' or mailEnabled eq true", true, true],
    ["personType/class eq 'Group'", true, false],
  ])('%s → %s (advanced: %s)', (filter, expected, advanced) => {
    const parsed = parseFilter(filter);
    expect(evaluateFilter(parsed.expression, get)).toBe(expected);
    expect(parsed.advanced).toBe(advanced);
  });

  it('lists the property paths it reads', () => {
    expect(parseFilter("groupTypes/any(c:c eq 'Unified') and startswith(mail,'a')").paths).toEqual([
      'groupTypes',
      'mail',
    ]);
  });

  it.each([
    ["displayName gt 'a'", /unsupported operator 'gt'/],
    ["startswith(displayName,'a'", /expected '\)'/],
    ["displayName eq 'a", /unterminated string/],
    ['displayName eq Adele', /not a literal/],
    ["groupTypes/any(c:d eq 'x')", /lambda/],
  ])('refuses %s', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(message);
  });
});
