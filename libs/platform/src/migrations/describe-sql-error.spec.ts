import { describeSqlError } from './apply-migrations';

describe('describeSqlError', () => {
  it('adds the SQLSTATE and the line the error points at', () => {
    const script = 'CREATE TABLE "a" ("id" INTEGER);\nCREATE TABL "b" ();\n';
    const error = Object.assign(new Error('syntax error at or near "TABL"'), { code: '42601', position: String(script.indexOf('TABL "b"') + 1) });
    expect(describeSqlError(error, script)).toBe('ERROR 42601: syntax error at or near "TABL" (line 2: CREATE TABL "b" ();)');
  });

  it('works for errors without a position and appends the detail', () => {
    const error = Object.assign(new Error('could not create unique index "a_key"'), { code: '23505', detail: 'Key (x)=(1) is duplicated.' });
    expect(describeSqlError(error, '')).toBe('ERROR 23505: could not create unique index "a_key" - Key (x)=(1) is duplicated.');
  });
});
