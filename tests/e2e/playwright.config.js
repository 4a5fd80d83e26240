// End-to-end tests of wenming. `cargo xtask test` runs them after building the app (dist/)
// and the district server; see fixtures.js for what each test starts.
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: '.',
  testMatch: '*.spec.js',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // One browser at a time: the machine has two cores and the server wants one.
  workers: 1,
  // One more try for a test that fails once on a loaded two-core machine; the list
  // reporter still names it (flaky), so a real fault shows as a failure twice.
  retries: 1,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: 'test-results',
});
