/**
 * Credentials of the GA4 Data API, as the requester reads them (`#shared/http/auth.ts`) from the
 * run's secrets: a service-account key signs its own scoped JWT, kept for the run and signed
 * anew before it expires; a workload identity federation configuration goes through
 * google-auth-library.
 */
import type { AuthSpec } from '#shared/http/auth.ts';

export const GA4_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

export const ga4Auth = (secretId: string): AuthSpec => ({
  kind: 'google',
  secret: secretId,
  scopes: [GA4_SCOPE],
});
