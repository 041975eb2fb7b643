// Browser test: two companies form a consortium on a notice through the co-contracting exchange. One
// publishes a partnership offer on a lot, the other finds it and answers with an attachment, they talk
// privately (read receipt), the first proposes a consortium, the second accepts, shares a document and ticks
// the checklist. The buyer sees only that the exchange exists. axe-core on every page.
//
// usage: node exchange.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node exchange.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const password = 'Passerelle-Demo-2026';
const pdf = { name: 'references-chantiers.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') };
const logout = (page) => page.getByRole('button', { name: 'Se déconnecter' }).click();

await scenario({ bin, shotDir, prefix: 'co-traitance', prepare: [['demo']] }, async ({ page, base, check }) => {
  // Atelier Vert wants a subcontractor for lot 2 of the lycée works.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.goto(base + '/consultations');
  await page.getByRole('link', { name: /désamiantage et de réhabilitation du lycée Jean-Jaurès/ }).click();
  const noticeUrl = page.url();
  await page.getByText('Publier une offre de partenariat').click();
  await page.getByLabel('Vous…').selectOption('seek_subcontractor');
  await page.getByLabel(/^Lot( \*)?$/).selectOption('2');
  await page.getByLabel('Part (%)').fill('30');
  await page.getByLabel(/Compétences \(codes CPV/).fill('45000000 99999999');
  await page.getByLabel(/^Département( \*)?$/).fill('93');
  const text = 'Nous portons le désamiantage et cherchons un sous-traitant pour la réhabilitation du lot 2.';
  await page.getByLabel('Votre offre').fill(text);
  await check('notice-avec-formulaire');
  // An unknown CPV code: refused beside its field, in a summary whose links lead to the fields, and everything
  // typed is still there.
  await page.getByRole('button', { name: "Publier l'offre" }).click();
  await page.locator('#offer-erreurs').waitFor();
  assert.equal(await page.getByLabel(/Compétences \(codes CPV/).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel(/Compétences \(codes CPV/).inputValue(), '45000000 99999999');
  assert.equal(await page.getByLabel('Vous…').inputValue(), 'seek_subcontractor');
  assert.equal(await page.getByLabel(/^Lot( \*)?$/).inputValue(), '2');
  assert.equal(await page.getByLabel('Part (%)').inputValue(), '30');
  assert.equal(await page.getByLabel(/^Département( \*)?$/).inputValue(), '93');
  assert.equal(await page.getByLabel('Votre offre').inputValue(), text);
  for (const href of await page.locator('#offer-erreurs a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
    assert.equal(await page.locator(href).count(), 1, `the summary's link ${href} leads nowhere`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'offer-erreurs');
  await check('offre-refusee');
  await page.getByLabel(/Compétences \(codes CPV/).fill('45000000');
  await page.getByRole('button', { name: "Publier l'offre" }).click();
  await page.getByText('Votre offre est publiée').waitFor();
  await page.getByRole('heading', { name: 'Partenaires suggérés' }).waitFor();
  await check('offre-publiee');
  const offerUrl = page.url();
  await logout(page);

  // Bâti Francilien finds it in the exchange and answers with its references.
  await login(page, base, 'contact@bati-francilien-2.example', password);
  await page.getByRole('link', { name: 'Bourse à la co-traitance' }).click();
  await page.getByRole('link', { name: 'Cherche un sous-traitant' }).click();
  assert.equal(page.url(), offerUrl);
  const reply = 'Bonjour, nous réhabilitons des lycées depuis vingt ans. Nos références sont jointes.';
  await page.getByLabel(/Votre message/).fill(reply);
  // A refused attachment (an executable): the message stays, the error is beside the files, which are asked again.
  await page.getByLabel(/Pièces jointes/).setInputFiles({ name: 'outil.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00') });
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.locator('#reply-erreurs').waitFor();
  assert.equal(await page.getByLabel(/Votre message/).inputValue(), reply);
  assert.equal(await page.getByLabel(/Pièces jointes/).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(await page.locator('#reply-erreurs a').first().getAttribute('href')).count(), 1);
  await check('reponse-refusee');
  await page.getByLabel(/Pièces jointes/).setInputFiles(pdf);
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Votre réponse est envoyée').waitFor();
  await page.getByRole('link', { name: 'references-chantiers.pdf' }).waitFor();
  await check('conversation-ouverte');
  const conversationUrl = page.url();
  await logout(page);

  // Atelier Vert reads it (unread badge, then the read receipt) and proposes the consortium.
  await login(page, base, 'contact@atelier-vert-1.example', password);
  await page.getByRole('link', { name: /Mes messages 1 non lu/ }).click();
  await check('mes-messages');
  await page.getByRole('link', { name: /Bâti Francilien/ }).click();
  assert.equal(page.url(), conversationUrl);
  await page.getByLabel('Votre message').fill('Merci, votre expérience nous intéresse. Formons le groupement.');
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await page.getByText('Merci, votre expérience nous intéresse.').waitFor();
  await page.getByLabel('Nom du groupement (facultatif)').fill('Groupement lycée Jean-Jaurès');
  await page.getByRole('button', { name: 'Proposer le groupement' }).click();
  await page.getByText("Le groupement est proposé").waitFor();
  await check('groupement-propose');
  const consortiumUrl = page.url();
  await logout(page);

  // Bâti Francilien accepts, shares a document and ticks the first item of the checklist.
  await login(page, base, 'contact@bati-francilien-2.example', password);
  await page.goto(conversationUrl);
  await page.getByText('Lu', { exact: true }).first().waitFor();  // Atelier Vert read the first message
  await page.goto(base + '/mon-espace/groupements');
  await page.getByText('Invitation à accepter').waitFor();
  await page.getByRole('link', { name: 'Groupement lycée Jean-Jaurès' }).click();
  await page.getByRole('button', { name: 'Accepter et rejoindre le groupement' }).click();
  await page.getByText('Votre entreprise a rejoint le groupement').waitFor();
  await page.getByLabel(/Partager un document/).setInputFiles({ ...pdf, name: 'dc2-bati-francilien.pdf' });
  await page.getByRole('button', { name: 'Déposer' }).click();
  await page.getByRole('link', { name: 'dc2-bati-francilien.pdf' }).waitFor();
  await page.getByRole('button', { name: /^Fait : Convention de groupement/ }).click();
  await page.getByText('(1 sur 10)').waitFor();
  await check('espace-du-groupement');
  await logout(page);

  // The buyer learns that the exchange exists, not who talks to whom; the workspace is closed to it.
  await login(page, base, 'acheteur.93@passerelle.example', password);
  await page.goto(noticeUrl);
  await page.getByText('1 offre de partenariat ouverte sur cette consultation').waitFor();
  assert.equal(await page.getByText('Atelier Vert', { exact: false }).count(), 0);
  await check('acheteur-voit-l-existence');
  const closed = await page.request.get(consortiumUrl);  // with the buyer's session cookie
  assert.equal(closed.status(), 404);  // as if it did not exist: ids of private workspaces cannot be probed
});
