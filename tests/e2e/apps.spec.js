// The two builds of the app: a volunteer's phone downloads only the volunteers' app at /,
// everyone else works in the workbench at /work/, and a code typed into the wrong one
// still ends up in the right one, enrolled.
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, codes } = require('./fixtures');

let server;
serverPerTest(test, (s) => {
  server = s;
});
const profile = () => server.profile();

test("a volunteer's phone never downloads the workbench", async () => {
  const { link } = server.enroll('volunteer', codes.fuxing, '李四');
  expect(new URL(link).pathname).toBe('/');
  const { context, page } = await launchPhone(profile());
  const fetched = [];
  context.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await expect(page.getByTestId('tab-checkin')).toBeVisible();
  await expect(page.getByTestId('tab-filing')).toHaveCount(0);
  expect(fetched.some((p) => p.endsWith('_bg.wasm'))).toBe(true);
  expect(fetched.filter((p) => p.startsWith('/work/'))).toEqual([]);
  await context.close();
});

test('a reviewer who types the code into the volunteers\' app is taken to the workbench, enrolled', async () => {
  const { code, link } = server.enroll('town_reviewer', codes.town, '凤山街道办事处');
  expect(new URL(link).pathname).toBe('/work/');
  const { context, page } = await launchPhone(profile());
  await page.goto(server.url);
  await page.getByTestId('enroll-code').fill(code);
  await page.getByTestId('enroll-submit').click();
  await expect(page).toHaveURL(`${server.url}/work/`, { timeout: 20_000 });
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('tab-review')).toBeVisible();
  await expect(page.getByText('凤山街道办事处')).toBeVisible();

  // The workbench's own worker answers its pages with the network off.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('tab-review')).toBeVisible();
  await context.close();
});
