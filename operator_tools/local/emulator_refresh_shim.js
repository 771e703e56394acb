// Served only by `make spa` (and the browser test) for an environment with deploy_target: emulator;
// never for AWS, and never part of the sample app itself.
//
// The gap: MiniStack gives the ID token of a refresh_token grant a new auth_time. OpenID Connect
// Core 1.0 section 12.2 and Cognito keep the original sign-in's, and oidc-client-ts rightly refuses
// a refreshed ID token whose auth_time changed, so refreshing would fail on the emulator only. This
// drops the ID token from the emulator's refresh answers, which a token endpoint may do: the app
// keeps the ID token it has. The access token, which the API checks, is passed on untouched.
// docs/local.md lists the gap.
(() => {
  const tokenEndpoint = document.currentScript.dataset.tokenEndpoint;
  const passOn = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const response = await passOn(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const form = init.body instanceof URLSearchParams ? init.body : null;
    if (url !== tokenEndpoint || form?.get("grant_type") !== "refresh_token" || !response.ok) {
      return response;
    }
    const answer = await response.json();
    delete answer.id_token;
    return new Response(JSON.stringify(answer), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
})();
