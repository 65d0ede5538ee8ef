import { describe, expect, it } from 'vitest';
import { sameOriginPath, toReturnTo } from './return-to';

describe('toReturnTo', () => {
  it.each([
    ['/conversations', '/conversations'],
    ['/a?b=1#c', '/a?b=1#c'],
    [null, '/'],
    ['', '/'],
    ['conversations', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['/a\\b', '/'],
    ['/a\nb', '/'],
    ['javascript:alert(1)', '/'],
  ])('%j → %j', (value, expected) => {
    expect(toReturnTo(value)).toBe(expected);
  });
});

describe('sameOriginPath', () => {
  it.each([
    ['/x', '/x'],
    ['http://localhost:3080/x?y#z', '/x?y#z'],
    ['http://localhost:3081/x', null],
    ['https://localhost:3080/x', null],
    ['not a url', null],
    ['//evil.example/x', null],
  ])('%j → %j', (value, expected) => {
    expect(sameOriginPath(value, 'http://localhost:3080')).toBe(expected);
  });
});
