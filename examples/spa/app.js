// The sample browser app: sign in through the environment's hosted sign-in (authorization code +
// PKCE, by oidc-client-ts), call GET /me with the access token, refresh the token, sign out.
//
// Everything environment-specific comes from /config.json, which `make outputs ENV=<env>` writes
// from the deployed stacks' outputs. Nothing here names a URL, a client ID or a pool.
//
// Federated sign-in straight to one identity provider: open the app as /?identity_provider=<name>
// (or give config.json an "identity_provider"), and Sign in sends it to /oauth2/authorize, which
// skips the hosted page and redirects to that provider's own sign-in page.
//
// Where tokens live: in sessionStorage (oidc-client-ts's default for the signed-in user), which
// ends with the tab and is not shared with other tabs. The sign-in's transient state (the PKCE
// verifier) goes there too, not to the library's default of localStorage. Never localStorage for
// tokens: it outlives the tab and every script of the origin can read it at any later time (see
// README.md).
import { UserManager, WebStorageStateStore } from "oidc-client-ts";

const ui = Object.fromEntries(
  [
    "status", "environment", "sign-in", "call-me", "refresh", "sign-out", "token-info", "claims", "me-status",
    "me-body", "error",
  ].map(
    (id) => [id, document.getElementById(id)],
  ),
);
let refreshes = 0;

function setState(state) {
  // For people: the texts below. For the browser test: these data attributes.
  document.body.dataset.state = state;
}

function showError(message) {
  ui.error.textContent = message;
  document.body.dataset.error = "yes";
}

async function loadConfig() {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`/config.json answered HTTP ${response.status}; run make outputs ENV=<env>`);
  }
  return response.json();
}

// The registered URL on this page's own origin: a redirect must come back to where it started.
function onThisOrigin(urls) {
  return urls.find((url) => new URL(url).origin === window.location.origin);
}

function makeUserManager(config, redirectUri) {
  return new UserManager({
    // authority, client_id, scope and the provider's metadata (so no discovery request is made).
    ...config.oidc,
    redirect_uri: redirectUri,
    response_type: "code", // PKCE (S256) is on by default
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renews shortly before the access token expires, with the refresh token (no iframe).
    automaticSilentRenew: true,
    loadUserInfo: false,
  });
}

function render(user) {
  const signedIn = Boolean(user && !user.expired);
  ui["sign-in"].disabled = signedIn;
  for (const id of ["call-me", "refresh", "sign-out"]) ui[id].disabled = !signedIn;
  if (signedIn) {
    ui.status.textContent = `Signed in as ${user.profile.email ?? user.profile.sub}.`;
    const expires = new Date(user.expires_at * 1000).toLocaleTimeString();
    ui["token-info"].textContent = `Access token expires at ${expires}; refreshed ${refreshes} time(s).`;
    // The ID token's claims as the app received them (mapped attributes, custom:idp_groups, identities).
    ui.claims.textContent = JSON.stringify(user.profile, null, 2);
  } else {
    ui.status.textContent = "Signed out.";
    ui["token-info"].textContent = "";
    ui.claims.textContent = "";
  }
  document.body.dataset.refreshes = String(refreshes);
  setState(signedIn ? "signed-in" : "signed-out");
}

async function callMe(userManager, config) {
  // Set before the first await, so no one reads the previous call's answer as this one's.
  document.body.dataset.me = "pending";
  ui["me-status"].textContent = "Calling…";
  ui["me-body"].textContent = "";
  const user = await userManager.getUser();
  if (!user) {
    document.body.dataset.me = "signed-out";
    return showError("Sign in first.");
  }
  let response;
  try {
    response = await fetch(new URL("me", config.api.base_url), {
      headers: { Authorization: `Bearer ${user.access_token}` },
    });
  } catch (error) {
    // The browser hides why; a CORS refusal is the usual cause when the API itself is up.
    document.body.dataset.me = "blocked";
    ui["me-status"].textContent =
      `The browser blocked the call or could not reach the API (${error.message}). If the API is up, ` +
      `this origin is not allowed by CORS: ${window.location.origin} must be in api.cors.allow_origins ` +
      `(now: ${config.api.allowed_origins.join(", ")}).`;
    return;
  }
  const text = await response.text();
  document.body.dataset.me = String(response.status);
  ui["me-status"].textContent =
    response.status === 401 ? "HTTP 401: the API refused the token; sign in again." : `HTTP ${response.status}`;
  try {
    ui["me-body"].textContent = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    ui["me-body"].textContent = text;
  }
}

async function refresh(userManager) {
  document.body.dataset.refreshing = "yes";
  try {
    // With a refresh token in the stored user, this is a refresh_token grant at the token endpoint.
    await userManager.signinSilent();
    refreshes += 1;
    render(await userManager.getUser());
  } catch (error) {
    showError(`Refreshing the token failed: ${error.message}. Sign in again.`);
  } finally {
    delete document.body.dataset.refreshing;
  }
}

async function signOut(userManager, config, logoutUri) {
  if (!logoutUri) {
    return showError(
      `No sign-out URL of client ${config.client} is on ${window.location.origin} ` +
        `(logout_urls: ${config.post_logout_redirect_uris.join(", ") || "none"}).`,
    );
  }
  // Forget the tokens here first, then end the hosted sign-in's session. Cognito's /logout takes
  // client_id and logout_uri (not OpenID's end_session parameters), and redirects to logout_uri.
  await userManager.removeUser();
  const url = new URL(config.logout.endpoint);
  url.searchParams.set("client_id", config.oidc.client_id);
  url.searchParams.set("logout_uri", logoutUri);
  window.location.assign(url.href);
}

// The provider to send the user to: the page's ?identity_provider=, else config.json's, else none
// (the hosted page lets the user choose).
function identityProvider(config, here) {
  return here.searchParams.get("identity_provider") || config.identity_provider || null;
}

async function main() {
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    setState("error");
    return showError(`No configuration: ${error.message}`);
  }
  ui.environment.textContent = `Environment ${config.environment}, client ${config.client}.`;
  const redirectUri = onThisOrigin(config.redirect_uris);
  if (!redirectUri) {
    setState("error");
    return showError(
      `This app runs on ${window.location.origin}, but client ${config.client} has no callback URL there ` +
        `(callback_urls: ${config.redirect_uris.join(", ")}). Add ${window.location.origin}/callback to ` +
        `callback_urls in config/${config.environment}.yaml and deploy.`,
    );
  }
  const logoutUri = onThisOrigin(config.post_logout_redirect_uris);
  const userManager = makeUserManager(config, redirectUri);
  userManager.events.addUserLoaded((user) => render(user));
  userManager.events.addSilentRenewError((error) => showError(`Automatic renewal failed: ${error.message}`));

  const here = new URL(window.location.href);
  const isCallback =
    here.pathname === new URL(redirectUri).pathname &&
    (here.searchParams.has("code") || here.searchParams.has("error"));
  if (isCallback) {
    try {
      // Checks the state, then exchanges the code with the PKCE verifier kept in sessionStorage.
      await userManager.signinCallback();
    } catch (error) {
      showError(`Sign-in failed: ${error.error_description ?? error.message}`);
    }
    // The code is single-use, but keep it out of the address bar and the history anyway.
    window.history.replaceState(null, "", "/");
  }

  const provider = identityProvider(config, here);
  const extraQueryParams = provider ? { identity_provider: provider } : undefined;
  ui["sign-in"].addEventListener("click", () =>
    userManager
      .signinRedirect({ extraQueryParams })
      .catch((error) => showError(`Sign-in could not start: ${error.message}`)),
  );
  ui["call-me"].addEventListener("click", () => callMe(userManager, config));
  ui.refresh.addEventListener("click", () => refresh(userManager));
  ui["sign-out"].addEventListener("click", () => signOut(userManager, config, logoutUri));
  render(await userManager.getUser());
}

main();
