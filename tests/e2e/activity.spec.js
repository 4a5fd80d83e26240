// Activities (#4) end to end, in the workbench: a station admin files a major-activity
// pre-report with the network off; online again it reaches the district; the street
// office approves it on its own phone; the station admin's phone shows 已同意. And the
// district admin's 活动 dashboard lists a report and counts it in the chart. And a report
// with three photos made offline reaches the district with its photos, each exactly once
// and byte for byte what the phone kept.
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, uuidv7, codes } = require('./fixtures');

let server;
serverPerTest(test, (s) => {
  server = s;
});
const profile = () => server.profile();

/** `t` as a `datetime-local` value in Beijing time (the phones' zone). */
function beijingLocal(t) {
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

const token = (code) => server.token(code);

test('a major activity reported offline is approved by the street office and the station sees 已同意', async () => {
  const admin = server.enroll('station_admin', codes.fuxing, '李建国');
  const reviewer = server.enroll('town_reviewer', codes.town, '凤山街道办事处');

  const phone = await launchPhone(profile());
  let page = phone.page;
  await page.goto(admin.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

  // Written and submitted with the network off; the draft saves itself as it is typed.
  await phone.context.setOffline(true);
  await page.reload();
  await page.getByTestId('tab-activity').click();
  await page.getByTestId('act-new-pre-report').click();
  const starts = new Date(Date.now() + 3 * 86400_000);
  await expect(page.getByTestId('act-station')).toHaveValue(codes.fuxing);
  await page.getByTestId('pre-kind').selectOption('performance');
  await page.getByTestId('pre-title').fill('重阳节文艺汇演');
  await page.getByTestId('act-organizers').fill('复兴社区居委会\n夕阳红舞蹈队');
  await page.getByTestId('pre-starts').fill(beijingLocal(starts));
  await page.getByTestId('pre-ends').fill(beijingLocal(new Date(starts.getTime() + 3 * 3600_000)));
  await page.getByTestId('pre-place').fill('复兴社区文化广场');
  await page.getByTestId('pre-attendance').fill('300');
  await page.getByTestId('pre-safety').fill('安全员 6 名，设医疗点一处，雨天改在礼堂');
  await expect(page.getByTestId('pre-contact-name')).toHaveValue('李建国');

  // A draft left half-way is there after a reload, offline.
  await page.reload();
  await page.getByTestId('tab-activity').click();
  const draft = page.getByTestId('my-pre-report');
  await expect(draft.getByTestId('act-sync')).toHaveAttribute('data-state', 'draft');
  await draft.getByTestId('act-continue').click();
  await expect(page.getByTestId('pre-safety')).toHaveValue('安全员 6 名，设医疗点一处，雨天改在礼堂');

  // The phone number is missing: core's message shows next to the field.
  await page.getByTestId('act-submit').click();
  await expect(page.locator('.field.invalid [data-testid="field-error"]')).toContainText('手机');
  await page.getByTestId('pre-contact-phone').fill('13812345678');
  await page.getByTestId('act-submit').click();
  const mine = page.getByTestId('my-pre-report');
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId('act-sync')).toHaveAttribute('data-state', 'pending');
  const preReportId = await mine.getAttribute('data-id');

  // Online again: it reaches the district by itself, and the feed brings back its state.
  await phone.context.setOffline(false);
  await expect(mine.getByTestId('act-sync')).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });
  await expect(mine.getByTestId('pre-report-state')).toHaveAttribute('data-state', 'pending', { timeout: 20_000 });

  // The street office answers on its own phone.
  const town = await launchPhone(profile());
  await town.page.goto(reviewer.link);
  await expect(town.page.getByTestId('home')).toBeVisible();
  await town.page.getByTestId('tab-pre-review').click();
  const row = town.page.locator(`[data-testid="pre-report"][data-id="${preReportId}"]`);
  await expect(row).toBeVisible({ timeout: 20_000 });
  await row.click();
  await expect(town.page.getByText('安全员 6 名，设医疗点一处，雨天改在礼堂')).toBeVisible();
  await town.page.getByTestId('pre-approve').click();
  await town.page.getByTestId('pre-decision-confirm').click();
  await expect(town.page.getByTestId('decision-state')).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });
  await town.context.close();

  // The station admin's phone learns the answer at its next sync.
  await page.getByTestId('sync-now').click();
  await expect(mine.getByTestId('pre-report-state')).toHaveAttribute('data-state', 'approved', { timeout: 20_000 });
  await expect(mine.getByTestId('pre-report-state')).toHaveText('已同意');
  await expect(mine.getByTestId('pre-report-answer')).toContainText('凤山街道办事处');
  await phone.context.close();
});

test('the district admin sees an activity report in the list, its flags and the chart', async () => {
  // The report's envelope is pushed through the API as a station admin's phone would push
  // it, with photos never uploaded (the phone-side report with photos is the next test).
  const admin = server.enroll('station_admin', codes.fuxing, '李建国');
  const adminToken = await token(admin.code);
  const now = Date.now();
  const starts = new Date(now - 3 * 3600_000);
  const envelope = {
    id: uuidv7(now),
    kind: 'activity_report',
    schema_version: 1,
    device_time: new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    body: {
      station: codes.fuxing,
      organizers: [{ type: 'group', name: '复兴社区居委会' }],
      title: '法治宣传进社区',
      area: 'culture',
      major: 'gathering',
      starts_at: starts.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ends_at: new Date(starts.getTime() + 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      place: '复兴社区党群服务中心',
      participants: 85,
      groups: ['elderly'],
      volunteers: [{ name: '王桂兰', minutes: 120 }],
      summary: '律师讲解防范电信诈骗，发放资料 200 份。',
      results: '居民防骗意识明显提高。',
      photos: ['ab'.repeat(32)],
    },
  };
  const res = await fetch(`${server.url}/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ records: [envelope] }),
  });
  expect(res.ok).toBe(true);
  const answer = await res.json();
  expect(answer.results[0].status).toBe('accepted');

  const district = server.enroll('district_admin', codes.district, '区民政局');
  const { context, page } = await launchPhone(profile());
  await page.goto(district.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('tab-activity').click();

  const item = page.locator(`[data-testid="activity"][data-id="${envelope.id}"]`);
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item).toContainText('法治宣传进社区');
  await expect(item).toContainText('复兴社区');
  // A gathering without a pre-report, its photo not uploaded: both flagged in words.
  await expect(item.getByTestId('act-flag')).toHaveText(['重大活动未事先报告', '照片尚未全部上传']);

  // The chart: one bar segment of 丰富精神文化 this month, and the same in the table.
  const month = new Date(starts.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
  const bar = page.locator(`[data-testid="act-chart"] rect[data-area="culture"][data-month="${month}"]`);
  await expect(bar).toHaveCount(1);
  await expect(page.getByTestId('act-chart')).toContainText('共 1 场活动，85 人次参与');
  const row = page.getByTestId('act-stats-table').locator('tr', { hasText: month });
  await expect(row.locator('td').nth(3)).toHaveText('1');

  // Filtering by another content area leaves nothing.
  await page.getByTestId('act-filter-area').selectOption('theory');
  await expect(page.getByTestId('act-total')).toHaveText('共 0 场活动');
  await page.getByTestId('act-filter-area').selectOption('');
  await expect(item).toBeVisible();

  // The detail: flags, and the photo the district does not have yet.
  await item.click();
  await expect(page.getByTestId('activity-detail')).toContainText('律师讲解防范电信诈骗');
  await expect(page.getByTestId('photo-missing')).toHaveText('照片未上传');
  await context.close();
});

/** Camera-sized JPEGs drawn by the browser, each different, as bytes. */
async function cameraJpegs(page, n) {
  const all = await page.evaluate(async (n) => {
    const out = [];
    for (let i = 0; i < n; i += 1) {
      const c = new OffscreenCanvas(2400, 1800);
      const g = c.getContext('2d');
      g.fillStyle = ['#c62828', '#2e7d32', '#1565c0'][i % 3];
      g.fillRect(0, 0, 2400, 1800);
      g.fillStyle = '#fff';
      g.font = '140px sans-serif';
      g.fillText(`活动现场 ${i + 1}`, 300, 900);
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
      out.push(Array.from(new Uint8Array(await blob.arrayBuffer())));
    }
    return out;
  }, n);
  return all.map((bytes) => Buffer.from(bytes));
}

/** The phone's copy of a photo (IndexedDB `photos`), and whether its upload still waits. */
async function phoneCopy(page, hash) {
  return page.evaluate(async (hash) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('wenming');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const get = (store) =>
      new Promise((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).get(hash);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const photo = await get('photos');
    const queued = await get('photo_queue');
    db.close();
    return { bytes: Array.from(new Uint8Array(await photo.blob.arrayBuffer())), queued: !!queued };
  }, hash);
}

test('an activity report with three photos made offline reaches the district once, photos byte for byte', async () => {
  const admin = server.enroll('station_admin', codes.fuxing, '李建国');
  const phone = await launchPhone(profile());
  const page = phone.page;
  await page.goto(admin.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const originals = await cameraJpegs(page, 3);

  await phone.context.setOffline(true);
  await page.reload();
  await page.getByTestId('tab-activity').click();
  await page.getByTestId('act-new-report').click();
  await expect(page.getByTestId('act-station')).toHaveValue(codes.fuxing);
  const starts = new Date(Date.now() - 4 * 3600_000);
  await page.getByTestId('act-title').fill('重阳节敬老志愿服务');
  await page.getByTestId('act-organizers').fill('复兴社区夕阳红志愿服务队');
  await page.getByTestId('act-area').selectOption('services');
  await page.getByTestId('act-starts').fill(beijingLocal(starts));
  await page.getByTestId('act-ends').fill(beijingLocal(new Date(starts.getTime() + 2 * 3600_000)));
  await page.getByTestId('act-place').fill('复兴社区日间照料中心');
  await page.getByTestId('act-participants').fill('46');
  await page.getByTestId('act-group').first().click();
  await page.getByTestId('act-summary').fill('为辖区 40 余位老人理发、测血压，陪老人包饺子。');
  await page.getByTestId('act-results').fill('老人们过了一个热闹的重阳节，志愿者登记了 3 户需要定期探访的空巢老人。');
  await page.getByTestId('photo-input').setInputFiles(
    originals.map((buffer, i) => ({ name: `site-${i + 1}.jpg`, mimeType: 'image/jpeg', buffer })),
  );
  const thumbs = page.getByTestId('photo-thumb');
  await expect(thumbs).toHaveCount(3, { timeout: 20_000 });
  const hashes = await thumbs.evaluateAll((els) => els.map((e) => e.dataset.hash));
  expect(new Set(hashes).size).toBe(3);

  await page.getByTestId('act-submit').click();
  const mine = page.getByTestId('my-report');
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId('act-sync')).toHaveAttribute('data-state', 'pending');
  const reportId = await mine.getAttribute('data-id');

  // Online again: the text first, then the photos, by themselves.
  await phone.context.setOffline(false);
  await expect(mine.getByTestId('act-sync')).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });
  for (const hash of hashes) {
    await expect.poll(async () => (await phoneCopy(page, hash)).queued, { timeout: 30_000 }).toBe(false);
  }

  const district = await token(server.enroll('district_admin', codes.district, '区民政局').code);
  const auth = { headers: { authorization: `Bearer ${district}` } };
  const detail = await (await fetch(`${server.url}/api/v1/activities/${reportId}`, auth)).json();
  expect(detail.photos).toEqual(hashes.map((hash) => ({ hash, arrived: true })));
  expect(detail.flags).toEqual([]);
  const list = await (await fetch(`${server.url}/api/v1/activities`, auth)).json();
  expect(list.total).toBe(1);
  for (const hash of hashes) {
    const kept = Buffer.from((await phoneCopy(page, hash)).bytes);
    const served = await fetch(`${server.url}/api/v1/photos/${hash}`, auth);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(kept)).toBe(true);
    const status = await (await fetch(`${server.url}/api/v1/photos/${hash}/upload`, auth)).json();
    expect(status).toEqual({ hash, size: kept.length, received: kept.length, complete: true });
  }
  // A second sync sends nothing again: still one report, no photo waiting.
  await page.getByTestId('sync-now').click();
  await expect(mine.getByTestId('act-sync')).toHaveAttribute('data-state', 'synced');
  expect((await (await fetch(`${server.url}/api/v1/activities`, auth)).json()).total).toBe(1);
  await phone.context.close();
});
