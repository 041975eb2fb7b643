// Browser test: two-factor authentication as a company contact turns it on and uses it.
// Enrolment from « Mon espace » (QR code and key, a wrong code refused with its reason, ten recovery codes shown
// once); a login with a code from the application; a wrong code and a replayed code refused; a login with a
// recovery code, which then serves no more. Axe-core on every page, the enrolment also on a phone-sized screen.
//
// usage: node second_factor.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, nextTotp } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node second_factor.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const email = 'contact@atelier-vert-1.example';
const password = 'Passerelle-Demo-2026';

await scenario({ bin, shotDir, prefix: 'double-authentification', prepare: [['demo']] }, async ({ page, base, server, check }) => {
  const typePassword = async () => {
    await page.goto(base + '/connexion');
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  };
  const logout = async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(base + '/');
  };

  // Turn it on from « Mon espace ».
  await typePassword();
  await page.waitForURL(/\/mon-espace/);
  await page.getByRole('link', { name: 'Double authentification' }).click();
  await page.getByRole('heading', { name: 'Double authentification', level: 1 }).waitFor();
  await page.getByRole('img', { name: /Code QR/ }).waitFor();
  const secret = (await page.locator('#cle').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await check('activation');
  await page.setViewportSize({ width: 360, height: 740 });
  await check('activation-360px');
  await page.setViewportSize({ width: 1280, height: 900 });
  // A wrong code: refused beside the field, the key unchanged (a reload would show the same QR code).
  await page.getByLabel("Code affiché par l'application").fill('12345');
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await page.getByText('Tapez les six chiffres').first().waitFor();
  assert.equal((await page.locator('#cle').innerText()).replace(/\s/g, ''), secret);
  await check('activation-code-refuse');
  await page.getByLabel("Code affiché par l'application").fill(await nextTotp(base, email, secret));
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();
  const codes = (await page.locator('#codes li').allInnerTexts()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await check('codes-de-secours');
  assert.ok(await server.mailTo(email, 'double authentification a été activée'), 'no mail on enrolment');
  await page.goto(base + '/mon-espace/double-authentification');
  await page.getByText('Il vous reste 10 codes de secours sur dix').waitFor();
  await logout();

  // The password alone no longer opens the account: a wrong code is refused, the right one logs in.
  await typePassword();
  await page.waitForURL(base + '/connexion/code');
  await page.getByRole('heading', { name: 'Vérification en deux étapes' }).waitFor();
  await check('code-demande');
  await page.goto(base + '/mon-espace');
  await page.waitForURL(/\/connexion\?/);  // not logged in yet
  await page.goto(base + '/connexion/code');
  const previous = await nextTotp(base, email, secret);
  const wrong = previous === '000000' ? '111111' : '000000';
  await page.getByLabel('Code à six chiffres').fill(wrong);
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByText('Ce code est incorrect, expiré ou déjà utilisé').first().waitFor();
  await check('code-refuse');
  await page.getByLabel('Code à six chiffres').fill(previous);
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.waitForURL(base + '/mon-espace');
  await page.getByText('Vous êtes connecté').first().waitFor();
  await logout();

  // The same code again: refused.
  await typePassword();
  await page.waitForURL(base + '/connexion/code');
  await page.getByLabel('Code à six chiffres').fill(previous);
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByText('Ce code est incorrect, expiré ou déjà utilisé').first().waitFor();
  assert.ok(page.url().endsWith('/connexion/code'));

  // No phone: a recovery code, typed in lower case with spaces, logs in once.
  await page.getByText("Vous n'avez pas votre téléphone ?").click();
  await page.getByLabel('Code de secours').fill(` ${codes[0].toLowerCase()} `);
  await page.getByRole('button', { name: 'Se connecter avec un code de secours' }).click();
  await page.waitForURL(base + '/mon-espace');
  await page.getByText('Il vous reste 9 codes de secours.').first().waitFor();
  assert.ok(await server.mailTo(email, 'Il vous en reste 9'), 'no mail on a recovery code used');
  await logout();
  await typePassword();
  await page.waitForURL(base + '/connexion/code');
  await page.getByText("Vous n'avez pas votre téléphone ?").click();
  await page.getByLabel('Code de secours').fill(codes[0]);
  await page.getByRole('button', { name: 'Se connecter avec un code de secours' }).click();
  await page.getByText('Ce code de secours est incorrect ou a déjà servi').first().waitFor();
  await check('code-de-secours-refuse');
  assert.ok(page.url().endsWith('/connexion/code'));
  await page.getByLabel('Code de secours').fill(codes[1]);
  await page.getByRole('button', { name: 'Se connecter avec un code de secours' }).click();
  await page.waitForURL(base + '/mon-espace');
});
