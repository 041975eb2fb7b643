// Browser test: social clauses. On the demo contract of Seine-Saint-Denis, the holder (Atelier Vert)
// declares insertion hours (absurd hours refused in French first); the facilitator sees the late contract
// in the portfolio, sends one declaration back for correction and accepts the other, edits the estimate's
// parameters and opens the buyer's report with its workbook; the holder corrects and resends; a buyer
// writing a notice sees the clause advice beside its lot. axe-core on every page.
//
// usage: node clauses.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node clauses.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const password = 'Passerelle-Demo-2026';
const logout = (page) => page.getByRole('button', { name: 'Se déconnecter' }).click();
const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);

await scenario({ bin, shotDir, prefix: 'clauses', prepare: [['demo']] }, async ({ page, base, check, server }) => {
  // The holder declares the hours of last month.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.getByRole('link', { name: /heures à déclarer/ }).click();
  await check('entreprise-clauses');
  await page.getByRole('link', { name: /Déclarer des heures/ }).first().click();
  await page.getByLabel('Début de la période').fill(daysAgo(40));
  await page.getByLabel('Fin de la période').fill(daysAgo(10));
  await page.getByLabel('Heures réalisées').fill('5000');
  await page.getByLabel(/^Employeur des personnes/).fill('Atelier Vert (EI)');
  await page.getByLabel('Nombre de participants').fill('3');
  await page.getByLabel('Jeunes de moins de 26 ans').fill('4');
  await page.getByRole('button', { name: 'Déclarer ces heures' }).click();
  await page.getByText('La déclaration contient des erreurs.').waitFor();
  await page.getByText(/Plus de 24 heures par jour et par personne/).first().waitFor();
  await page.getByText(/plus de personnes que de participants/).first().waitFor();
  await check('declaration-erreurs');
  await page.getByLabel('Heures réalisées').fill('210,5');
  await page.getByLabel('Jeunes de moins de 26 ans').fill('1');
  await page.getByRole('button', { name: 'Déclarer ces heures' }).click();
  await page.getByText('Vos heures sont déclarées').waitFor();
  await page.getByRole('cell', { name: '210,5' }).waitFor();
  await check('marche-avec-clause');
  await logout(page);
  assert.match(await server.mailTo('facilitateur@passerelle.example', "heures d'insertion"), /heures d'insertion sont déclarées/);

  // The facilitator: the late contract, the declarations to review.
  await login(page, base, 'facilitateur@passerelle.example', password);
  await page.getByRole('link', { name: /déclaration\(s\) à examiner/ }).click();
  await page.getByText('En retard').first().waitFor();
  await check('portefeuille');
  await page.locator('section', { hasText: 'Déclarations à examiner' }).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Demander une correction' }).click();
  await page.getByText("Dites ce qu'il faut corriger.").first().waitFor();
  // The error is beside the comment, and the summary leads to it.
  assert.equal(await page.getByLabel(/^Commentaire/).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(await page.locator('#review-erreurs a').first().getAttribute('href')).count(), 1);
  // Too long: refused, and kept whole.
  const tooLong = 'à corriger '.repeat(182);
  await page.getByLabel(/^Commentaire/).fill(tooLong);
  await page.getByRole('button', { name: 'Demander une correction' }).click();
  await page.locator('#review-erreurs').waitFor();
  assert.equal(await page.getByLabel(/^Commentaire/).inputValue(), tooLong);
  await check('correction-refusee');
  await page.getByLabel(/^Commentaire/).fill('Merci de déclarer une période par trimestre.');
  await page.getByRole('button', { name: 'Demander une correction' }).click();
  await page.getByText('La déclaration est renvoyée pour correction.').waitFor();
  await page.locator('section', { hasText: 'Déclarations à examiner' }).getByRole('link').first().click();
  await check('examen');
  await page.getByRole('button', { name: 'Accepter les heures' }).click();
  await page.getByText('La déclaration est acceptée').waitFor();
  // The estimate's parameters.
  await page.getByRole('link', { name: "Paramètres de l'estimation des heures" }).click();
  await page.getByLabel(/^Coût horaire/).fill('abc');
  await page.getByRole('button', { name: 'Enregistrer les paramètres' }).click();
  // Refused beside its field, what was typed kept.
  await page.locator('#hourly_cost-erreur').getByText(/Le coût horaire est un montant entre 5 et 500/).waitFor();
  assert.equal(await page.getByLabel(/^Coût horaire/).inputValue(), 'abc');
  assert.equal(await page.getByLabel(/^Coût horaire/).getAttribute('aria-invalid'), 'true');
  await page.getByLabel(/^Coût horaire/).fill('40');
  await page.getByRole('button', { name: 'Enregistrer les paramètres' }).click();
  await page.getByText('Les paramètres de l\'estimation sont enregistrés.').waitFor();
  await check('parametres');
  // The buyer's report, with its workbook.
  await page.goto(base + '/mon-espace/clauses');
  await page.getByLabel(/^Acheteur( \*)?$/).selectOption({ label: 'Département de la Seine-Saint-Denis' });
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('link', { name: 'Bilan de cet acheteur' }).click();
  await page.getByText('heures réalisées (acceptées)').waitFor();
  await page.getByRole('rowheader', { name: 'Entretien des espaces verts des collèges' }).waitFor();
  await check('bilan');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Télécharger \(XLSX\)/ }).click();
  assert.match((await download).suggestedFilename(), /^bilan-clauses-22930008201453\.xlsx$/);
  await logout(page);

  // The holder corrects the declaration sent back.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  assert.match(await server.mailTo('contact@atelier-vert-1.example', 'acceptée'), /est acceptée par le facilitateur/);
  await page.goto(base + '/marches-attribues');
  await page.goto(base + '/mon-espace/clauses');
  await page.getByRole('link', { name: 'Entretien des espaces verts des collèges' }).first().click();
  await page.getByRole('cell', { name: /à corriger/ }).first().waitFor();
  await page.locator('#declarations tr', { hasText: 'à corriger' }).getByRole('link').click();
  await page.getByRole('button', { name: 'Renvoyer la déclaration corrigée' }).click();
  await page.getByText('La déclaration corrigée est renvoyée au facilitateur.').waitFor();
  await logout(page);

  // A buyer writing a notice sees, beside its lot, whether a clause is usual and how many hours to ask.
  await login(page, base, 'acheteur.93@passerelle.example', password);
  await page.goto(base + '/mon-espace/consultations/nouvelle?org=3');
  await page.getByLabel('Code CPV du lot 1').fill('90910000-9');
  await page.getByLabel('Montant estimé (€ HT)').fill('600000');
  await page.getByLabel('Montant estimé (€ HT)').press('Tab');
  await page.getByText('Clause sociale recommandée').waitFor();
  await page.getByText(/563 heures d'insertion/).waitFor();  // 600 000 × 75 % ÷ 40 € (edited above) × 5 %
  await check('consultation-conseil-clause');
});
