import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar, initialsOf } from './avatar';

describe('initialsOf', () => {
  it.each([
    ['Adele Vance', 'AV'],
    ['Megan  Bowen-Smith', 'MS'],
    ['alex@contoso.test', 'A'],
    ['adele.vance@contoso.test', 'AV'],
    ['Ölaf', 'Ö'],
    ['李 小龙', '李小'],
    ['', '?'],
  ])('%j → %j', (name, expected) => {
    expect(initialsOf(name)).toBe(expected);
  });
});

describe('Avatar', () => {
  it('is a labelled image when it is not decorative', () => {
    render(<Avatar name="Adele Vance" decorative={false} />);
    expect(screen.getByRole('img', { name: 'Adele Vance' })).toHaveTextContent('AV');
  });
});
