"""Local identity providers for the local deployment: a SAML 2.0 IdP (pysaml2) and an OIDC provider
(panva's ``oidc-provider`` on the project's Node 24), each on 127.0.0.1 over HTTPS with a certificate
from a CA made under ``.local/idps/``, each with one test user in an IdP group.

``lifecycle`` is the API ``make up``/``make down`` call (``start``, ``stop``, ``status``,
``set_user_groups``); ``saml_server`` and ``oidc/server.mjs`` are the two server processes. Nothing
here is used by a real (``deploy_target: aws``) environment.
"""
