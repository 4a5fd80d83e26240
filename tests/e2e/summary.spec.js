// Summary reports (#4, 总结报告) end to end: the district admin opens a reporting period on
// the workbench; a station admin reports an activity with the network off, then fills the
// period's summary, whose figures the phone has already counted from its own reports, and
// submits it still offline; online again, the district's 报送情况 shows the station as 已报送
// and everyone else as 未报送.
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, codes } = require('./fixtures');

let server;
serverPerTest(test, (s) => {
  server = s;
});
const profile = () => server.profile();

/** `t` in Beijing time as a `datetime-local` value, and as a `date` value. */
function beijing(t) {
  return new Date(t.getTime() + 8 * 3600_000).toISOString();
}
const local = (t) => beijing(t).slice(0, 16);
const day = (t) => beijing(t).slice(0, 10);

/** One camera-sized JPEG drawn by the browser. */
async function photo(page) {
  const bytes = await page.evaluate(async () => {
    const c = new OffscreenCanvas(1200, 900);
    const g = c.getContext('2d');
    g.fillStyle = '#2e7d32';
    g.fillRect(0, 0, 1200, 900);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

test('a station fills its summary offline from its own reports and the district sees it reported', async () => {
  const now = new Date();

  // The district admin opens the period: from a week ago to a week ahead, due in two weeks.
  const districtLink = server.enroll('district_admin', codes.district, '区文明办').link;
  const district = await launchPhone(profile());
  await district.page.goto(districtLink);
  await expect(district.page.getByTestId('home')).toBeVisible();
  await district.page.getByTestId('tab-activity').click();
  await district.page.getByTestId('summary-periods').click();
  await district.page.getByTestId('period-name').fill('2026年第四季度');
  await district.page.getByTestId('period-from').fill(day(new Date(now.getTime() - 7 * 86400_000)));
  await district.page.getByTestId('period-to').fill(day(new Date(now.getTime() + 7 * 86400_000)));
  await district.page.getByTestId('period-deadline').fill(day(new Date(now.getTime() + 14 * 86400_000)));
  await district.page.getByTestId('period-create').click();
  await expect(district.page.getByTestId('period')).toHaveCount(1, { timeout: 20_000 });

  // The station admin's phone learns the period while online, then loses the network.
  const adminLink = server.enroll('station_admin', codes.fuxing, '李建国').link;
  const phone = await launchPhone(profile());
  const page = phone.page;
  await page.goto(adminLink);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const jpeg = await photo(page);
  await page.getByTestId('tab-activity').click();
  await expect(page.getByTestId('summary-period')).toHaveCount(1, { timeout: 20_000 });
  await phone.context.setOffline(true);

  // An activity report, offline.
  await page.getByTestId('act-new-report').click();
  const starts = new Date(now.getTime() - 2 * 86400_000);
  await page.getByTestId('act-title').fill('垃圾分类宣传');
  await page.getByTestId('act-organizers').fill('复兴社区志愿服务队');
  await page.getByTestId('act-area').selectOption('civility');
  await page.getByTestId('act-starts').fill(local(starts));
  await page.getByTestId('act-ends').fill(local(new Date(starts.getTime() + 90 * 60_000)));
  await page.getByTestId('act-place').fill('复兴社区广场');
  await page.getByTestId('act-participants').fill('60');
  await page.getByTestId('act-group').first().click();
  await page.getByTestId('act-summary').fill('入户讲解垃圾分类，发放分类垃圾袋 200 个。');
  await page.getByTestId('act-results').fill('试点楼栋分类投放率明显提高。');
  await page.getByTestId('photo-input').setInputFiles([{ name: 'site.jpg', mimeType: 'image/jpeg', buffer: jpeg }]);
  await expect(page.getByTestId('photo-thumb')).toHaveCount(1, { timeout: 20_000 });
  await page.getByTestId('act-submit').click();
  await expect(page.getByTestId('my-report')).toHaveCount(1);

  // The summary, still offline: the figures come from the report on this phone.
  await page.getByTestId('summary-write').click();
  const figures = page.getByTestId('sum-figures');
  await expect(figures).toContainText('本期活动 1 场，参与 60 人次');
  await expect(figures.locator('tr', { hasText: '弘扬新风正气' }).locator('td').nth(1)).toHaveText('1');
  await page.getByTestId('sum-work').fill('本季度开展垃圾分类宣传 1 场，覆盖 3 个楼栋。');
  await page.getByTestId('sum-progress').fill('试点楼栋分类投放率明显提高。');
  await page.getByTestId('sum-problems').fill('年轻志愿者偏少，活动多在工作日白天。');
  await page.getByTestId('sum-suggestions').fill('希望街道协调周末场地，吸引上班族参加。');
  await page.getByTestId('act-submit').click();
  const summary = page.getByTestId('my-summary');
  await expect(summary).toHaveCount(1);
  await expect(summary.getByTestId('act-sync')).toHaveAttribute('data-state', 'pending');
  await expect(page.getByTestId('summary-write')).toHaveCount(0);

  // Online again: the report and the summary go by themselves.
  await phone.context.setOffline(false);
  await expect(summary.getByTestId('act-sync')).toHaveAttribute('data-state', 'synced', { timeout: 20_000 });

  // The district's 报送情况: this station 已报送 by 李建国, the others not yet.
  await district.page.getByTestId('period-show').click();
  const status = district.page.getByTestId('period-status');
  await expect(status).toBeVisible({ timeout: 20_000 });
  await expect(status.locator('tr[data-state="reported"]')).toHaveCount(1);
  await expect(status.locator('tr[data-state="reported"]')).toContainText('李建国');
  await expect(status.locator('tr[data-state="reported"]')).toContainText('复兴');
  await expect(status.getByText(/^已报送 1，逾期报送 0，未报送 \d+，逾期未报 0$/)).toBeVisible();
  await phone.context.close();
  await district.context.close();
});
