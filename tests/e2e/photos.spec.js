// Photos end to end: a leader attaches a photo of a signed page to a filing made offline;
// online again, the filing and the photo reach the district by themselves, the photo
// exactly once and byte for byte what the phone kept, downscaled on the phone.
const crypto = require('node:crypto');
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, codes } = require('./fixtures');

let server;
serverPerTest(test, (s) => {
  server = s;
});
const profile = () => server.profile();

/** A camera-sized JPEG (3200×2400), drawn by the browser, as bytes. */
async function cameraJpeg(page) {
  const bytes = await page.evaluate(async () => {
    const c = new OffscreenCanvas(3200, 2400);
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 3200, 2400);
    grad.addColorStop(0, '#fdf6e3');
    grad.addColorStop(1, '#b0bec5');
    g.fillStyle = grad;
    g.fillRect(0, 0, 3200, 2400);
    g.fillStyle = '#111';
    g.font = '160px sans-serif';
    for (let i = 0; i < 10; i += 1) g.fillText(`全体成员签字 ${i + 1}`, 200, 300 + i * 200);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

/** The phone's copy of a photo, read from IndexedDB, and whether it still waits. */
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
    if (!photo) return null;
    const bytes = Array.from(new Uint8Array(await photo.blob.arrayBuffer()));
    return { bytes, mime: photo.mime, width: photo.width, height: photo.height, queued: !!queued };
  }, hash);
}

test('a photo attached to a filing made offline reaches the district once, byte for byte', async () => {
  const leader = server.enroll('org_leader', codes.fuxing, '张秀英');
  const { context, page } = await launchPhone(profile());
  await page.goto(leader.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const original = await cameraJpeg(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('tab-filing').click();
  await page.getByTestId('org-name').fill('复兴社区红白理事会');
  await page.getByTestId('org-category').selectOption('community_affairs');
  await page.getByTestId('org-founded').fill('2025-03-05');
  await page.getByTestId('org-town').selectOption(codes.town);
  await page.getByTestId('org-village').selectOption(codes.fuxing);
  await page.getByTestId('org-venue').fill('复兴社区党群服务中心一楼');
  await page.getByTestId('leader-name').fill('张秀英');
  await page.getByTestId('leader-gender').selectOption('female');
  await page.getByTestId('leader-phone').fill('13812345678');
  await page.getByTestId('leader-political').selectOption('party_member');
  await page.getByTestId('contact-name').fill('李建国');
  await page.getByTestId('contact-phone').fill('13923456789');
  await page.getByTestId('org-activities').fill('倡导婚事新办、丧事简办，劝导大操大办');
  await page.getByTestId('org-funding').fill('成员自愿捐赠');
  await page.getByTestId('sponsor-name').fill('张秀英');
  const lines = ['张秀英,女,1962,13812345678,中共党员,负责人'];
  for (let i = 1; i < 12; i += 1) lines.push(`李${'一二三四五六七八九十冬'[i - 1]}华,男,${1950 + i},,群众,成员`);
  await page.getByTestId('roster-import').fill(lines.join('\n'));
  await page.getByTestId('roster-import-submit').click();
  await expect(page.getByTestId('roster-count')).toHaveText('12');

  // The photo, from the gallery or the camera: the same input.
  await page.getByTestId('photo-input').setInputFiles({
    name: 'signed-page.jpg',
    mimeType: 'image/jpeg',
    buffer: original,
  });
  const thumb = page.getByTestId('photo-thumb');
  await expect(thumb).toHaveCount(1, { timeout: 15_000 });
  await expect(thumb.locator('img')).toBeVisible();
  await expect(page.getByTestId('photo-space')).toContainText('1/9');
  const hash = await thumb.getAttribute('data-hash');
  expect(hash).toMatch(/^[0-9a-f]{64}$/);

  await page.getByTestId('filing-submit').click();
  const mine = page.getByTestId('my-application');
  await expect(mine).toHaveCount(1);

  // Downscaled on the phone, named by its content, queued with the filing.
  const kept = await phoneCopy(page, hash);
  expect(kept).not.toBeNull();
  expect(kept.queued).toBe(true);
  expect([kept.mime, kept.width, kept.height]).toEqual(['image/jpeg', 1600, 1200]);
  const phoneBytes = Buffer.from(kept.bytes);
  expect(phoneBytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  expect(phoneBytes.length).toBeLessThan(original.length);
  expect(crypto.createHash('sha256').update(phoneBytes).digest('hex')).toBe(hash);

  // Online again: the record first, then the photo, by themselves.
  await context.setOffline(false);
  await expect(mine).toHaveAttribute('data-state', 'pending_preliminary', { timeout: 15_000 });
  await expect.poll(async () => (await phoneCopy(page, hash)).queued, { timeout: 30_000 }).toBe(false);

  const token = await server.adminToken();
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const status = await (await fetch(`${server.url}/api/v1/photos/${hash}/upload`, auth)).json();
  expect(status).toEqual({ hash, size: phoneBytes.length, received: phoneBytes.length, complete: true });
  const served = await fetch(`${server.url}/api/v1/photos/${hash}`, auth);
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/jpeg');
  expect(Buffer.from(await served.arrayBuffer()).equals(phoneBytes)).toBe(true);

  const feed = await (await fetch(`${server.url}/api/v1/filings`, auth)).json();
  expect(feed.applications).toHaveLength(1);
  const application = feed.applications[0].application;
  expect(application.submission.photos).toEqual([hash]);
  expect(application.photos).toEqual([{ hash, arrived: true }]);

  // A second sync sends nothing again: the queue stays empty and the photo is one.
  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  expect((await phoneCopy(page, hash)).queued).toBe(false);
  await context.close();

  // The village committee's reviewer sees the signed page on their own phone, from the
  // district.
  const village = server.enroll('village_reviewer', codes.fuxing, '复兴社区居委会');
  const reviewer = await launchPhone(profile());
  await reviewer.page.goto(village.link);
  await reviewer.page.getByTestId('tab-review').click();
  await reviewer.page.locator(`[data-testid="application"][data-id="${application.id}"]`).click();
  const seen = reviewer.page.locator(`[data-testid="archive-photo"][data-hash="${hash}"]`);
  await expect(seen).toHaveAttribute('data-arrived', 'true');
  await expect(seen.locator('img')).toBeVisible({ timeout: 15_000 });
  await reviewer.context.close();
});
