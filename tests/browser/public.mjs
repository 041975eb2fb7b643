// Browser test: what the platform publishes. The organiser writes a news article in Markdown with a cover
// image and tags, announcing the demo event; raw HTML in the text is not rendered; the article is published,
// a visitor finds it in the list, filters by its tag, sees the event with its registration button, and the
// Atom feed and sitemap carry it. The observatory: charts drawn from the API with their tables, a filter, the
// downloads. axe-core on every page.
//
// usage: node public.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { scenario, login } from './lib.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node public.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const password = 'Passerelle-Demo-2026';
const logout = (page) => page.getByRole('button', { name: 'Se déconnecter' }).click();
// A 1×1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

await scenario({ bin, shotDir, prefix: 'public', prepare: [['demo']] }, async ({ page, base, check }) => {
  // The organiser writes an article; an SVG renamed .png is refused as a cover, nothing is saved.
  await login(page, base, 'organisatrice@passerelle.example', password);
  await page.getByRole('link', { name: 'Actualités', exact: true }).last().click();
  await page.waitForURL(/\/mon-espace\/actualites$/);
  await check('redaction');
  await page.getByRole('link', { name: 'Écrire un article' }).first().click();
  await page.getByLabel(/^Titre( \*)?$/).fill('Trois nouvelles SIAE rejoignent Passerelle');
  await page.getByLabel(/^Chapeau/).fill('Des structures d\'insertion du 93 se présentent aux acheteurs.');
  await page.getByLabel(/^Texte( \*)?$/).fill('## Qui sont-elles ?\n\nDes **entreprises d\'insertion** du bâtiment.\n\n<script>document.title="piraté"</script>\n');
  await page.getByRole('button', { name: 'Aperçu du texte' }).click();
  await page.locator('#apercu h2', { hasText: 'Qui sont-elles ?' }).waitFor();
  await page.getByLabel(/^Mots-clés/).fill('SIAE, Insertion');
  await page.getByLabel(/^Événement annoncé/).selectOption({ index: 1 });
  await page.getByLabel(/^Image PNG ou JPEG/).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await page.getByLabel(/^Description de l'image/).fill('Salariés en insertion sur un chantier');
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.getByText("Ce fichier n'est pas une image PNG ou JPEG.").first().waitFor();
  await check('article-erreurs');
  await page.getByLabel(/^Image PNG ou JPEG/).setInputFiles({ name: 'chantier.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.getByText("L'article est publié.").waitFor();
  assert.equal(await page.locator('.news-body script').count(), 0, 'raw HTML is not rendered');
  assert.notEqual(await page.title(), 'piraté');
  await logout(page);

  // A visitor reads the news, filters by tag, opens the article: cover, text, the event and its button.
  await page.goto(base + '/actualites');
  await page.getByRole('heading', { name: 'Prochains événements' }).waitFor();
  await check('actualites');
  await page.getByRole('link', { name: /^siae \(\d+\)$/ }).click();
  await page.getByRole('link', { name: 'Trois nouvelles SIAE rejoignent Passerelle' }).click();
  await page.getByRole('heading', { name: 'Qui sont-elles ?' }).waitFor();
  const cover = page.getByRole('img', { name: 'Salariés en insertion sur un chantier' });
  assert.ok(await cover.evaluate((img) => img.complete && img.naturalWidth === 1), 'the cover loads');
  await page.getByRole('link', { name: "S'inscrire à l'événement" }).waitFor();
  await check('article');
  await page.getByRole('link', { name: "S'inscrire à l'événement" }).click();
  await page.waitForURL(/\/evenements\/\d+#inscription$/);

  // The Atom feed and the sitemap carry the article.
  const feed = await (await page.request.get(base + '/actualites.atom')).text();
  assert.match(feed, /<title>Trois nouvelles SIAE rejoignent Passerelle<\/title>/);
  assert.match(feed, /<category term="insertion"/);
  const sitemap = await (await page.request.get(base + '/sitemap.xml')).text();
  assert.match(sitemap, /\/actualites\/trois-nouvelles-siae-rejoignent-passerelle<\/loc>/);
  assert.match(sitemap, /\/evenements\/\d+<\/loc>/);

  // The observatory: every chart is drawn and stands beside its table; the event's requests are counted.
  await page.goto(base + '/observatoire');
  await page.getByRole('heading', { name: 'Rendez-vous d\'affaires des événements' }).waitFor();
  await page.waitForFunction(() => {
    const all = document.querySelectorAll('canvas[data-chart]');
    return all.length > 0 && [...all].every((c) => c.getAttribute('data-drawn') === 'true');
  });
  const events = page.getByRole('table', { name: 'Rendez-vous d\'affaires des événements' });
  await events.getByRole('rowheader', { name: /Matinale des achats publics/ }).waitFor();
  await check('observatoire');
  const api = await (await page.request.get(base + '/api/v1/observatoire/evenements')).json();
  assert.ok(Number(api.tables.evenements.rows[0][2]) > 0, 'meeting requests are counted');
  const csv = await page.request.get(base + '/observatoire/titulaires-par-taille.csv');
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^\uFEFFCatégorie,Contrats,Part en nombre,Montant,Part en montant\r\n/);
  // A malformed filter is refused in French, the page does not break.
  const bad = await page.request.get(base + '/observatoire?annee=deux-mille');
  assert.equal(bad.status(), 400);
  assert.match(await bad.text(), /L&apos;année doit s&apos;écrire sur quatre chiffres/);
  // The filters: the year of the demo event keeps its row.
  await page.getByLabel('Année de notification').selectOption({ index: 0 });
  await page.getByLabel("Département d'exécution").selectOption('93');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/departement=93/);
  await page.getByRole('link', { name: 'Tout voir' }).waitFor();
});
