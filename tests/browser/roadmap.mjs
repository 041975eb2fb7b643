// Browser test: a buyer publishes a planned purchase on its roadmap; a company finds it and says it is
// interested; the buyer sees the company in the list of interested companies. axe-core on every page.
//
// usage: node roadmap.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node roadmap.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const password = 'Passerelle-Demo-2026';
const boamp = new URL('../../../shared/data/boamp/xml_2017', import.meta.url).pathname;
const decp = new URL('../../../shared/data/decp/v1_croix_2019-2021/decp_21590163800019_2019-2021.json', import.meta.url).pathname;
await scenario({ bin, shotDir, prefix: 'feuille-de-route', prepare: [['demo'], ['import', 'decp', '--quiet', decp], ['import', 'boamp', boamp]] }, async ({ page, base, server, check }) => {
  await login(page, base, 'acheteur.93@passerelle.example', password);
  await page.getByRole('link', { name: 'Ma feuille de route achats' }).click();
  await check('ma-feuille-de-route');
  await page.getByRole('link', { name: /Nouveau projet d'achat/ }).click();
  await check('nouveau-projet');
  await page.getByLabel("Intitulé du projet d'achat").fill('Entretien des crèches départementales');
  await page.getByLabel('Description du besoin').fill('Nettoyage quotidien de 55 crèches, réservé aux SIAE.');
  await page.getByLabel(/Ajouter un code CPV/).fill('hygienisation');
  await page.getByRole('button', { name: /90000000-7/ }).click();
  await page.locator('#cpv-selected input[value="90000000-7"]').waitFor({ state: 'attached' });
  await page.getByLabel('Montant estimé maximal (€ HT)').fill('450 000');
  await page.getByLabel('Publication prévue de la consultation').selectOption({ index: 2 });
  await page.getByLabel('Procédure envisagée').selectOption('mapa');
  await page.getByLabel('Lieux d\'exécution (départements)').selectOption(['93']);
  await page.getByLabel('Clause sociale ou marché réservé envisagé').selectOption('reserved_siae');
  await page.getByRole('button', { name: 'Publier', exact: true }).click();
  await page.getByText('Le projet d\'achat est publié').waitFor();
  await check('projet-publie');
  const itemUrl = page.url();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.goto(base + '/feuilles-de-route?q=creches');
  await check('liste-publique');
  await page.getByRole('link', { name: 'Entretien des crèches départementales' }).click();
  assert.equal(page.url(), itemUrl);
  await page.getByLabel("Message à l'acheteur (facultatif)").fill('Nous sommes une SIAE du 93.');
  await page.getByRole('button', { name: /Je suis intéressé/ }).click();
  await page.getByText("C'est noté").waitFor();
  await check('interet-signale');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  await login(page, base, 'acheteur.93@passerelle.example', password);
  await page.goto(itemUrl);
  await page.getByRole('link', { name: /Entreprises intéressées \(1\)/ }).click();
  await page.getByText('Nous sommes une SIAE du 93.').waitFor();
  await check('entreprises-interessees');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Exporter en CSV/ }).click();
  const csv = await download;
  assert.match(csv.suggestedFilename(), /^entreprises-interessees-\d+\.csv$/);

  // Sourcing from the planned purchase: prefilled with its CPV code, place and reservation; then works in the Nord.
  await page.goto(itemUrl);
  await page.getByRole('link', { name: 'Trouver des fournisseurs' }).click();
  await page.getByRole('heading', { name: 'Sourcing : trouver des fournisseurs' }).waitFor();
  await page.locator('#cpv-selected input[value="90000000-7"]').waitFor({ state: 'attached' });
  assert.equal(await page.getByLabel("Lieu d'exécution").inputValue(), '93');
  assert.equal(await page.getByLabel('Clause sociale ou marché réservé').inputValue(), 'reserved_siae');
  await check('sourcing-prerempli');
  await page.getByRole('button', { name: /Retirer 90000000-7/ }).click();
  await page.getByLabel(/Ajouter un code CPV/).fill('45000000');
  await page.getByRole('button', { name: /45000000-7/ }).click();
  await page.getByLabel("Lieu d'exécution").selectOption('59');
  await page.getByLabel('Clause sociale ou marché réservé').selectOption('none');
  await page.getByRole('button', { name: 'Chercher des fournisseurs' }).click();
  await page.getByText('a remporté 3 marchés CPV 45 dans le 59 (Nord) depuis 2019').first().waitFor();
  await check('sourcing-resultats');

  // Before buying, the buyer looks at what others awarded (DECP open data): facets, a contract, the CSV.
  await page.getByRole('link', { name: 'Marchés attribués', exact: true }).click();
  await page.getByRole('heading', { name: 'Marchés attribués', level: 1 }).waitFor();
  await check('marches-attribues');
  await page.getByRole('link', { name: /^59 — / }).click();
  await page.getByRole('link', { name: 'ENTRETIEN DES TERRAINS SYNTHETIQUES DE FOOTBALL' }).waitFor();
  await page.getByRole('searchbox').fill('eclairage');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('link', { name: 'Remplacement éclairage piscine' }).click();
  await page.getByRole('heading', { name: 'Titulaire(s)' }).waitFor();
  await page.getByText('28\u202f442,86\u202f€ HT').waitFor();
  await check('marche-attribue');
  await page.goBack();
  const contractsCsv = page.waitForEvent('download');
  await page.getByRole('link', { name: /Télécharger en CSV/ }).click();
  assert.equal((await contractsCsv).suggestedFilename(), 'marches-attribues.csv');

  // A notice published on the BOAMP, imported, found among the consultations.
  await page.goto(base + '/recherche?q=remorquage&type=consultations');
  await page.getByRole('link', { name: /Prestations de remorquage/ }).click();
  await page.getByRole('link', { name: /BOAMP .*avis n° 16-186394/ }).waitFor();
  await check('avis-boamp');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // A profile created from the DECP data is claimed by someone of the company; an administrator accepts.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.goto(base + '/entreprises/31611247300038');
  await page.getByLabel('Votre fonction dans la structure').fill('Gérante');
  await page.getByRole('button', { name: 'Revendiquer ce profil' }).click();
  await page.getByText('Votre demande est transmise').waitFor();
  await check('revendication-envoyee');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await login(page, base, 'admin@passerelle.example', password);
  await page.goto(base + '/admin/revendications');
  await check('revendications');
  await page.getByRole('button', { name: /^Accepter/ }).click();
  await page.getByText('La revendication est acceptée').waitFor();

});

