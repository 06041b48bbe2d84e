import { describe, expect, it } from 'vitest';
import { createInput, draftOf, identityProblem, splitName, updateInput } from './contact-form';

const ruby = {
  id: 'c1',
  name: 'Ruby van Dam',
  first_name: 'Ruby',
  last_name: 'van Dam',
  emails: ['ruby@example.com'],
  phones: ['+31 20 555 0100'],
  handles: ['rubyvd'],
  details: 'Prefers email',
};

describe('contact form', () => {
  it('splits a name at the first space', () => {
    expect(splitName('Ruby van Dam')).toEqual({ first: 'Ruby', last: 'van Dam' });
    expect(splitName('Cher')).toEqual({ first: 'Cher', last: '' });
  });
  it('uses the name parts when the backend gives them', () => {
    expect(draftOf({ ...ruby, first_name: 'Ruby van', last_name: 'Dam' }).first_name).toBe('Ruby van');
  });
  it('lists identities by kind', () => {
    expect(draftOf(ruby).identities).toEqual([
      { kind: 'email', value: 'ruby@example.com' },
      { kind: 'phone', value: '+31 20 555 0100' },
      { kind: 'twitter', value: 'rubyvd' },
    ]);
  });
  it('sends only what changed, and the whole identity list when it changed', () => {
    const before = draftOf(ruby);
    expect(updateInput(before, { ...before })).toBeNull();
    expect(updateInput(before, { ...before, details: 'VIP' })).toEqual({ details: 'VIP' });
    const withNew = { ...before, identities: [...before.identities, { kind: 'twitter' as const, value: '@ruby2' }] };
    expect(updateInput(before, withNew)).toEqual({
      emails: [{ email: 'ruby@example.com', type: null }],
      phones: [{ number: '+31 20 555 0100', type: null }],
      twitter: ['rubyvd', 'ruby2'],
    });
  });
  it('creates with every filled field', () => {
    expect(
      createInput({ first_name: ' Ann ', last_name: '', details: '', identities: [{ kind: 'email', value: 'a@b.co' }] }),
    ).toEqual({ first_name: 'Ann', emails: [{ email: 'a@b.co', type: null }], phones: [], twitter: [] });
  });
  it('refuses bad or repeated identities', () => {
    const have = [{ kind: 'email' as const, value: 'a@b.co' }];
    expect(identityProblem({ kind: 'email', value: 'nope' }, have)).toMatch(/not an email/);
    expect(identityProblem({ kind: 'email', value: 'A@B.co' }, have)).toMatch(/already/);
    expect(identityProblem({ kind: 'phone', value: '' }, have)).toMatch(/Type a value/);
    expect(identityProblem({ kind: 'twitter', value: '@ann' }, have)).toBeNull();
  });
});
