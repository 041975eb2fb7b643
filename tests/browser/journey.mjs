// Browser test: the newcomer's journey in Debian's Chromium (playwright-core), with axe-core on every page.
// sign up -> verify through the written e-mail -> log in -> create a company with a SIRET -> edit its profile
// with the CPV autocomplete -> log out. Screenshots go to the folder given as third argument.
//
// usage: node journey.mjs PASSERELLE_BIN SCREENSHOT_DIR CPV_CSV
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { scenario } from './lib.mjs';

const [bin, shotDir, cpvCsv] = process.argv.slice(2);
assert.ok(bin && shotDir && cpvCsv, 'usage: node journey.mjs PASSERELLE_BIN SCREENSHOT_DIR CPV_CSV');
assert.ok(existsSync(cpvCsv), `CPV reference file not found: ${cpvCsv}`);

const email = 'claire.dupont@exemple.fr';
const password = 'Correct-Cheval-42';
const siret = '44399887700015';

// Reference data through the real import commands.
await scenario({ bin, shotDir, prefix: 'inscription', prepare: [['import', 'geo'], ['import', 'cpv', cpvCsv]] },
  async ({ page, base, server, check }) => {
  // Home, and at 360 px wide without horizontal scrolling.
  await page.goto(base + '/');
  await check('accueil');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(base + '/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `home overflows by ${overflow}px at 360px`);
  await check('accueil-360px');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Sign-up: first with mistakes, then right.
  await page.goto(base + '/inscription');
  await check('inscription');
  await page.getByLabel('Prénom et nom').fill('Claire Dupont');
  await page.getByLabel('Adresse e-mail').fill('claire');
  await page.getByLabel(/^Mot de passe( \*)?$/).fill('court');
  await page.getByLabel('Confirmation du mot de passe').fill('court');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByText('Saisissez une adresse e-mail valide').first().waitFor();
  await check('inscription-erreurs');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel(/^Mot de passe( \*)?$/).fill(password);
  await page.getByLabel('Confirmation du mot de passe').fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.waitForURL(base + '/mon-espace');
  await page.getByText('Votre compte est créé').waitFor();
  await check('mon-espace-non-confirme');

  // The verification e-mail written by the mail worker.
  const mail = await server.mailTo(email);
  const link = (mail.match(/http:\/\/[^\s]+\/verifier-email\?jeton=[A-Za-z0-9_-]+/) || [])[0];
  assert.ok(link, `no verification link in the e-mail:\n${mail}`);
  await page.goto(link);
  await page.getByText('Votre adresse e-mail est confirmée').waitFor();

  // Log out, log in again.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByText('Vous êtes déconnecté').waitFor();
  await page.getByRole('link', { name: 'Se connecter' }).first().click();
  await check('connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(base + '/mon-espace');
  await check('mon-espace');

  // Create the company.
  await page.getByRole('link', { name: 'Déclarer mon entreprise' }).click();
  await check('nouvelle-entreprise');
  await page.getByLabel("Nom de l'entreprise").fill('Nettoyage Solidaire du 93');
  await page.getByLabel('Numéro SIRET').fill('443 998 877 00016');  // wrong check digit first
  await page.getByLabel('Taille').selectOption('TPE');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('clé de contrôle incorrecte').first().waitFor();
  await check('nouvelle-entreprise-erreur');
  await page.getByLabel('Numéro SIRET').fill('443 998 877 00015');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('est créée').waitFor();
  await check('gerer-entreprise');

  // Edit the profile: CPV autocomplete (accent-insensitive), labels, area.
  await page.getByLabel(/Ajouter une compétence/).fill('nettoyage de batiments');
  const suggestion = page.getByRole('button', { name: /90911200-8 Services de nettoyage de bâtiments/ });
  await suggestion.waitFor();
  await check('autocompletion-cpv');
  await suggestion.click();
  await page.locator('#cpv-selected input[value="90911200-8"]').waitFor({ state: 'attached' });
  await page.getByLabel(/Ajouter une compétence/).fill('9091');
  await page.getByRole('button', { name: /90910000-9 Services de nettoyage/ }).click();
  await page.locator('#cpv-selected input[value="90910000-9"]').waitFor({ state: 'attached' });
  await page.getByLabel('SIAE — entreprise d\'insertion (EI)').check();
  await page.getByLabel("Départements d'intervention").selectOption(['93', '75']);
  await page.getByLabel('Présentation').fill('Entretien de locaux par des salariés en parcours d\'insertion.');
  await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
  await page.getByText('Le profil est enregistré').waitFor();
  assert.equal(await page.locator('#cpv-selected input[name="cpv_codes"]').count(), 2);
  await check('profil-enregistre');

  // The public page shows it.
  await page.goto(`${base}/entreprises/${siret}`);
  await page.getByText('Services de nettoyage de bâtiments').waitFor();
  await page.getByText('SIAE — entreprise d\'insertion (EI)').waitFor();
  await check('fiche-publique');

  // Log out.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByText('Vous êtes déconnecté').waitFor();
  await check('deconnecte');
  const me = await page.request.get(base + '/api/v1/me');
  assert.equal(me.status(), 401);

});

