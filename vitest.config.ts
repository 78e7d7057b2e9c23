import { defineConfig } from 'vitest/config';

// Unit tests run beside the code; integration tests share one local stack (started once by the
// global setup, reused across files) and run one file at a time: the machine has two cores and
// Trino needs them. They share no state table: each file has its own.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          setupFiles: ['tests/setup/local-env.ts'],
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
          // The local stack's endpoints; a state table per file (FUJI_ETL_STATE_TABLE), created
          // before it and dropped after.
          setupFiles: ['tests/setup/local-env.ts', 'tests/setup/state-table.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
          env: { FUJI_ETL_TARGET: 'local' },
        },
      },
    ],
  },
});
