import * as accreditationCredential from './index';

describe('@podium/accreditation-credential', () => {
  it('exports exactly its public API', () => {
    // Add each name here when you export it from src/index.ts: the lib's API is a decision, not an accident.
    expect(Object.keys(accreditationCredential).sort()).toEqual([
      'ALL',
      'DEFAULT_CLOCK_TOLERANCE_SECONDS',
      'GATE_REASONS',
      'MAX_UPGRADES',
      'RevocationGapError',
      'RevocationState',
      'VerificationKeys',
      'VerifiedCredentials',
      'credentialClaimsSchema',
      'generateSigningKey',
      'importJwkSet',
      'jwkSetOf',
      'publicJwk',
      'revocationEntrySchema',
      'revocationPageSchema',
      'signCredential',
      'verifyCredential',
    ]);
  });
});
