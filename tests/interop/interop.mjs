// Interoperability check: `dcrctl serve` driven by panva's oauth4webapi, a widely used
// third-party OAuth 2.0 client library (pinned in package-lock.json).
//
// Every request is made by the library itself:
//   - RFC 8414 / OIDC discovery: discoveryRequest + processDiscoveryResponse
//   - RFC 7591 registration:     dynamicClientRegistrationRequest + processDynamicClientRegistrationResponse
//   - RFC 7592 read/update/delete: oauth4webapi has no RFC 7592 helpers, so these go through its
//     protectedResourceRequest with the registration access token as a (DPoP-less) Bearer token.
//
// Environment:
//   DCRCTL_ISSUER  the server's base URL, equal to its --issuer (e.g. http://127.0.0.1:8080)
//   DCRCTL_IAT     an initial access token (`dcrctl token create`)
//
// Exits 0 when every step behaves as the library and RFC 7591/7592 expect, 1 otherwise.

import * as oauth from 'oauth4webapi';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(
  readFileSync(new URL('./node_modules/oauth4webapi/package.json', import.meta.url), 'utf8'),
);

class CheckFailed extends Error {}

function fail(step, message, detail) {
  const extra = detail === undefined ? '' : `\n  detail: ${JSON.stringify(detail)}`;
  throw new CheckFailed(`[${step}] ${message}${extra}`);
}

function check(step, condition, message, detail) {
  if (!condition) fail(step, message, detail);
}

function equalSets(a, b) {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length
    && [...a].sort().every((value, i) => value === [...b].sort()[i]);
}

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`interop: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

// Loopback testing over plain HTTP: the library's documented opt-out of its https-only default.
const insecure = { [oauth.allowInsecureRequests]: true, signal: () => AbortSignal.timeout(10_000) };

const issuer = new URL(env('DCRCTL_ISSUER'));
const initialAccessToken = env('DCRCTL_IAT');

async function discover(algorithm) {
  const step = `discovery (${algorithm})`;
  const response = await oauth.discoveryRequest(issuer, { ...insecure, algorithm });
  const as = await oauth.processDiscoveryResponse(issuer, response);
  check(step, typeof as.registration_endpoint === 'string', 'no registration_endpoint', as);
  console.log(`ok   ${step}: ${new URL(response.url).pathname} -> registration_endpoint ${as.registration_endpoint}`);
  return as;
}

// A 7592 request made by the library with the registration access token as a Bearer token.
// Returns the Response; rejects with the library's WWWAuthenticateChallengeError on a 401.
async function managementRequest(rat, method, uri, { body, ifMatch } = {}) {
  const headers = new Headers({ accept: 'application/json' });
  if (body !== undefined) headers.set('content-type', 'application/json');
  if (ifMatch) headers.set('if-match', ifMatch);
  return oauth.protectedResourceRequest(
    rat,
    method,
    new URL(uri),
    headers,
    body === undefined ? null : JSON.stringify(body),
    insecure,
  );
}

async function json(step, response, status) {
  const text = await response.text();
  check(step, response.status === status, `expected HTTP ${status}, got ${response.status}`, text);
  check(step, (response.headers.get('content-type') ?? '').startsWith('application/json'),
    `content-type is ${response.headers.get('content-type')}`);
  try {
    return JSON.parse(text);
  } catch {
    return fail(step, 'body is not JSON', text);
  }
}

async function main() {
  console.log(`oauth4webapi ${version} against ${issuer.href}`);

  // 1. Discovery, both transformation algorithms the library knows.
  const as = await discover('oauth2');
  const asOidc = await discover('oidc');
  check('discovery', as.registration_endpoint === asOidc.registration_endpoint,
    'the two metadata documents disagree on registration_endpoint', { as, asOidc });

  // 2. RFC 7591 registration with the initial access token.
  const metadata = {
    client_name: 'oauth4webapi interop',
    redirect_uris: ['https://app.example.com/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  let step = 'register';
  const registration = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(as, metadata, { ...insecure, initialAccessToken }),
  );
  check(step, typeof registration.client_id === 'string' && registration.client_id !== '', 'no client_id', registration);
  check(step, typeof registration.client_secret === 'string' && registration.client_secret !== '', 'no client_secret', registration);
  check(step, typeof registration.registration_access_token === 'string', 'no registration_access_token', registration);
  const clientUri = registration.registration_client_uri;
  check(step, clientUri === `${as.registration_endpoint}/${encodeURIComponent(registration.client_id)}`,
    'registration_client_uri is not {registration_endpoint}/{client_id}', registration);
  check(step, equalSets(registration.redirect_uris, metadata.redirect_uris), 'redirect_uris differ', registration);
  check(step, registration.client_name === metadata.client_name, 'client_name differs', registration);
  const rat = registration.registration_access_token;
  const clientSecret = registration.client_secret;
  console.log(`ok   ${step}: 201, client_id ${registration.client_id}, registration_client_uri ${clientUri}`);

  // 3. RFC 7592 §2.1 read.
  step = 'read';
  let response = await managementRequest(rat, 'GET', clientUri);
  const etag = response.headers.get('etag');
  const read = await json(step, response, 200);
  check(step, read.client_id === registration.client_id, 'client_id differs', read);
  // RFC 7592 §3 lets a read omit the secret; dcrctl stores secrets only as hashes and shows one
  // only when it is issued (SPEC §4). A secret that is present must be the registered one.
  check(step, read.client_secret === undefined || read.client_secret === clientSecret, 'client_secret differs', read);
  check(step, read.registration_access_token === undefined || read.registration_access_token === rat,
    'registration_access_token changed on a read', read);
  check(step, read.registration_client_uri === clientUri, 'registration_client_uri differs', read);
  check(step, equalSets(read.redirect_uris, metadata.redirect_uris), 'redirect_uris differ', read);
  check(step, typeof etag === 'string' && etag !== '', 'no ETag');
  console.log(`ok   ${step}: 200, same client_id, registration_client_uri, redirect_uris; client_secret ${
    read.client_secret === undefined ? 'not re-shown (stored hashed)' : 'unchanged'}`);

  // 4. RFC 7592 §2.2 update: a full replacement, with client_id and the current client_secret
  //    as the RFC asks (the library has no helper that would decide otherwise).
  step = 'update';
  const replacement = {
    client_id: registration.client_id,
    client_secret: clientSecret,
    client_name: 'oauth4webapi interop (updated)',
    redirect_uris: ['https://app.example.com/callback', 'https://app.example.com/callback2'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  response = await managementRequest(rat, 'PUT', clientUri, { body: replacement, ifMatch: etag });
  const updated = await json(step, response, 200);
  check(step, updated.client_id === registration.client_id, 'client_id changed', updated);
  check(step, updated.client_secret === undefined || updated.client_secret === clientSecret, 'client_secret changed', updated);
  check(step, updated.registration_client_uri === clientUri, 'registration_client_uri changed', updated);
  check(step, updated.client_name === replacement.client_name, 'client_name not replaced', updated);
  check(step, equalSets(updated.redirect_uris, replacement.redirect_uris), 'redirect_uris not replaced', updated);
  check(step, equalSets(updated.grant_types, replacement.grant_types), 'grant_types not replaced', updated);
  const ratAfterUpdate = updated.registration_access_token ?? rat;

  response = await managementRequest(ratAfterUpdate, 'GET', clientUri);
  const reread = await json('read after update', response, 200);
  check('read after update', equalSets(reread.redirect_uris, replacement.redirect_uris), 'update not persisted', reread);
  check('read after update', reread.client_name === replacement.client_name, 'update not persisted', reread);
  console.log(`ok   ${step}: 200 (If-Match ${etag}), client_name and redirect_uris replaced and persisted`);

  // 5. RFC 7592 §2.3 delete.
  step = 'delete';
  response = await managementRequest(ratAfterUpdate, 'DELETE', clientUri);
  const deleteBody = await response.text();
  check(step, response.status === 204, `expected HTTP 204, got ${response.status}`, deleteBody);
  console.log(`ok   ${step}: 204`);

  // 6. After the delete the registration access token is dead: a read is a 401 Bearer challenge,
  //    which the library surfaces as a WWWAuthenticateChallengeError.
  step = 'read after delete';
  try {
    response = await managementRequest(ratAfterUpdate, 'GET', clientUri);
    fail(step, `expected a 401 challenge, got HTTP ${response.status}`, await response.text());
  } catch (err) {
    if (err instanceof CheckFailed) throw err;
    check(step, err instanceof oauth.WWWAuthenticateChallengeError,
      `expected WWWAuthenticateChallengeError, got ${err?.name}: ${err?.message}`);
    check(step, err.status === 401, `expected HTTP 401, got ${err.status}`);
    const bearer = err.cause.find((challenge) => challenge.scheme === 'bearer');
    check(step, bearer !== undefined, 'no Bearer challenge', err.cause);
    check(step, bearer.parameters.error === 'invalid_token', 'challenge error is not invalid_token', err.cause);
    console.log(`ok   ${step}: 401, WWW-Authenticate: Bearer error="invalid_token"`);
  }

  console.log('interop: all checks passed');
}

main().catch((err) => {
  if (err instanceof CheckFailed) {
    console.error(`interop FAILED ${err.message}`);
  } else {
    // A library error: the server's response did not satisfy oauth4webapi.
    console.error(`interop FAILED: oauth4webapi rejected the server's response: ${err?.name}: ${err?.message}`);
    if (err?.code) console.error(`  code: ${err.code}`);
    if (err?.status !== undefined) console.error(`  HTTP status: ${err.status}`);
    if (err?.cause !== undefined) {
      try {
        console.error(`  cause: ${JSON.stringify(err.cause)}`);
      } catch {
        console.error(`  cause: ${err.cause}`);
      }
    }
    if (err?.stack) console.error(err.stack);
  }
  process.exit(1);
});
