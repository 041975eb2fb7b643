// Browser test: a buyer launches a consultation from its roadmap item (two lots, a social clause), a company
// finds it, follows it and asks a question, the buyer answers. axe-core on every page.
//
// usage: node notice.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node notice.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const password = 'Passerelle-Demo-2026';
await scenario({ bin, shotDir, prefix: 'consultation', prepare: [['demo']] }, async ({ page, base, server, check }) => {
  // A company watches for cleaning contracts in schools: it saves a search with immediate alerts.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.goto(base + '/recherche?q=lycees');
  await page.getByText('Enregistrer cette recherche et recevoir des alertes').click();
  await page.getByLabel('Nom de la recherche').fill('Lycées');
  await page.getByLabel('Alertes par e-mail').selectOption('immediate');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.getByText('La recherche « Lycées » est enregistrée').waitFor();
  await check('recherche-sauvegardee');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The Région launches its announced cleaning purchase as a consultation.
  await login(page, base, 'acheteur.region@passerelle.example', password);
  await page.goto(base + '/feuilles-de-route?q=nettoyage lycees');
  await page.getByRole('link', { name: 'Nettoyage des lycées franciliens' }).click();
  await page.getByRole('link', { name: 'Lancer la consultation' }).click();
  await check('nouvelle-consultation');
  assert.equal(await page.getByLabel('Objet de la consultation').inputValue(), 'Nettoyage des lycées franciliens');
  await page.getByLabel('Référence').fill('2027-NET-LYC');
  await page.getByLabel('Date limite de remise des offres').fill('2030-06-15T12:00');
  await page.getByRole('button', { name: 'Ajouter un lot' }).click();
  await page.getByLabel('Intitulé du lot 2').waitFor();
  await page.getByLabel('Intitulé du lot 1').fill('Lycées de Paris');
  await page.getByLabel('Heures d\'insertion exigées').first().fill('2 000');
  await page.getByLabel('Intitulé du lot 2').fill('Lycées de Seine-Saint-Denis');
  await page.getByLabel('Code CPV du lot 2').fill('90000000-7');
  await page.getByLabel('Départements d\'exécution').nth(1).fill('93');
  await page.getByLabel('Clause sociale du lot 2').selectOption('reserved_siae');
  await page.getByRole('button', { name: 'Publier', exact: true }).click();
  await page.getByText('La consultation est publiée').waitFor();
  await check('consultation-publiee');
  const noticeUrl = page.url();
  await page.getByLabel(/Ajouter un document/).setInputFiles({ name: 'Règlement de consultation.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\n% DCE de démonstration\n') });
  await page.getByRole('button', { name: 'Déposer' }).click();
  await page.getByText('est ajouté au dossier de consultation').waitFor();
  await check('document-depose');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The company got an alert saying why; it finds the notice among the open consultations, follows it and asks.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  let alertMail = '';
  for (let i = 0; i < 40 && !/Nettoyage des lyc/.test(alertMail); i++) {
    alertMail = await server.mailTo('contact@atelier-vert-1.example', 'Nettoyage des lyc');
    if (!/Nettoyage des lyc/.test(alertMail)) await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(alertMail, /Pourquoi : mots : lycees/);
  await page.goto(base + '/mon-espace/alertes');
  await page.getByRole('link', { name: 'Nettoyage des lycées franciliens' }).waitFor();
  await check('mes-alertes');
  await page.goto(base + '/consultations?clause=reserved_siae&q=lycees');
  await check('liste-consultations');
  // The same notice through the search, accents omitted, refined with a facet.
  await page.goto(base + '/recherche?q=lycees franciliens');
  await page.getByRole('link', { name: /^Consultations \d/ }).click();
  await page.getByRole('link', { name: /Réservé aux SIAE/ }).click();
  await check('recherche');
  await page.getByRole('link', { name: 'Nettoyage des lycées franciliens' }).first().click();
  assert.equal(page.url(), noticeUrl);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Règlement de consultation\.pdf/ }).click();
  assert.equal((await download).suggestedFilename(), 'Règlement de consultation.pdf');
  await page.getByRole('button', { name: 'Suivre cette consultation' }).click();
  await page.getByText('Vous suivez cette consultation').waitFor();
  // Too long (4,001 characters, accents counted as one): refused and kept whole, never cut.
  const long = 'é'.repeat(3990) + ' vitres ?!';
  assert.equal([...long].length, 4000);
  await page.getByLabel(/Poser une question à l'acheteur/).fill(long + 'x');
  await page.getByRole('button', { name: 'Envoyer la question' }).click();
  await page.locator('#question-erreurs').waitFor();
  assert.equal(await page.getByLabel(/Poser une question à l'acheteur/).inputValue(), long + 'x');
  assert.equal(await page.getByLabel(/Poser une question à l'acheteur/).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(await page.locator('#question-erreurs a').first().getAttribute('href')).count(), 1);
  await check('question-trop-longue');
  await page.getByLabel(/Poser une question à l'acheteur/).fill('Les vitres en hauteur sont-elles comprises ?');
  await page.getByRole('button', { name: 'Envoyer la question' }).click();
  await page.getByText('Votre question est transmise').waitFor();
  await check('question-posee');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The buyer answers.
  await login(page, base, 'acheteur.region@passerelle.example', password);
  await page.goto(noticeUrl);
  await page.getByLabel(/Votre réponse/).fill('Oui, deux fois par an.');
  await page.getByRole('button', { name: 'Publier la réponse' }).click();
  await page.getByText('La réponse est publiée').waitFor();
  await check('reponse-publiee');
  const mail = await server.mailTo('contact@atelier-vert-1.example', 'Oui, deux fois par an');
  assert.match(mail, /Oui, deux fois par an\./);

  // Bids are in: the buyer closes the consultation and awards it, lot 1 to a company, lot 2 unsuccessful.
  await page.getByRole('button', { name: 'Clôturer' }).click();
  await page.getByRole('link', { name: 'Attribuer…' }).click();
  await page.getByLabel('SIRET du titulaire (lot 1)').fill('123');
  await page.getByRole('button', { name: 'Publier l\'attribution' }).click();
  await page.getByText('Vérifiez l\'attribution.').waitFor();
  await check('attribution-erreurs');
  await page.getByLabel('SIRET du titulaire (lot 1)').fill('732 829 320 00074');
  await page.getByLabel('Nom du titulaire (lot 1)').fill('Atelier Vert');
  await page.getByLabel('Montant (€ HT, lot 1)').fill('180 000');
  await page.getByLabel('Lot 2 infructueux (aucune offre retenue)').check();
  await page.getByRole('button', { name: 'Publier l\'attribution' }).click();
  await page.getByText('L\'attribution est publiée').waitFor();
  await page.getByRole('heading', { name: 'Attribution' }).waitFor();
  await check('consultation-attribuee');
  await page.getByRole('link', { name: /Nettoyage des lycées franciliens — lot 1/ }).click();
  await page.getByText('Atelier Vert').first().waitFor();
  await check('marche-attribue-plateforme');

  // The buyer connects its buyer-profile software: it creates an API token that may publish notices,
  // copies it (shown once), and the software reads its identity with it.
  await page.goto(base + '/mon-espace');
  await page.getByRole('link', { name: 'Région Île-de-France' }).first().click();
  await page.getByRole('link', { name: 'gérer les jetons d\'API' }).click();
  await check('jetons-api');
  await page.getByLabel('Nom du jeton').fill('Profil d\'acheteur');
  await page.getByLabel(/Publier des avis de marché/).check();
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  await page.getByText('Copiez-le maintenant').waitFor();
  await check('jeton-cree');
  const secret = await page.getByLabel(/^Jeton( \*)?$/).inputValue();
  assert.match(secret, /^psl_/);
  const me = await fetch(base + '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } });
  assert.equal(me.status, 200);
  assert.deepEqual((await me.json()).token.scopes, ['read', 'notices:publish']);
  await page.goto(page.url());  // a GET: the list alone
  assert.equal(await page.getByText(secret).count(), 0, 'the token is shown once');
  await page.getByRole('button', { name: 'Révoquer le jeton Profil d\'acheteur' }).click();
  await page.getByText('Le jeton est révoqué').waitFor();
  await check('jeton-revoque');
  assert.equal((await fetch(base + '/api/v1/me', { headers: { Authorization: 'Bearer ' + secret } })).status, 401);
});

