// The walking skeleton end to end: an offline check-in travels phone → IndexedDB →
// district server, exactly once, whatever the network and the browser do meanwhile.
const { test, expect, chromium } = require('@playwright/test');
const { serverPerTest, launchPhone, codes, CHROMIUM, ARGS } = require('./fixtures');

let server;
let profile;
serverPerTest(test, (s) => {
  server = s;
  profile = s.profile();
});

test('an offline check-in survives a browser restart and reaches the district exactly once', async () => {
  const admin = await server.adminToken();
  const { link } = server.enroll('volunteer', codes.fuxing, '王桂兰');

  let { context, page } = await launchPhone(profile);
  await page.goto(link);
  await expect(page.getByTestId('home')).toBeVisible();
  // The stations were pulled while online and are there for the offline picker.
  await expect(page.getByTestId('station').locator(`option[value="${codes.youfang}"]`)).toHaveCount(1);
  // The service worker has taken control: from here the app starts without a network.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('net-status')).toContainText('离线');

  await page.getByTestId('tab-checkin').click();
  await page.getByTestId('station').selectOption(codes.youfang);
  await page.getByTestId('volunteer-name').fill('王桂兰');
  await page.getByTestId('phone').fill('139 2345 6789');
  await page.getByTestId('check-in').click();
  const open = page.getByTestId('open-checkin');
  await expect(open).toHaveCount(1);
  const id = await open.getAttribute('data-id');
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  await open.getByTestId('check-out').click();
  await expect(page.getByTestId('open-checkin')).toHaveCount(0);

  await page.getByTestId('tab-records').click();
  const row = page.locator(`[data-testid="record"][data-id="${id}"]`);
  await expect(row).toHaveAttribute('data-state', 'pending');
  await expect(row.getByTestId('duration')).toBeVisible();
  await context.close();

  // The browser is closed and opened again, still without a network.
  ({ context, page } = await launchPhone(profile));
  await context.setOffline(true);
  await page.goto(server.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('tab-records').click();
  const again = page.locator(`[data-testid="record"][data-id="${id}"]`);
  await expect(again).toHaveAttribute('data-state', 'pending');
  await expect(page.getByTestId('pending-count')).not.toHaveText('0');
  expect((await server.checkins(admin)).total).toBe(0);

  // The network comes back: the record syncs by itself within 10 s.
  await context.setOffline(false);
  await expect(again).toHaveAttribute('data-state', 'synced', { timeout: 10_000 });
  await expect(page.getByTestId('pending-count')).toHaveText('0');
  let ledger = await server.checkins(admin);
  expect(ledger.total).toBe(1);

  // Syncing again stores nothing twice.
  await page.getByTestId('sync-now').click();
  await expect(again).toHaveAttribute('data-state', 'synced');
  await page.waitForTimeout(1_000);
  ledger = await server.checkins(admin);
  expect(ledger.total).toBe(1);
  await context.close();
});

test('a push whose answer is lost is sent again and still counted once', async () => {
  const admin = await server.adminToken();
  const { link } = server.enroll('volunteer', codes.fuxing, '李建国');
  // No service worker here: this test is about the API path, which it never touches.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();

  // The first push reaches the server and is stored, but its answer never comes back.
  let cut = 0;
  await page.route('**/api/v1/push', async (route) => {
    if (cut === 0) {
      cut += 1;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });

  await page.goto(link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('tab-checkin').click();
  await page.getByTestId('station').selectOption(codes.fuxing);
  await page.getByTestId('volunteer-name').fill('李建国');
  await page.getByTestId('phone').fill('13800138000');
  await page.getByTestId('check-in').click();
  await expect(page.getByTestId('open-checkin')).toHaveCount(1);

  await page.getByTestId('tab-records').click();
  const row = page.getByTestId('record');
  await expect(row).toHaveCount(1);
  // The lost answer leaves the record pending; the next try is answered `duplicate`.
  await expect.poll(() => cut).toBe(1);
  await page.getByTestId('sync-now').click();
  await expect(row).toHaveAttribute('data-state', 'synced', { timeout: 15_000 });
  expect((await server.checkins(admin)).total).toBe(1);
  await browser.close();
});
