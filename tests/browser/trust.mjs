// Browser test: a buyer organisation declared by a person is vetted before it publishes, and « Mes sessions ».
// A newcomer declares a public buyer: its space says it is being checked; the administrator approves it at
// /admin/acheteurs (then the newcomer is told by e-mail); the newcomer sees and closes their sessions. Axe-core on
// every page, at desktop width and on a phone-sized screen for the administrator's queue.
//
// usage: node trust.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node trust.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const email = 'agent.nouveau@exemple.fr';
const password = 'Vieux-Port-13-Calanques';

await scenario({ bin, shotDir, prefix: 'confiance', prepare: [['demo']] }, async ({ page, base, server, check }) => {
  // Sign up, confirm the address, declare a public buyer.
  await page.goto(base + '/inscription');
  await page.getByLabel('Prénom et nom').fill('Nouvel Agent');
  await page.getByLabel('Adresse e-mail').fill(email);
  // A common password is refused with its reason beside the field, and what was typed stays.
  await page.getByLabel(/^Mot de passe( \*)?$/).fill('P@ssw0rd2026!');
  await page.getByLabel('Confirmation du mot de passe').fill('P@ssw0rd2026!');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByText('Ce mot de passe').first().waitFor();
  assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), email);
  await check('mot-de-passe-courant-refuse');
  await page.getByLabel(/^Mot de passe( \*)?$/).fill(password);
  await page.getByLabel('Confirmation du mot de passe').fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.waitForURL(base + '/mon-espace');
  const mail = await server.mailTo(email, 'verifier-email');
  const link = (mail.match(/http:\/\/[^\s]+\/verifier-email\?jeton=[A-Za-z0-9_-]+/) || [])[0];
  assert.ok(link, 'no verification link');
  await page.goto(link);
  await page.goto(base + '/mon-espace/organisations/nouvelle?type=acheteur');
  await page.getByLabel("Nom de l'organisation publique").fill('Commune de Test-sur-Marne');
  await page.getByLabel('Numéro SIRET').fill('21350000200018');
  await page.getByLabel("Catégorie d'acheteur").selectOption({ index: 1 });
  await page.getByLabel(/^Département( \*)?$/).selectOption('93');
  await page.getByRole('button', { name: /Créer|Déclarer|Enregistrer/ }).first().click();
  await page.getByText('Organisation en cours de vérification').waitFor();
  await check('organisation-en-verification');
  await page.goto(base + '/mon-espace');
  await page.getByText('en cours de vérification').first().waitFor();
  await check('mon-espace-en-verification');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The administrator's queue, on a phone-sized screen too.
  await login(page, base, 'admin@passerelle.example', 'Passerelle-Demo-2026');
  await page.goto(base + '/admin/acheteurs');
  await page.getByRole('heading', { name: 'Commune de Test-sur-Marne' }).waitFor();
  await page.getByText('exemple.fr').first().waitFor();
  // Facts are plain text unless they point somewhere of their own.
  assert.equal(await page.getByRole('link', { name: /plage des personnes morales/ }).count(), 0);
  await check('file-de-verification');
  await page.setViewportSize({ width: 360, height: 740 });
  await check('file-de-verification-360px');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: 'Vérifier Commune de Test-sur-Marne' }).click();
  await page.getByText('est vérifiée').first().waitFor();
  await check('verifiee');
  const approved = await server.mailTo(email, 'désormais publier');
  assert.match(approved, /organisations\/\d+/);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The newcomer, now vetted, sees their sessions and closes the others.
  await login(page, base, email, password);
  await page.goto(base + '/mon-espace');
  assert.equal(await page.getByText('en cours de vérification').count(), 0);
  await page.goto(base + '/mon-espace/sessions');
  await page.getByText('cette session').waitFor();
  await check('mes-sessions');
  // On a phone: the hidden labels of the table's buttons must not widen the page (check() measures it).
  await page.setViewportSize({ width: 360, height: 740 });
  await check('mes-sessions-360px');
  await page.goto(base + '/mon-espace/feuilles-de-route');
  await check('feuille-de-route-360px');
});
