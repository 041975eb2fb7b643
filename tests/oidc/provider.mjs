// A real OpenID Connect provider for the tests: the npm package oidc-provider on a loopback port, with
// ProConnect's claims (given_name, usual_name, uid, siret, organization_label, roles), ES256 and RS256
// signing keys, signed userinfo, PKCE, and RP-initiated logout. Its login page takes any password; the
// login name picks one of the test agents below.
import http from 'node:http';
import Provider from 'oidc-provider';
import { generateKeyPair, exportJWK } from 'jose';

export const agents = {
  // An agent of the Seine-Saint-Denis (a buyer of the demo data), also an elected official.
  'agent.93': { email: 'aicha.benali@seinesaintdenis.example', given_name: 'Aïcha', usual_name: 'Benali', uid: '93-0042',
    siret: '22930008201453', organization_label: 'Département de la Seine-Saint-Denis', roles: ['agent', 'elu'] },
  // An agent whose identity provider knows no organisation.
  'sans.siret': { email: 'paul.martin@example.org', given_name: 'Paul', usual_name: 'Martin', uid: 'x-1' },
  // An agent of an organisation Passerelle does not know yet (Mairie de Croix, from the DECP files).
  'agent.croix': { email: 'l.dupont@ville-croix.example', given_name: 'Lucie', usual_name: 'Dupont', uid: 'c-7',
    siret: '21590163800019', organization_label: 'Mairie de Croix' },
};

// Listens first (the issuer needs the port), then configures the provider for the relying party whose
// redirect URIs `client()` returns once known.
export async function startProvider() {
  const server = http.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  let provider = null;
  server.on('request', (req, res) => {
    if (!provider) { res.statusCode = 503; res.end(); return; }
    provider.callback()(req, res);
  });
  const configure = async ({ redirectUri, postLogoutUri, clientId = 'passerelle', clientSecret = 'secret-de-test' }) => {
    const es = await generateKeyPair('ES256', { extractable: true });
    const rs = await generateKeyPair('RS256', { extractable: true });
    const keys = [{ ...(await exportJWK(es.privateKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rs.privateKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' }];
    const claimNames = ['email', 'given_name', 'usual_name', 'uid', 'siret', 'organization_label', 'roles'];
    provider = new Provider(issuer, {
      clients: [{
        client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutUri], grant_types: ['authorization_code'], response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256',
      }],
      jwks: { keys },
      claims: Object.fromEntries([['openid', ['sub']], ...claimNames.map((c) => [c, [c]])]),
      scopes: ['openid', ...claimNames],
      features: { devInteractions: { enabled: true }, jwtUserinfo: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      pkce: { required: () => true },
      cookies: { keys: ['passerelle-test-cookie-key'] },
      findAccount: async (ctx, id) => ({
        accountId: id,
        claims: async () => ({ sub: id, ...(agents[id] || { email: `${id}@example.org` }) }),
      }),
    });
    provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
  };
  return { issuer, discovery: `${issuer}/.well-known/openid-configuration`, configure, stop: () => server.close() };
}
