// Filing (备案) end to end: a leader files an organization offline with a 200-member
// roster; the village committee and the street office review it on their own phones;
// the public notice passes on a clock the test controls; the leader's phone shows the
// certificate number. And a 退回修改 round trip.
const { test, expect } = require('@playwright/test');
const { serverPerTest, launchPhone, codes } = require('./fixtures');

let server;
serverPerTest(test, (s) => {
  server = s;
});
const profile = () => server.profile();

/** 200 members as a spreadsheet paste: 姓名,性别,出生年份,手机,政治面貌,职务. */
function roster(n) {
  const surnames = '张王李刘陈杨黄赵周吴';
  const given = ['秀英', '桂兰', '建国', '志强', '玉梅', '德华', '明', '丽', '军', '芳'];
  const lines = [];
  for (let i = 0; i < n; i += 1) {
    const name = surnames[i % 10] + given[Math.floor(i / 10) % 10];
    const gender = i % 2 ? '男' : '女';
    const year = 1940 + (i % 60);
    const phone = `139${String(10000000 + i).padStart(8, '0')}`;
    const status = i % 7 === 0 ? '中共党员' : '群众';
    const role = i === 0 ? '负责人' : '成员';
    lines.push([name, gender, year, phone, status, role].join(','));
  }
  return lines.join('\n');
}

async function fillFiling(page, name) {
  await page.getByTestId('tab-filing').click();
  await page.getByTestId('org-name').fill(name);
  await page.getByTestId('org-category').selectOption('volunteer');
  await page.getByTestId('org-founded').fill('2025-03-05');
  await page.getByTestId('org-town').selectOption(codes.town);
  await page.getByTestId('org-village').selectOption(codes.fuxing);
  await page.getByTestId('org-venue').fill('复兴社区党群服务中心二楼');
  await page.getByTestId('leader-name').fill('张秀英');
  await page.getByTestId('leader-gender').selectOption('female');
  await page.getByTestId('leader-phone').fill('13812345678');
  await page.getByTestId('leader-political').selectOption('party_member');
  await page.getByTestId('contact-name').fill('李建国');
  await page.getByTestId('contact-phone').fill('13923456789');
  await page.getByTestId('org-activities').fill('为辖区空巢老人提供探访、代购和陪诊服务');
  await page.getByTestId('org-funding').fill('成员自愿捐赠');
  await page.getByTestId('sponsor-name').fill('张秀英');
}

async function importRoster(page, n) {
  await page.getByTestId('roster-import').fill(roster(n));
  await page.getByTestId('roster-import-submit').click();
  await expect(page.getByTestId('roster-count')).toHaveText(String(n));
}

/** A reviewer decides on an application from a phone enrolled for them just now. */
async function decide(reviewer, applicationId, action, reason) {
  const { link } = server.enroll(...reviewer);
  const { context, page } = await launchPhone(profile());
  await page.goto(link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.getByTestId('tab-review').click();
  const row = page.locator(`[data-testid="application"][data-id="${applicationId}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.click();
  await page.getByTestId(action).click();
  if (reason) await page.getByTestId('decision-reason').fill(reason);
  await page.getByTestId('decision-confirm').click();
  await expect(page.getByTestId('decision-state')).toHaveText(/synced|已同步/, { timeout: 15_000 });
  await context.close();
}

test('an organization filed offline with 200 members is reviewed up the chain and certified', async () => {
  const leader = server.enroll('org_leader', codes.fuxing, '张秀英');
  const village = ['village_reviewer', codes.fuxing, '复兴社区居委会'];
  const town = ['town_reviewer', codes.town, '凤山街道办事处'];

  let { context, page } = await launchPhone(profile());
  await page.goto(leader.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

  // Filled and submitted with the network off.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('home')).toBeVisible();
  await fillFiling(page, '复兴社区夕阳红志愿服务队');
  await importRoster(page, 200);
  await expect(page.getByTestId('charter-section')).toHaveCount(8);
  await page.getByTestId('filing-submit').click();
  const mine = page.getByTestId('my-application');
  await expect(mine).toHaveCount(1);
  const applicationId = await mine.getAttribute('data-id');

  // Online again: the filing reaches the district by itself.
  await context.setOffline(false);
  await expect(mine).toHaveAttribute('data-state', 'pending_preliminary', { timeout: 15_000 });

  await decide(village, applicationId, 'decision-pass');
  await decide(town, applicationId, 'decision-approve');

  // The public notice passes on the server's clock.
  server.advanceClock(8);
  await page.reload();
  await page.getByTestId('tab-filing').click();
  const filed = page.locator(`[data-testid="my-application"][data-id="${applicationId}"]`);
  await expect(filed).toHaveAttribute('data-state', 'filed', { timeout: 15_000 });
  await expect(filed.getByTestId('filing-certificate')).toHaveText(/^500156-\d{4}-0001$/);
  await context.close();
});

test('a filing sent back for changes is edited and resubmitted', async () => {
  const leader = server.enroll('org_leader', codes.fuxing, '王桂兰');
  const village = ['village_reviewer', codes.fuxing, '复兴社区居委会'];

  const { context, page } = await launchPhone(profile());
  await page.goto(leader.link);
  await expect(page.getByTestId('home')).toBeVisible();
  await fillFiling(page, '复兴社区广场舞队');
  await importRoster(page, 12);
  await page.getByTestId('filing-submit').click();
  const mine = page.getByTestId('my-application');
  await expect(mine).toHaveAttribute('data-state', 'pending_preliminary', { timeout: 15_000 });
  const applicationId = await mine.getAttribute('data-id');

  await decide(village, applicationId, 'decision-return', '活动场所请写明门牌号');

  await page.reload();
  await page.getByTestId('tab-filing').click();
  await expect(mine).toHaveAttribute('data-state', 'returned', { timeout: 15_000 });
  await expect(mine.getByTestId('return-reason')).toContainText('活动场所请写明门牌号');
  await mine.getByTestId('filing-edit').click();
  await page.getByTestId('org-venue').fill('复兴社区文化广场（复兴路12号）');
  await page.getByTestId('filing-submit').click();
  await expect(mine).toHaveAttribute('data-state', 'pending_preliminary', { timeout: 15_000 });

  await decide(village, applicationId, 'decision-pass');
  await page.reload();
  await page.getByTestId('tab-filing').click();
  await expect(mine).toHaveAttribute('data-state', 'pending_review', { timeout: 15_000 });
  await context.close();
});
