// Shared pieces of the browser tests: a passerelle server on a fresh database, Debian's Chromium, and a
// check that screenshots a page and runs axe-core on it (no serious or critical violation allowed).
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

// Starts `passerelle serve` on a free port; `prepare` runs CLI subcommands on the database first;
// `serveArgs` are added to the serve command.
export async function startServer(bin, prepare = [], serveArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-browser-'));
  const db = `sqlite:${join(dir, 'db.sqlite')}`;
  for (const args of prepare) execFileSync(bin, [...args, '--db', db, '--log-level', 'warn'], { encoding: 'utf8' });
  const portFile = join(dir, 'port');
  const proc = spawn(bin, ['serve', '--db', db, '--port', '0', '--port-file', portFile, '--var', join(dir, 'var'),
    '--fast-password-hash', '--threads', '2', ...serveArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { dir, proc, log: '' };
  proc.stdout.on('data', (d) => { server.log += d; });
  proc.stderr.on('data', (d) => { server.log += d; });
  for (let i = 0; i < 300 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(portFile), `server did not start:\n${server.log}`);
  server.base = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
  server.stop = async () => {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
  };
  // Newest e-mail written to `address` by the mail worker that contains `needle` when given (waits up to 5 s).
  // Security notices (a login from a new browser) come between the others: ask for the words you expect.
  server.mailTo = async (address, needle = '') => {
    const mailDir = join(dir, 'var', 'mail');
    for (let i = 0; i < 100; i++) {
      if (existsSync(mailDir)) {
        const texts = readdirSync(mailDir).filter((f) => f.endsWith('.eml'))
          .sort((a, b) => parseInt(b.slice(5), 10) - parseInt(a.slice(5), 10))
          .map((f) => readFileSync(join(mailDir, f), 'utf8'))
          .filter((t) => t.includes(`To: ${address}\r\n`) && t.includes(needle));
        if (texts.length) return texts[0];
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return '';
  };
  return server;
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    // playwright gives each launch a fresh profile; these flags keep Chromium off the network.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// Collects console errors; form pages answered 422/409 on purpose are not errors, nor what `ignore(message)`
// accepts (pages of another server, such as an identity provider).
export function watchConsole(page, ignore = () => false) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (422|409) /.test(m.text()) && !ignore(m)) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

export function checker(page, shotDir, prefix) {
  mkdirSync(shotDir, { recursive: true });
  let step = 0;
  const results = [];
  const check = async (name) => {
    step += 1;
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the window`);
    await page.screenshot({ path: join(shotDir, `${prefix}-${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    results.push({ name, serious: bad.length });
    assert.equal(bad.length, 0, `${name}: axe violations\n${bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`).join('\n')}`);
  };
  check.results = results;
  return check;
}

// The TOTP code (RFC 6238: 6 digits, 30 s, HMAC-SHA1) of a base32 key for a 30-second step.
export function totpCode(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) || []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 15;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// The demo administrator's and organiser's key (app/demo.hpp).
export const demoTotpSecret = 'PASSERELLEDEMOTOTPSECRETKEY23456';
const totpSecrets = new Map([['admin@passerelle.example', demoTotpSecret], ['organisatrice@passerelle.example', demoTotpSecret]]);
const lastStep = new Map();
// The next code an account's application would give: each code serves once and the server accepts the step
// before and after the current one, so a login soon after another uses a later step, waiting for it if needed.
export async function nextTotp(base, email, secret) {
  const now = () => Math.floor(Date.now() / 1000);
  const key = `${base} ${email}`;
  let step = Math.floor(now() / 30) - 1;
  if (now() % 30 > 25) step += 1;  // the previous step is about to leave the window
  if (lastStep.has(key)) step = Math.max(step, lastStep.get(key) + 1);
  while (step > Math.floor(now() / 30) + 1) await new Promise((r) => setTimeout(r, 200));
  lastStep.set(key, step);
  return totpCode(secret, step);
}
export function rememberTotpSecret(email, secret) { totpSecrets.set(email, secret); }

export async function login(page, base, email, password) {
  await page.goto(base + '/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(/\/mon-espace|\/connexion\/code/);
  if (page.url().includes('/connexion/code')) {
    assert.ok(totpSecrets.has(email), `${email} asks for a code and no key is known`);
    await page.getByLabel('Code à six chiffres').fill(await nextTotp(base, email, totpSecrets.get(email)));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL(/\/mon-espace/);
  }
}

// Runs one browser scenario: a server on a fresh database (after `prepare`), a page, axe checks through
// `check(name)`, no console error allowed; exits the process with 0 or 1.
export async function scenario({ bin, shotDir, prefix, prepare = [], serveArgs = [], onStart, ignoreConsole }, body) {
  const server = await startServer(bin, prepare, serveArgs);
  if (onStart) await onStart(server);
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const consoleErrors = watchConsole(page, ignoreConsole);
  const check = checker(page, shotDir, prefix);
  let exitCode = 0;
  try {
    await body({ page, base: server.base, server, check });
    assert.deepEqual(consoleErrors, [], `browser console errors:\n${consoleErrors.join('\n')}`);
    console.log(`${prefix} ok: ${check.results.length} pages checked with axe, screenshots in ${shotDir}`);
    for (const r of check.results) console.log(`  ${r.name}: ${r.serious} serious/critical`);
  } catch (e) {
    exitCode = 1;
    console.error(e.message || e);
    try { await page.screenshot({ path: join(shotDir, `${prefix}-failure.png`), fullPage: true }); } catch { /* ignore */ }
    console.error(`server log (tail):\n${server.log.split('\n').slice(-30).join('\n')}`);
  } finally {
    await browser.close();
    await server.stop();
  }
  process.exit(exitCode);
}
