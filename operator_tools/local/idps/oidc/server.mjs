// The local OIDC identity provider: panva's oidc-provider (pinned in package-lock.json) over HTTPS
// on 127.0.0.1, started by operator_tools/local/idps/lifecycle.py as
//   .venv/bin/node server.mjs <settings.json>
//
// Guarantees:
// - one confidential client (client_secret_post), its secret read from a 0600 file, never logged;
// - one test user, reread from its 0600 file at every sign-in and every token, so a changed group
//   shows in the next ID token; its password is compared in constant time and never logged;
// - the ID token carries the claims of the granted scopes (conformIdTokenClaims: false), because
//   Cognito reads only the ID token: email, name and groups;
// - groups is ONE string, the names joined by commas: the emulator maps only scalar claims and
//   drops a JSON array without a word (docs/local.md, gap table), so an array would never reach
//   custom:idp_groups locally;
// - its own login and consent pages; no request, query or form is logged, only errors' messages;
// - GET /_idp/health answers {"kind": "oidc", "pid": ...}, which tells its starter it is this process;
// - with a gateway set, a redirect to the client's redirect URI goes to the gateway instead (the
//   local emulator serves Cognito's host names there); the code and state are unchanged.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

import Provider from 'oidc-provider';

const log = (message) => process.stdout.write(`${new Date().toISOString()} ${message}\n`);
// A fatal error is the log's last line, which the starter quotes in its one-line error.
const fail = (err) => {
  log(`cannot start: ${err.message}`);
  process.exit(1);
};
process.on('uncaughtException', fail);

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const settings = readJson(process.argv[2]);
const client = readJson(settings.client_file);
const keys = readJson(settings.keys_file);
const user = () => readJson(settings.user_file);

const digest = (text) => createHash('sha256').update(String(text), 'utf8').digest();
const sameSecret = (given, expected) => timingSafeEqual(digest(given), digest(expected));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width">
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}label,input,button{display:block;margin:.5rem 0}
.error{color:#a00}</style><h1>${escape(title)}</h1>${body}</html>`;
}

function loginPage(uid, error) {
  const account = user();
  return page('Local OIDC IdP: sign in', `
<p>The local deployment's OpenID Connect provider. Its test user is <b>${escape(account.username)}</b>;
the password is in <code>${escape(settings.user_file_shown)}</code> (mode 0600).</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input name="username" autocomplete="username" autofocus required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`);
}

function consentPage(uid, scopes) {
  return page('Local OIDC IdP: allow access', `
<p>Cognito (client <code>${escape(client.client_id)}</code>) asks for: ${scopes.map(escape).join(', ')}.</p>
<form method="post" action="/interaction/${escape(uid)}/confirm"><button type="submit">Allow</button></form>`);
}

const provider = new Provider(settings.issuer, {
  clients: [{
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: settings.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  conformIdTokenClaims: false,
  cookies: { keys: keys.cookie_keys },
  jwks: keys.jwks,
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, sub) {
    const account = user();
    if (sub !== account.username) return undefined;
    return {
      accountId: sub,
      async claims() {
        const now = user(); // reread: a group changed since sign-in shows in this token
        return { sub, email: now.email, email_verified: true, name: now.name, groups: now.groups.join(',') };
      },
    };
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Local OIDC IdP: error', `<p class="error">${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
  },
});
provider.on('server_error', (ctx, err) => log(`server_error: ${err.message}`));
for (const event of ['authorization.error', 'grant.error', 'backchannel.error']) {
  provider.on(event, (ctx, err) => log(`${event}: ${err.message}`));
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 16384) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Local OIDC IdP: error', '<p>Unknown interaction.</p>'));
  const prompt = details.prompt.name;
  if (req.method === 'GET' && !action) {
    if (prompt === 'login') return send(res, 200, loginPage(uid));
    return send(res, 200, consentPage(uid, String(details.params.scope ?? '').split(' ')));
  }
  if (req.method === 'POST' && action === 'login' && prompt === 'login') {
    const form = await readForm(req);
    const account = user();
    const ok = sameSecret(form.get('username') ?? '', account.username)
      && sameSecret(form.get('password') ?? '', account.password);
    if (!ok) return send(res, 401, loginPage(uid, 'Wrong username or password.'));
    return provider.interactionFinished(req, res, { login: { accountId: account.username } },
      { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'confirm' && prompt === 'consent') {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return send(res, 400, page('Local OIDC IdP: error', '<p>That step does not fit this sign-in.</p>'));
}

// The emulator serves Cognito's host names on its gateway: with a gateway set, a person's browser is
// sent there for the redirect URI's origin (the path, code and state unchanged).
const origins = settings.gateway ? settings.redirect_uris.map((uri) => new URL(uri).origin) : [];
function redirectThroughGateway(res) {
  if (origins.length === 0) return;
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => {
    if (String(name).toLowerCase() === 'location' && typeof value === 'string') {
      const origin = origins.find((o) => value.startsWith(`${o}/`));
      if (origin) value = settings.gateway.replace(/\/$/, '') + value.slice(origin.length);
    }
    return setHeader(name, value);
  };
}

const callback = provider.callback();
const server = createServer({
  key: readFileSync(settings.tls_key),
  cert: readFileSync(settings.tls_cert),
}, async (req, res) => {
  const url = new URL(req.url, settings.issuer);
  try {
    if (url.pathname === '/_idp/health') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ kind: 'oidc', pid: process.pid, issuer: settings.issuer }));
    }
    const match = url.pathname.match(/^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/);
    redirectThroughGateway(res);
    if (match) return await interaction(req, res, match[1], match[2]);
    return callback(req, res);
  } catch (err) {
    log(`error on ${req.method} ${url.pathname}: ${err.message}`);
    if (!res.headersSent) send(res, 400, page('Local OIDC IdP: error', `<p>${escape(err.message)}</p>`));
    else res.end();
  }
});
server.headersTimeout = 10000;
server.requestTimeout = 15000;
server.on('error', (err) => fail(new Error(`cannot listen on ${settings.host}:${settings.port}: ${err.message}`)));
server.listen(settings.port, settings.host, () => {
  process.off('uncaughtException', fail);
  log(`listening on ${settings.issuer}`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
