import { describe, expect, it } from 'vitest';
import { errorSentence, failureSentence, refusalSentence, toUnifiedError } from './error-text';

describe('toUnifiedError', () => {
  it('keeps a proper error', () => {
    const e = toUnifiedError({ code: 'offline', message: 'connect refused' });
    expect(e.code).toBe('offline');
    expect(e.message).toBe('connect refused');
  });
  it('turns strings and unknown codes into internal errors', () => {
    expect(toUnifiedError('boom').code).toBe('internal');
    expect(toUnifiedError({ code: 'weird', message: 'x' }).code).toBe('internal');
  });
});

describe('errorSentence', () => {
  it('is one sentence with advice, keyed by code', () => {
    const s = errorSentence({ code: 'auth_failed' }, 'add_account');
    expect(s).toMatch(/^The helpdesk refused this token/);
    expect(s.split('. ').length).toBe(1);
  });
  it('adapts offline advice to adding an account', () => {
    expect(errorSentence({ code: 'offline' }, 'add_account')).toMatch(/base URL/);
  });
});

describe('failureSentence', () => {
  it('drops API hints and reads as a sentence', () => {
    expect(failureSentence('a note needs an author: the agent it is written as (`author: {id}`)')).toBe(
      'A note needs an author: the agent it is written as.',
    );
    expect(failureSentence('`fax` is not a status')).toBe('“fax” is not a status.');
    expect(failureSentence('the message is empty')).toBe('The message is empty.');
  });
});

describe('refusalSentence', () => {
  const failures = [
    { field: 'body', message: 'the message is empty' },
    { field: 'author', message: 'a note needs an author (`author: {id}`)' },
  ];
  it('says every field failure, as sentences', () => {
    expect(refusalSentence({ code: 'validation', message: 'x', failures })).toBe(
      'The message is empty. A note needs an author.',
    );
  });
  it('says only the first ones when asked', () => {
    expect(refusalSentence({ code: 'validation', message: 'x', failures }, 1)).toBe('The message is empty.');
  });
  it('falls back to the sentence for the code', () => {
    expect(refusalSentence({ code: 'offline', message: 'x' })).toBe(errorSentence({ code: 'offline' }));
    expect(refusalSentence({ code: 'offline', message: 'x', failures: [] }, 1)).toBe(errorSentence({ code: 'offline' }));
  });
});
