/**
 * Tests run against the local stack: its endpoints are laid under each test process's own
 * environment (a variable a test or a developer set still wins), as the CLI does. Product code
 * defaults to AWS and never names the local stack.
 */
import { localEnv } from '#local/config.ts';

for (const [k, v] of Object.entries(localEnv())) if (!process.env[k]) process.env[k] = v;
