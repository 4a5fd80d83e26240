// The station admin's 站务 tab (#5) end to end, in the workbench: the printed pass shows
// its QR code and its text; a volunteer's phone registers, checks in with that pass and
// checks out over HTTP; the visits wait under 待审核时长; 核定 with corrected minutes books
// the points on the district; an approval another admin made first comes back 被退回 with
// who decided; an exchange item is added; with the network off an exchange
// is double-tapped and, online again, counts once (balance and stock down once); and a
// 撤销 with a reason shows in the volunteer's integrity records.
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, uuidv7, codes } = require('./fixtures');

let server;
serverPerTest(test, (s) => {
  server = s;
});
const profile = () => server.profile();

/** A time as the phones write it: whole seconds, UTC. */
function stamp(ms) {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const token = (code) => server.token(code);

async function get(tok, p) {
  const res = await fetch(`${server.url}/api/v1${p}`, { headers: { authorization: `Bearer ${tok}` } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function push(tok, records) {
  const res = await fetch(`${server.url}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
    body: JSON.stringify({ records }),
  });
  if (!res.ok) throw new Error(`push: ${res.status} ${await res.text()}`);
  return (await res.json()).results.map((r) => r.status);
}

function envelope(kind, ms, body) {
  return { id: uuidv7(ms), kind, schema_version: 1, device_time: stamp(ms), body };
}

const PHONE = '13812345678';

test('a station day: pass, hours approved and revoked, and an exchange double-tapped offline counts once', async () => {
  const admin = server.enroll('station_admin', codes.fuxing, '李建国');
  const { context, page } = await launchPhone(profile());
  await page.goto(admin.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.getByTestId('tab-station').click();

  // The pass to print: the QR code as an image, and its text for typing.
  await page.getByTestId('st-pass').click();
  await page.getByTestId('pass-make').click();
  await expect(page.getByTestId('pass-qr')).toBeVisible({ timeout: 20_000 });
  const src = await page.getByTestId('pass-qr').getAttribute('src');
  expect(decodeURIComponent(src)).toContain('<svg');
  await expect(page.getByTestId('pass-sheet')).toContainText('复兴社区');
  await expect(page.getByTestId('pass-validity')).toContainText('北京时间');
  const pass = (await page.getByTestId('pass-text').textContent()).trim();
  expect(pass).toMatch(/^WM1\./);
  // The QR image is laid out with a real size (it decoded).
  const width = await page.getByTestId('pass-qr').evaluate((img) => img.naturalWidth);
  expect(width).toBeGreaterThan(0);

  // 签到范围: set from where this phone stands (200 m around it), as the admin at the
  // station would; the district keeps it and checks the visits' positions against it.
  await context.grantPermissions(['geolocation'], { origin: server.url });
  await context.setGeolocation({ latitude: 29.3252, longitude: 107.7603, accuracy: 12 });
  await expect(page.getByTestId('fence-current')).toContainText('未设定签到范围');
  await page.getByTestId('fence-radius').selectOption('200');
  await page.getByTestId('fence-set').click();
  await expect(page.getByTestId('fence-current')).toContainText('29.325200, 107.760300 为中心，半径 200 米', {
    timeout: 20_000,
  });
  const district0 = await server.adminToken();
  expect((await get(district0, `/stations/${codes.fuxing}/geofence`)).geofence).toEqual({
    lat_e6: 29325200,
    lon_e6: 107760300,
    radius_m: 200,
  });

  // A volunteer's phone: enrolled, it registers, then two visits with the pass, as the
  // phone would push them.
  const vol = await token(server.enroll('volunteer', codes.fuxing, '王桂兰').code);
  await sleep(1100);
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  const registration = envelope('registration', t0, {
    name: '王桂兰', phone: PHONE, gender: 'female', birth_year: 1962, skills: ['理发'], organizations: [],
  });
  const visit = (start) => {
    const position = { lat_e6: 29325201, lon_e6: 107760298, accuracy_m: 18 };
    const checkIn = envelope('check_in', start, { station: codes.fuxing, volunteer_name: '王桂兰', phone: PHONE, pass, position });
    const checkOut = envelope('check_out', start + 1000, { check_in: checkIn.id, elapsed_ms: 1000 });
    return [checkIn, checkOut];
  };
  const [in1, out1] = visit(t0 + 1000);
  const [in2, out2] = visit(t0 + 3000);
  const [in3, out3] = visit(t0 + 5000);
  while (Date.now() < t0 + 7000) await sleep(200);
  expect(await push(vol, [registration, in1, out1, in2, out2, in3, out3])).toEqual(Array(7).fill('accepted'));

  // Both visits wait under 待审核时长 (scanned, not typed).
  await page.getByTestId('st-hours').click();
  const first = page.locator(`[data-testid="pending-visit"][data-id="${in1.id}"]`);
  const second = page.locator(`[data-testid="pending-visit"][data-id="${in2.id}"]`);
  await expect(first).toBeVisible({ timeout: 20_000 });
  await expect(second).toBeVisible();
  await expect(first).toContainText('王桂兰');
  await expect(first.getByTestId('visit-flags')).toContainText('扫码');
  await expect(first.getByTestId('visit-position')).toContainText('29.325201, 107.760298');
  await expect(first.getByTestId('visit-flags')).toContainText('在站点范围内');

  // 核定 with the minutes corrected to two hours: 20 points at the district's 10 an hour.
  await first.getByTestId('hours-approve').click();
  await first.getByTestId('hours-minutes').fill('120');
  await first.getByTestId('hours-confirm').click();
  await expect(first).toHaveCount(0, { timeout: 20_000 });

  const district = await server.adminToken();
  const found = await get(district, `/volunteers?phone=${PHONE}`);
  let account = await get(district, `/volunteers/${found.id}`);
  expect(account.balance).toBe(20);

  // 撤销 needs a reason; with one, it reaches the volunteer's integrity records.
  await second.getByTestId('hours-revoke').click();
  await second.getByTestId('hours-confirm').click();
  await expect(second.getByTestId('field-error')).toContainText('原因');
  await second.getByTestId('hours-reason').fill('核实当天未到岗');
  await second.getByTestId('hours-confirm').click();
  await expect(second).toHaveCount(0, { timeout: 20_000 });
  account = await get(district, `/volunteers/${found.id}`);
  expect(account.integrity.map((i) => [i.kind, i.reason])).toEqual([['revoked_hours', '核实当天未到岗']]);

  // Another admin approves the third visit while this phone, offline, approves it too:
  // the district keeps the first and this phone shows why its own was refused.
  const third = page.locator(`[data-testid="pending-visit"][data-id="${in3.id}"]`);
  await context.setOffline(true);
  await third.getByTestId('hours-approve').click();
  await third.getByTestId('hours-confirm').click();
  await expect(third.getByTestId('hours-state')).toHaveAttribute('data-state', 'pending');
  const other = await token(server.enroll('station_admin', codes.fuxing, '王站长').code);
  const firstDecision = envelope('hours_approval', Date.now(), { service_record: in3.id, minutes: 60 });
  expect(await push(other, [firstDecision])).toEqual(['accepted']);
  await context.setOffline(false);
  const refused = page.locator(`[data-testid="my-decision"][data-about="${in3.id}"]`);
  await expect(refused.getByTestId('st-sync')).toHaveAttribute('data-state', 'rejected', { timeout: 30_000 });
  await expect(refused).toContainText('王站长');
  await expect(third).toHaveCount(0, { timeout: 20_000 });
  account = await get(district, `/volunteers/${found.id}`);
  expect(account.balance).toBe(30);

  // An exchange item, sent and listed with its stock.
  await page.getByTestId('st-exchange').click();
  await page.getByTestId('ex-item-open').click();
  await page.getByTestId('ex-item-name').fill('洗衣液');
  await page.getByTestId('ex-item-points').fill('8');
  await page.getByTestId('ex-item-stock').fill('5');
  await page.getByTestId('ex-item-save').click();
  const item = page.getByTestId('ex-item').filter({ hasText: '洗衣液' });
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item.getByTestId('ex-stock')).toHaveText('剩余 5');
  const itemId = await item.getAttribute('data-id');

  // The volunteer looked up: the account and the balance the exchange form shows.
  await page.getByTestId('st-lookup').click();
  await page.getByTestId('lookup-phone').fill(PHONE);
  await page.getByTestId('lookup-find').click();
  await expect(page.getByTestId('account-balance')).toHaveText('30', { timeout: 20_000 });
  await expect(page.getByTestId('integrity')).toContainText('核实当天未到岗');

  // Offline, the exchange is tapped twice in a row.
  await context.setOffline(true);
  await page.getByTestId('st-exchange').click();
  await expect(item).toBeVisible();
  await page.getByTestId('ex-open').click();
  await page.getByTestId('ex-phone').fill(PHONE);
  await expect(page.getByTestId('ex-balance')).toContainText('30');
  await page.getByTestId('ex-item-choice').selectOption(itemId);
  await page.getByTestId('ex-submit').dblclick();
  await expect(page.getByTestId('ex-done')).toBeVisible();
  const exchanges = page.getByTestId('my-exchange').filter({ hasText: '兑换 洗衣液' });
  await expect(exchanges).toHaveCount(1);
  await expect(exchanges.getByTestId('st-sync')).toHaveAttribute('data-state', 'pending');
  const queued = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('wenming');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').getAll();
          req.onsuccess = () => resolve(req.result.filter((e) => e.kind === 'exchange').length);
          req.onerror = () => reject(req.error);
        };
      }),
  );
  expect(queued).toBe(1);

  // Online again: one exchange on the district, balance and stock down once.
  await context.setOffline(false);
  await expect(exchanges.getByTestId('st-sync')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  account = await get(district, `/volunteers/${found.id}`);
  expect(account.balance).toBe(22);
  expect(account.ledger.filter((l) => l.cause.type === 'exchange')).toHaveLength(1);
  const items = await get(district, `/exchange-items?station=${codes.fuxing}`);
  expect(items.items.find((i) => i.id === itemId).stock).toBe(4);
  await expect(item.getByTestId('ex-stock')).toHaveText('剩余 4', { timeout: 20_000 });

  // The certificate of the year: the approved two hours, ready to print.
  await page.getByTestId('st-lookup').click();
  await page.getByTestId('lookup-phone').fill(PHONE);
  await page.getByTestId('lookup-find').click();
  await expect(page.getByTestId('account-balance')).toHaveText('22', { timeout: 20_000 });
  await page.getByTestId('cert-open').click();
  const cert = page.getByTestId('certificate');
  await expect(cert).toContainText('志愿服务记录证明');
  await expect(cert).toContainText('王桂兰');
  await expect(cert.getByTestId('cert-total')).toHaveText('3');

  // A mistake found later: the first visit's approved two hours are revoked from the
  // account. The district takes the 20 points back by a reversing entry, and the volunteer
  // reads why in the integrity records.
  await page.getByTestId('cert-close').click();
  await expect(page.getByTestId('account-balance')).toHaveText('22');
  const approvedTwoHours = page
    .getByTestId('account-visit')
    .filter({ hasText: '已核定 · 2 小时' });
  await expect(approvedTwoHours).toHaveCount(1);
  await approvedTwoHours.getByTestId('revoke-approved').click();
  await approvedTwoHours.getByTestId('revoke-confirm').dblclick();
  await expect(approvedTwoHours.getByTestId('field-error')).toBeVisible();
  await approvedTwoHours.getByTestId('revoke-reason').fill('复核发现签到人与本人不符');
  await approvedTwoHours.getByTestId('revoke-confirm').dblclick();
  await expect(page.getByTestId('revoke-saved')).toBeVisible();
  await expect
    .poll(async () => (await get(district, `/volunteers/${found.id}`)).balance, { timeout: 30_000 })
    .toBe(2);
  account = await get(district, `/volunteers/${found.id}`);
  expect(account.ledger.filter((l) => l.cause.type === 'reversal')).toHaveLength(1);
  expect(account.integrity.map((i) => i.reason)).toContain('复核发现签到人与本人不符');
  await context.close();
});

/** `t` as a `datetime-local` value in Beijing time (the phones' zone). */
function beijingLocal(t) {
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

test('an activity published offline gets a sign-up, and a no-show with its reason reaches the volunteer', async () => {
  const admin = server.enroll('station_admin', codes.fuxing, '李建国');
  const { context, page } = await launchPhone(profile());
  await page.goto(admin.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('tab-station').click();
  await page.getByTestId('st-publish').click();
  await page.getByTestId('va-open').click();
  const starts = new Date(Date.now() + 2 * 86400_000);
  await page.getByTestId('va-title').fill('重阳节探访空巢老人');
  await page.getByTestId('va-starts').fill(beijingLocal(starts));
  await page.getByTestId('va-ends').fill(beijingLocal(new Date(starts.getTime() - 3600_000)));
  await page.getByTestId('va-needed').fill('1');
  await page.getByTestId('va-skills').fill('理发、测血压');
  await page.getByTestId('va-submit').click();
  // Core's check, in Chinese; nothing is queued.
  await expect(page.getByTestId('field-error')).toContainText('结束时间应晚于开始时间');
  await page.getByTestId('va-ends').fill(beijingLocal(new Date(starts.getTime() + 3 * 3600_000)));
  await page.getByTestId('va-submit').click();
  const mine = page.getByTestId('my-publish').filter({ hasText: '重阳节探访空巢老人' });
  await expect(mine.getByTestId('st-sync')).toHaveAttribute('data-state', 'pending');

  await context.setOffline(false);
  await expect(mine.getByTestId('st-sync')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  const card = page.getByTestId('published').filter({ hasText: '重阳节探访空巢老人' });
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card).toContainText('理发、测血压');
  const activity = await card.getAttribute('data-id');

  // A volunteer registers and signs up from their phone.
  const vol = await token(server.enroll('volunteer', codes.fuxing, '王桂兰').code);
  const now = Date.now();
  expect(
    await push(vol, [
      envelope('registration', now, { name: '王桂兰', phone: PHONE, gender: 'female', birth_year: 1962, skills: [], organizations: [] }),
      envelope('signup', now + 1, { activity, phone: PHONE }),
    ]),
  ).toEqual(['accepted', 'accepted']);

  await card.getByTestId('signups-open').click();
  const signup = card.getByTestId('signup');
  await expect(signup).toContainText('138****5678');
  await expect(signup).toContainText('报名成功');
  await signup.getByTestId('noshow-open').click();
  await signup.getByTestId('noshow-confirm').click();
  await expect(signup.getByTestId('field-error')).toContainText('原因');
  await signup.getByTestId('noshow-reason').fill('未请假未到岗');
  await signup.getByTestId('noshow-confirm').click();
  const noShow = page.getByTestId('my-publish').filter({ hasText: '记爽约' });
  await expect(noShow.getByTestId('st-sync')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });

  const district = await server.adminToken();
  const found = await get(district, `/volunteers?phone=${PHONE}`);
  const account = await get(district, `/volunteers/${found.id}`);
  expect(account.integrity.map((i) => [i.kind, i.reason])).toEqual([['no_show', '未请假未到岗']]);
  await context.close();
});
