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
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: 'test-results',
});
