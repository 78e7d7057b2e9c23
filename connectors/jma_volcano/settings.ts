import { HTTP_TIMEOUT_MS } from '#shared/settings/index.ts';
import { JMA_BASE_URL } from '../settings.ts';

export const settings = { baseUrl: JMA_BASE_URL, timeoutMs: HTTP_TIMEOUT_MS };
