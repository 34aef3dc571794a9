import * as accreditationCredential from './index';

describe('@podium/accreditation-credential', () => {
  it('exports exactly its public API', () => {
    // Add each name here when you export it from src/index.ts: the lib's API is a decision, not an accident.
    expect(Object.keys(accreditationCredential).sort()).toEqual([
      'ALL',
      'DEFAULT_CLOCK_TOLERANCE_SECONDS',
      'DEFAULT_KEY_FETCH_TIMEOUT_MS',
      'DEFAULT_KEY_REFETCH_INTERVAL_MS',
      'GATE_REASONS',
      'MAX_UPGRADES',
      'RefreshingKeys',
      'RevocationGapError',
      'RevocationState',
      'VerificationKeys',
      'VerifiedCredentials',
      'checkCredential',
      'claimedCardNumber',
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
