// Volunteers (#5) end to end: a volunteer's phone registers, checks in offline with the
// station's pass from its QR code's link (checked on the phone with the district key),
// checks out, and syncs; the district holds one service record, not flagged typed; the station admin, on
// the workbench, prints the pass and approves the hours under 站务, and the phone's 我的
// shows the points. A sign-up made offline comes back 报名成功.
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, uuidv7, codes } = require('./fixtures');

let server;
let profile;
let adminProfile;
serverPerTest(test, (s) => {
  server = s;
  profile = s.profile();
  adminProfile = s.profile();
});

async function tokenOf(role, scope, name) {
  return server.token(server.enroll(role, scope, name).code);
}

async function api(token, method, p, body) {
  const res = await fetch(`${server.url}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Pushes one record as the station admin's workbench would, and expects it accepted. */
async function push(token, kind, body) {
  const id = uuidv7();
  const deviceTime = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const answer = await api(token, 'POST', '/push', {
    records: [{ id, kind, schema_version: 1, device_time: deviceTime, body }],
  });
  expect(JSON.stringify(answer)).not.toContain('rejected');
  return id;
}

test('a volunteer registers, checks in offline with the pass from the QR code, and sees the approved points', async () => {
  // The station admin's workbench prints the station's pass; its text is what a phone
  // that cannot scan types in.
  const station = await launchPhone(adminProfile);
  await station.page.goto(server.enroll('station_admin', codes.fuxing, '刘站长').link);
  await expect(station.page.getByTestId('home')).toBeVisible();
  await station.page.getByTestId('tab-station').click();
  await station.page.getByTestId('st-pass').click();
  const [sheet] = await Promise.all([
    station.page.waitForResponse((r) => r.url().includes(`/stations/${codes.fuxing}/pass?`)),
    station.page.getByTestId('pass-make').click(),
  ]);
  await expect(station.page.getByTestId('pass-qr')).toBeVisible({ timeout: 20_000 });
  const pass = (await station.page.getByTestId('pass-text').textContent()).trim();
  expect(pass).toMatch(/^WM1\./);
  // The QR code holds a link to the volunteers' app with the pass, for any scanner.
  const passLink = (await sheet.json()).qr_text;
  expect(passLink).toBe(`${server.url}/?pass=${pass}`);
  // A second admin device of the station publishes an activity and reads the district.
  const admin = await tokenOf('station_admin', codes.fuxing, '刘站长');
  const starts = new Date(Date.now() + 3 * 24 * 3600 * 1000);
  starts.setUTCMilliseconds(0);
  const activity = await push(admin, 'volunteer_activity', {
    title: '重阳节探访空巢老人',
    station: codes.fuxing,
    starts_at: starts.toISOString().replace('.000Z', 'Z'),
    ends_at: new Date(starts.getTime() + 3 * 3600 * 1000).toISOString().replace('.000Z', 'Z'),
    volunteers_needed: 8,
    skills_wanted: ['理发'],
    description: '为独居老人理发、测血压',
  });

  const { link } = server.enroll('volunteer', codes.fuxing, '复兴社区志愿者手机');
  const { context, page } = await launchPhone(profile);
  await page.goto(link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

  // 注册登记, online: the registration and its outcome.
  await page.getByTestId('tab-me').click();
  await page.getByTestId('register').click();
  await expect(page.getByTestId('field-error').first()).toBeVisible();
  await page.getByTestId('reg-name').fill('王桂兰');
  await page.getByTestId('reg-phone').fill('13812345678');
  await page.getByTestId('gender-female').check();
  await page.getByTestId('reg-birth-year').fill('1962');
  await page.getByTestId('reg-skills').fill('理发，测血压');
  await page.getByTestId('register').click();
  await expect(page.getByTestId('account')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.getByTestId('balance')).toContainText('积分 0');
  // The activities came with the sync.
  await page.getByTestId('tab-signup').click();
  await expect(page.getByTestId('activity')).toHaveCount(1);

  // Offline: the app starts from the service worker; sign up, check in with the pass.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('tab-signup').click();
  await page.getByTestId('signup-phone').fill('13812345678');
  await page.getByTestId('signup').click();
  await expect(page.getByTestId('signup-status')).toContainText('等待联网');

  await page.getByTestId('tab-checkin').click();
  await page.getByTestId('pass').fill(pass.slice(0, -3) + (pass.endsWith('A') ? 'BBB' : 'AAA'));
  await expect(page.getByTestId('pass-refused')).toContainText('签到码');
  // The QR code's link, opened by the phone's camera app with the network still off: the
  // app starts from the service worker with the pass filled in and checked.
  await page.goto(passLink);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('pass-ok')).toContainText('签到码有效');
  await expect(page.getByTestId('pass')).toHaveValue(pass);
  expect(page.url()).toBe(`${server.url}/`);
  await expect(page.getByTestId('station')).toHaveCount(0);
  await page.getByTestId('volunteer-name').fill('王桂兰');
  await page.getByTestId('phone').fill('13812345678');
  await page.getByTestId('check-in').click();
  const open = page.getByTestId('open-checkin');
  await expect(open).toHaveCount(1);
  const id = await open.getAttribute('data-id');
  await page.waitForTimeout(1_200);
  await open.getByTestId('check-out').click();
  await expect(open).toHaveCount(0);

  // Online again: synced within 10 s; one service record, verified by its pass.
  await context.setOffline(false);
  await expect(page.getByTestId('pending-count')).toHaveText('0', { timeout: 10_000 });
  const pending = await api(admin, 'GET', '/hours/pending');
  const mine = pending.items.filter((r) => r.volunteer_name === '王桂兰');
  expect(mine).toHaveLength(1);
  expect(mine[0].id).toBe(id);
  expect(mine[0].flags).not.toContain('typed');
  expect(mine[0].flags).not.toContain('pass_refused');
  expect(mine[0].state).toBe('closed');

  // The sign-up was decided.
  await page.getByTestId('tab-signup').click();
  await expect(page.getByTestId('signup-status')).toContainText('报名成功', { timeout: 10_000 });
  const signups = await api(admin, 'GET', `/volunteers/${mine[0].volunteer}`);
  expect(signups.signups.map((s) => s.activity)).toContain(activity);

  // The station admin approves 60 minutes under 待审核时长; the phone shows the points
  // after its next sync.
  await station.page.getByTestId('st-hours').click();
  const visit = station.page.locator(`[data-testid="pending-visit"][data-id="${id}"]`);
  await expect(visit).toBeVisible({ timeout: 20_000 });
  await expect(visit.getByTestId('visit-flags')).toContainText('扫码');
  await visit.getByTestId('hours-approve').click();
  await visit.getByTestId('hours-minutes').fill('60');
  await visit.getByTestId('hours-confirm').click();
  await expect(visit).toHaveCount(0, { timeout: 20_000 });
  await page.getByTestId('tab-records').click();
  await page.getByTestId('sync-now').click();
  await page.getByTestId('tab-me').click();
  await expect(page.getByTestId('service-records')).toContainText('已核定 60 分钟 +', { timeout: 10_000 });
  const account = await api(admin, 'GET', `/volunteers/${mine[0].volunteer}`);
  expect(account.balance).toBeGreaterThan(0);
  await expect(page.getByTestId('balance')).toContainText(`积分 ${account.balance}`);
  await context.close();
  await station.context.close();
});
