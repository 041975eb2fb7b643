// Browser test: matchmaking events. The organiser creates and publishes a morning event, a company
// registers. On the demo event, the company asks a buyer for a meeting, the buyer accepts another request
// and marks it priority, the organiser computes and publishes the schedule, the company sees its agenda
// (meetings, QR code, calendar file), and the organiser checks the company in with its code. axe-core on
// every page.
//
// usage: node events.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node events.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const password = 'Passerelle-Demo-2026';
const logout = (page) => page.getByRole('button', { name: 'Se déconnecter' }).click();
const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

await scenario({ bin, shotDir, prefix: 'evenements', prepare: [['demo']] }, async ({ page, base, check, server }) => {
  // The organiser creates a morning event (the programme comes prefilled) and publishes it.
  await login(page, base, 'organisatrice@passerelle.example', password);
  await page.goto(base + '/evenements');
  await check('evenements');
  await page.getByRole('link', { name: 'Créer un événement' }).click();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText("L'événement contient des erreurs.").waitFor();  // nothing filled: refused, in French
  await check('formulaire-erreurs');
  await page.getByLabel(/^Titre( \*)?$/).fill("Matinale de l'innovation");
  await page.getByLabel('Lieu').fill('Cité des sciences, Paris');
  await page.getByLabel('Jour').fill(inDays(30));
  await page.getByLabel(/^Début( \*)?$/).fill('08:30');
  await page.getByLabel(/^Fin( \*)?$/).fill('12:30');
  await page.getByLabel('Places pour les entreprises (vide : sans limite)').fill('40');
  await page.getByLabel(/^Question 1( \*)?$/).fill('Votre solution en une phrase ?');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('enregistré en brouillon').waitFor();
  await page.getByRole('button', { name: "Publier l'événement" }).click();
  await page.getByText('Les inscriptions sont ouvertes').waitFor();
  await page.getByRole('cell', { name: 'Rendez-vous d\'affaires', exact: true }).waitFor();
  await check('evenement-publie');
  const eventUrl = page.url();
  await logout(page);

  // Atelier Vert registers for it, then asks the Ville de Paris for a meeting at the demo event.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.goto(eventUrl);
  await page.getByLabel('Votre solution en une phrase ?').fill('Des espaces verts entretenus par des salariés en insertion.');
  await page.getByRole('button', { name: "S'inscrire" }).click();
  await page.getByText('Votre inscription est confirmée').waitFor();
  await check('inscription-confirmee');
  await page.goto(base + '/evenements');
  await page.getByRole('link', { name: /Matinale des achats publics/ }).click();
  await page.getByRole('link', { name: 'Mes rendez-vous' }).click();
  await page.getByLabel('Acheteur public').selectOption({ label: 'Ville de Paris' });
  await page.getByLabel('Message (facultatif').fill('Nous entretenons déjà les espaces verts de trois communes voisines.');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await page.getByText('Votre demande de rendez-vous est envoyée').waitFor();
  await page.getByLabel(/^10\sh\s–/).check();
  await page.getByRole('button', { name: 'Enregistrer mes disponibilités' }).click();
  await page.getByText('Vos disponibilités sont enregistrées').waitFor();
  assert.ok(await page.getByLabel(/^10\sh\s–/).isChecked());
  await check('mes-rendez-vous');
  // …and applies to pitch there, with its brochure.
  await page.goto(base + '/evenements');
  await page.getByRole('link', { name: /Matinale des achats publics/ }).click();
  await page.getByRole('link', { name: 'Candidater pour pitcher' }).click();
  await page.getByLabel('Ce que vous proposez').fill('Des espaces verts entretenus par des salariés en insertion, avec un suivi des heures.');
  await page.getByLabel('Ce qui est innovant').fill('Un tableau de bord des heures d\'insertion partagé avec l\'acheteur.');
  await page.getByLabel(/Document de présentation/).setInputFiles({ name: 'plaquette.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await check('candidature-pitch');
  await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  await page.getByText('Votre candidature est envoyée').waitFor();
  await page.getByText('En cours d\'examen').waitFor();
  await logout(page);

  // Seine-Saint-Denis accepts Atelier Vert's request and marks it priority.
  await login(page, base, 'acheteur.93@passerelle.example', password);
  await page.getByRole('link', { name: /demande\(s\) de rendez-vous à traiter/ }).click();
  await page.getByRole('link', { name: 'Rendez-vous' }).first().click();
  await page.getByRole('button', { name: 'Accepter le rendez-vous avec Atelier Vert' }).click();
  await page.getByText('Rendez-vous accepté.').waitFor();
  await page.getByRole('button', { name: 'Marquer prioritaire : Atelier Vert' }).click();
  await page.getByText('Rendez-vous marqué prioritaire.').waitFor();
  await check('acheteur-rendez-vous');
  // As a juror, Seine-Saint-Denis scores Atelier Vert's pitch and abstains on another (conflict of interest).
  await page.goto(base + '/evenements');
  await page.getByRole('link', { name: /Matinale des achats publics/ }).click();
  await page.getByRole('link', { name: 'Noter les candidatures (jury)' }).click();
  const card = page.locator('article', { hasText: 'Atelier Vert' });
  for (const select of await card.getByRole('combobox').all()) await select.selectOption('5');
  await card.getByRole('button', { name: /Enregistrer mes notes/ }).click();
  await page.getByText('Vos notes sont enregistrées.').waitFor();
  await page.locator('article').first().getByRole('button', { name: /M'abstenir/ }).click();
  await page.getByText('Votre abstention est enregistrée.').waitFor();
  await check('jury');
  await logout(page);

  // The organiser ranks the pitches (Atelier Vert first), keeps three and releases the decisions.
  await login(page, base, 'organisatrice@passerelle.example', password);
  await page.goto(base + '/mon-espace/evenements');
  await page.getByRole('link', { name: /Pitchs de Matinale des achats publics/ }).click();
  await page.getByRole('row').nth(1).locator('strong', { hasText: 'Atelier Vert' }).waitFor();  // first of the ranking
  await check('classement-pitchs');
  await page.getByRole('button', { name: /Publier les décisions/ }).click();
  await page.getByText('Les décisions sont publiées').waitFor();
  assert.match(await server.mailTo('contact@atelier-vert-1.example', 'retenue'), /candidature de Atelier Vert est retenue/);

  // The organiser computes the schedule, sees the bound, publishes.
  await page.goto(base + '/mon-espace/evenements');
  await page.getByRole('link', { name: /Planning de Matinale des achats publics/ }).click();
  await page.getByRole('button', { name: 'Calculer le planning' }).click();
  await page.getByText(/au plus \d+ possible/).first().waitFor();
  await page.locator('strong', { hasText: 'rendez-vous placés' }).waitFor();
  await check('planning');
  await page.getByRole('button', { name: 'Publier et envoyer les agendas' }).click();
  await page.getByText('Le planning est publié').waitFor();
  await logout(page);

  // Atelier Vert's agenda: the Seine-Saint-Denis meeting, the QR code, the calendar file.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.goto(base + '/mon-espace/evenements');
  await page.getByRole('link', { name: 'Agenda' }).last().click();
  await page.getByRole('cell', { name: 'Département de la Seine-Saint-Denis' }).waitFor();
  const qr = page.getByRole('img', { name: /Code QR d'émargement/ });
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code loads');
  const code = (await page.locator('figcaption strong').textContent()).trim();
  assert.match(code, /^[A-Z2-9]{8}$/);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Ajouter à mon calendrier (.ics)' }).click();
  assert.match((await download).suggestedFilename(), /\.ics$/);
  await check('agenda');
  await logout(page);

  // Check-in at the desk.
  await login(page, base, 'organisatrice@passerelle.example', password);
  await page.goto(base + '/mon-espace/evenements');
  await page.getByRole('link', { name: /Émargement de Matinale des achats publics/ }).click();
  await page.getByLabel(/Code d'émargement/).fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Émarger' }).click();
  await page.getByText(/est émargé\(e\)/).waitFor();
  await page.getByText('1 présent(s)').waitFor();
  await check('emargement');

  // The results: figures with their tables, and the charts drawn from the JSON behind them.
  await page.goto(base + '/mon-espace/evenements');
  await page.getByRole('link', { name: /Bilan de Matinale des achats publics/ }).click();
  await page.getByRole('row', { name: /Présents \(émargement\) 1/ }).waitFor();
  await page.locator('canvas[data-key="funnel"][data-drawn="true"]').waitFor();
  await page.locator('canvas[data-key="usefulness"][data-drawn="true"]').waitFor();
  await check('bilan');
});
