import { sharingRoutes } from '@gatehouse/contracts';
import { describe, expect, it } from 'vitest';
import { routePath } from './route-path';

describe('routePath', () => {
  it('fills every parameter, encoded', () => {
    expect(routePath(sharingRoutes.principalPhoto, { source: 'entra', type: 'user', id: 'a/b?c' })).toBe(
      '/api/principals/entra/user/a%2Fb%3Fc/photo',
    );
  });

  it('refuses a template with a parameter left unfilled', () => {
    expect(() => routePath(sharingRoutes.permissions, {})).toThrow(TypeError);
  });
});
