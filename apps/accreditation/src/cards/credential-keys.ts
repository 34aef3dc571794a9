import { importJwkSet, type JwkSet, jwkSetOf, type VerificationKeys } from '@podium/accreditation-credential';
import { CONFIG } from '@podium/platform';
import type { Provider } from '@nestjs/common';

import { type AccreditationConfig, type CredentialKeys, credentialKeysOf } from '../app/config';

/** The service's credential keys: the one that signs, the JWK Set it publishes and the imported set it verifies with. */
export interface ServiceKeys extends CredentialKeys {
  readonly jwkSet: JwkSet;
  readonly verificationKeys: VerificationKeys;
}

export const SERVICE_KEYS = Symbol('accreditation:service-keys');

export const serviceKeysProvider: Provider = {
  provide: SERVICE_KEYS,
  inject: [CONFIG],
  useFactory: (config: AccreditationConfig): ServiceKeys => {
    const keys = credentialKeysOf(config);
    const jwkSet = jwkSetOf(keys.verification);
    return { ...keys, jwkSet, verificationKeys: importJwkSet(jwkSet) };
  },
};
