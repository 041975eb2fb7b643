// Browser test: public agents log in with their shared identity through a real OpenID provider
// (oidc-provider on loopback, tests/oidc/provider.mjs). The agent of the Seine-Saint-Denis is attached to
// its organisation by SIRET and logs out of Passerelle and of the provider; an agent without SIRET is
// refused and told why; an agent of an unknown organisation is queued, the administrator creates it and
// the agent joins it at the next login. axe-core on every page.
//
// usage: node oidc.mjs PASSERELLE_BIN SCREENSHOT_DIR
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenario, login, nextTotp } from './lib.mjs';
import { startProvider } from '../oidc/provider.mjs';

const [bin, shotDir] = process.argv.slice(2);
assert.ok(bin && shotDir, 'usage: node oidc.mjs PASSERELLE_BIN SCREENSHOT_DIR');
const idp = await startProvider();
const config = join(mkdtempSync(join(tmpdir(), 'passerelle-oidc-')), 'oidc.json');
writeFileSync(config, JSON.stringify([{ id: 'proconnect', label: 'ProConnect', discovery_url: idp.discovery,
  client_id: 'passerelle', client_secret: 'secret-de-test',
  scopes: 'openid email given_name usual_name uid siret organization_label roles' }]));

// Through the provider's own pages: its login form (any password) and its consent.
async function signInAtProvider(page, loginName) {
  await page.getByRole('link', { name: 'Se connecter avec ProConnect' }).click();
  await page.locator('input[name=login]').fill(loginName);
  await page.locator('input[name=password]').fill('n-importe-quoi');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

await scenario({
  bin, shotDir, prefix: 'oidc', prepare: [['demo']], serveArgs: ['--oidc-config', config],
  onStart: (server) => idp.configure({ redirectUri: server.base + '/connexion/oidc/proconnect/retour',
    postLogoutUri: server.base + '/connexion?deconnexion=1' }),
  // The provider's development pages fetch outside fonts; a refused login is answered 403 on purpose.
  ignoreConsole: (m) => (m.page()?.url() || '').startsWith(idp.issuer) || m.location().url.startsWith(idp.issuer) ||
    /\/connexion\/oidc\/.*\/retour/.test(m.location().url),
}, async ({ page, base, check }) => {
  await page.goto(base + '/connexion');
  await check('connexion-agents-publics');
  await signInAtProvider(page, 'agent.93');
  await page.waitForURL(/\/mon-espace/);
  await page.getByText('Vous êtes connecté par ProConnect').waitFor();
  await page.getByText('Vous êtes rattaché(e) à « Département de la Seine-Saint-Denis »').waitFor();
  await page.getByText('Acheteur public, membre, élu(e)').waitFor();  // the provider's roles: agent and elected
  await page.getByText('votre compte n\'a pas de mot de passe sur Passerelle').waitFor();
  await check('agent-connecte');
  await page.goto(base + '/mon-espace/feuilles-de-route');
  await page.getByRole('heading', { name: /feuille de route/i }).first().waitFor();
  // The agent turns on two-factor authentication (no password to retype: the login is recent).
  await page.goto(base + '/mon-espace/double-authentification');
  const agentKey = (await page.locator('#cle').innerText()).replace(/\s/g, '');
  await page.getByLabel("Code affiché par l'application").fill(await nextTotp(base, 'agent.93', agentKey));
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();

  // Logout: Passerelle, then the provider (id_token_hint), which sends the browser back.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(/\/connexion\?deconnexion=1/);
  await page.getByText('Vous êtes déconnecté, de Passerelle et de votre fournisseur d\'identité').waitFor();
  await check('deconnecte-du-fournisseur');
  // Not logged back in silently: the provider asks who is there.
  await page.getByRole('link', { name: 'Se connecter avec ProConnect' }).click();
  await page.locator('input[name=login]').waitFor();
  await page.goto(base + '/connexion');

  // With two-factor authentication on, the provider's login is followed by a code; the session opened then is
  // still the provider's (logging out goes through it).
  await signInAtProvider(page, 'agent.93');
  await page.waitForURL(base + '/connexion/code');
  await page.getByLabel('Code à six chiffres').fill(await nextTotp(base, 'agent.93', agentKey));
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.waitForURL(/\/mon-espace/);
  await page.getByText('Vous êtes connecté par ProConnect').waitFor();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(/\/connexion\?deconnexion=1/);

  // Each agent below signs in afresh at the provider (its session cookie is forgotten).
  // Without a SIRET: refused, with what the provider sent and what to do.
  await signInAtProvider(page, 'sans.siret');
  await page.getByText('n\'a pas transmis de SIRET').waitFor();
  await page.getByText('paul.martin@example.org').waitFor();
  await page.getByRole('link', { name: 'Se connecter avec un compte Passerelle' }).waitFor();
  await check('refus-sans-siret');

  // An organisation Passerelle does not know: queued for the administrator.
  await page.context().clearCookies();
  await page.goto(base + '/connexion');
  await signInAtProvider(page, 'agent.croix');
  await page.getByText('Votre organisation n\'est pas encore sur Passerelle').waitFor();
  await page.getByText('21590163800019').waitFor();
  await check('refus-organisation-inconnue');
  await login(page, base, 'admin@passerelle.example', 'Passerelle-Demo-2026');
  await page.goto(base + '/admin/fournisseurs-identite');
  await page.getByText('Joignable — émetteur').waitFor();
  await page.getByText(base + '/connexion/oidc/proconnect/retour').waitFor();
  await check('admin-fournisseurs-identite');
  await page.getByRole('link', { name: /Organisations d'agents à créer \(1\)/ }).click();
  await check('admin-organisations-agents');
  await page.getByRole('button', { name: 'Créer l\'organisation Mairie de Croix' }).click();
  await page.getByText('L\'organisation « Mairie de Croix » est créée').waitFor();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.context().clearCookies();
  await page.goto(base + '/connexion');
  await signInAtProvider(page, 'agent.croix');
  await page.waitForURL(/\/mon-espace/);
  await page.getByText('Vous êtes rattaché(e) à « Mairie de Croix »').waitFor();
  await check('agent-croix-rattache');
  idp.stop();
});
