import { defineConfig } from 'vitest/config';

// Three tiers, run by `npm test` in this order: pure unit tests, integration tests against real
// Dovecot + Postfix started by the tests themselves, and end-to-end tests driving Debian's
// Chromium against browser mode. Integration and e2e files run one at a time: each starts its
// own mail servers and the machine has two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // expect.poll's own default (1 s) is shorter than a whole-folder action takes on a loaded
          // two-core CI machine; a poll that passes waits no longer than it needs to.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
