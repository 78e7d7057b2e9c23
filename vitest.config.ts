import { defineConfig } from 'vitest/config';

// Unit tests run beside the code; integration tests share one local stack (started once by the
// global setup, reused across files) and run one file at a time: the machine has two cores and
// Trino needs them.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,local,cli,connectors,scripts}/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
        },
      },
      {
        // serverless package + cfn-lint on the template: offline, no local stack needed.
        test: {
          name: 'deploy',
          include: ['tests/deploy/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'tests/integration/**/*.test.ts',
            'local/**/*.integration.test.ts',
            'functions/**/*.test.ts',
          ],
          globalSetup: ['tests/setup/global-stack.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
          env: { FUJI_ETL_TARGET: 'local' },
        },
      },
    ],
  },
});
