"""One config error per documented constraint: each names the field and says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cdk_app.config import EnvironmentConfig
from tests.config.conftest import Refused, WriteConfig

Raw = dict[str, Any]


def pool(raw: Raw) -> Raw:
    result: Raw = raw["user_pool"]
    return result


def spa(raw: Raw) -> Raw:
    result: Raw = raw["clients"][0]
    return result


def m2m(raw: Raw) -> Raw:
    result: Raw = raw["clients"][1]
    return result


def production(raw: Raw) -> None:
    raw["tier"] = "production"
    pool(raw).update(
        mfa={"mode": "required", "factors": ["totp"]},
        feature_plan="plus",
        threat_protection={"standard_auth": "enforced"},
        deletion_protection=True,
        removal_policy="retain",
    )
    raw["waf"] = {"enabled": True}
    raw["monitoring"] = {"alerts": {"emails": ["alerts@example.com"]}}


CASES: list[tuple[str, Callable[[Raw], None], str, str]] = [
    ("identifier", lambda r: pool(r)["sign_in"].update(identifiers=["nickname"]), "user_pool.sign_in.identifiers[0]", "'email', 'username' or 'phone'"),
    ("identifier repeated", lambda r: pool(r)["sign_in"].update(identifiers=["email", "email"]), "user_pool.sign_in", "must not repeat"),
    ("short password", lambda r: pool(r)["password_policy"].update(min_length=6), "user_pool.password_policy.min_length", "must be at least 8"),
    ("no symbols", lambda r: pool(r)["password_policy"].update(require_symbols=False), "user_pool.password_policy.require_symbols", "True"),
    ("threat protection without plus", lambda r: pool(r).update(threat_protection={"standard_auth": "audit"}), "user_pool.threat_protection", "needs feature_plan 'plus'"),
    ("email mfa without ses", lambda r: pool(r)["mfa"].update(factors=["totp", "email"]), "user_pool.mfa.factors", "email.ses"),
    ("email mfa on lite", lambda r: (pool(r).update(feature_plan="lite"), pool(r)["mfa"].update(factors=["email"])), "user_pool.mfa.factors", "'essentials' or 'plus'"),
    ("mfa required without factors", lambda r: pool(r).update(mfa={"mode": "required", "factors": []}), "user_pool.mfa", "at least one factor"),
    ("unknown standard attribute", lambda r: pool(r)["standard_attributes"].update(shoe_size={}), "user_pool.standard_attributes", "unknown attribute"),
    ("prevent reuse on lite", lambda r: (pool(r).update(feature_plan="lite"), pool(r)["password_policy"].update(prevent_reuse=3)), "user_pool.password_policy.prevent_reuse", "'essentials' or 'plus'"),
    ("prod without deletion protection", lambda r: (production(r), pool(r).update(deletion_protection=False)), "user_pool.deletion_protection", "production"),
    ("prod destroy", lambda r: (production(r), pool(r).update(removal_policy="destroy")), "user_pool.removal_policy", "retain"),
    ("prod without waf", lambda r: (production(r), r.update(waf={"enabled": False})), "waf.enabled", "production"),
    ("prod without sign-in logs", lambda r: (production(r), r.update(monitoring={**r.get("monitoring", {}), "sign_in_logs": False})), "monitoring.sign_in_logs", "production"),
    ("prod optional mfa", lambda r: (production(r), pool(r).update(mfa={"mode": "optional", "factors": ["totp"]})), "user_pool.mfa.mode", "required"),
    ("http callback", lambda r: spa(r).update(callback_urls=["http://app.example.com/cb"]), "clients[0].callback_urls", "client 'spa': 'http://app.example.com/cb': http is only allowed for localhost"),
    ("wildcard callback", lambda r: spa(r).update(callback_urls=["https://*.example.com/cb"]), "clients[0].callback_urls", "client 'spa': 'https://*.example.com/cb': wildcards"),
    ("fragment callback", lambda r: spa(r).update(callback_urls=["https://app.example.com/cb#x"]), "clients[0].callback_urls", "client 'spa': 'https://app.example.com/cb#x': a fragment"),
    ("non-https logout", lambda r: spa(r).update(logout_urls=["ftp://app.example.com/"]), "clients[0].logout_urls", "client 'spa': 'ftp://app.example.com/': must be an https URL"),
    ("refresh shorter than access", lambda r: spa(r).update(refresh_token_validity_days=1, access_token_validity_minutes=1440), "clients[0]", "outlast"),
    ("m2m with callback", lambda r: m2m(r).update(callback_urls=["https://app.example.com/cb"]), "clients[1]", "no callback_urls"),
    ("m2m with provider", lambda r: m2m(r).update(identity_providers=["Google"]), "clients[1]", "no identity_providers"),
    ("m2m with oidc scope", lambda r: m2m(r).update(scopes=["openid", "api/read"]), "clients[1]", "resource-server scopes"),
    ("spa with password auth", lambda r: spa(r).update(auth_flows=["user_password"]), "clients[0]", "must not allow user_password"),
    ("spa without callback", lambda r: spa(r).update(callback_urls=[]), "clients[0]", "at least one callback URL"),
    ("undefined provider", lambda r: spa(r).update(identity_providers=["COGNITO", "Okta"]), "clients[0].identity_providers", "'Okta' (client 'spa') is not defined"),
    ("undefined scope", lambda r: spa(r).update(scopes=["openid", "api/delete"]), "clients[0].scopes", "'api/delete'"),
    ("duplicate client", lambda r: r["clients"].append(dict(spa(r))), "clients", "unique"),
    ("admin scope is allowed only when listed", lambda r: spa(r).update(scopes=["openid", "aws.cognito.signin.user.admins"]), "clients[0].scopes", "neither an OIDC scope"),
    ("prefix uppercase", lambda r: r["domain"].update(prefix="My-Prefix"), "domain.prefix", "lowercase"),
    ("prefix reserved word", lambda r: r["domain"].update(prefix="my-cognito-login"), "domain.prefix", "reserves"),
    ("prefix and custom", lambda r: r["domain"].update(custom={"domain_name": "auth.example.com", "hosted_zone_id": "Z123", "hosted_zone_name": "example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"}), "domain", "exactly one of prefix or custom"),
    ("certificate outside us-east-1", lambda r: r.update(domain={"custom": {"domain_name": "auth.example.com", "hosted_zone_id": "Z123", "hosted_zone_name": "example.com", "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"}}), "domain.custom.certificate_arn", "us-east-1"),
    ("domain outside zone", lambda r: r.update(domain={"custom": {"domain_name": "auth.other.org", "hosted_zone_id": "Z123", "hosted_zone_name": "example.com", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"}}), "domain.custom", "subdomain"),
    ("created certificate needs account", lambda r: r.update(domain={"custom": {"domain_name": "auth.example.com", "hosted_zone_id": "Z123", "hosted_zone_name": "example.com"}}), "domain.custom.certificate_arn", "account and region"),
    ("saml with both sources", lambda r: r["identity_providers"].update(saml=[{"name": "Acme", "metadata_url": "https://idp.example.com/m", "metadata_file": "tests/fixtures/config/saml/acme-corp.xml"}]), "identity_providers.saml[0]", "exactly one of metadata_url or metadata_file"),
    ("saml over http", lambda r: r["identity_providers"].update(saml=[{"name": "Acme", "metadata_url": "http://idp.example.com/m"}]), "identity_providers.saml[0].metadata_url", "https"),
    ("saml file missing", lambda r: r["identity_providers"].update(saml=[{"name": "Acme", "metadata_file": "tests/fixtures/config/saml/missing.xml"}]), "identity_providers.saml[0].metadata_file", "does not exist"),
    ("saml file outside repo", lambda r: r["identity_providers"].update(saml=[{"name": "Acme", "metadata_file": "../../etc/passwd"}]), "identity_providers.saml[0].metadata_file", "inside the repository"),
    ("saml file not metadata", lambda r: r["identity_providers"].update(saml=[{"name": "Acme", "metadata_file": "tests/fixtures/config/saml/README.xml"}]), "identity_providers.saml[0].metadata_file", "EntityDescriptor"),
    ("oidc over http", lambda r: r["identity_providers"].update(oidc=[{"name": "Corp", "issuer": "http://idp.example.com", "client_id": "x", "client_secret": {"secret_name": "s"}}]), "identity_providers.oidc[0]", "https"),
    ("oidc without openid", lambda r: r["identity_providers"].update(oidc=[{"name": "Corp", "issuer": "https://idp.example.com", "client_id": "x", "client_secret": {"secret_name": "s"}, "scopes": ["email"]}]), "identity_providers.oidc[0]", "openid"),
    ("reserved provider name", lambda r: r["identity_providers"].update(oidc=[{"name": "COGNITO", "issuer": "https://idp.example.com", "client_id": "x", "client_secret": {"secret_name": "s"}}]), "identity_providers", "reserved"),
    ("mapping to unknown attribute", lambda r: r["identity_providers"]["google"].update(attribute_mapping={"custom": {"team": "hd"}}), "identity_providers.attribute_mapping", "custom:team"),
    ("cors star outside development", lambda r: (r.update(tier="staging"), r["api"]["cors"].update(allow_origins=["*"])), "api.cors.allow_origins", "'*' is not allowed"),
    ("unknown scope server", lambda r: r["api"].update(scope_server="billing"), "api.scope_server", "not a resource server"),
    ("unknown admin group", lambda r: r["api"].update(admin_group="root"), "api.admin_group", "not one of user_pool.groups"),
    ("log retention not offered by CloudWatch", lambda r: r["api"].update(log_retention_days=10), "api.log_retention_days", "must be 1, 3, 5, 7, 14, 30, 60, 90"),
    ("rotation on lite", lambda r: (pool(r).update(feature_plan="lite"), spa(r).update(refresh_token_rotation=True)), "clients[0].refresh_token_rotation", "'essentials' or 'plus'"),
    ("cors origin posing as localhost", lambda r: r["api"]["cors"].update(allow_origins=["http://localhost.evil.example"]), "api.cors.allow_origins", "http only for localhost"),
    ("cors origin with a path", lambda r: r["api"]["cors"].update(allow_origins=["https://app.example.com/app"]), "api.cors.allow_origins", "no path"),
    ("bad account", lambda r: r.update(account="12345"), "account", "must match the pattern"),
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def not_metadata_file() -> Any:
    """A repository XML file without an EntityDescriptor root, removed afterwards."""
    from cdk_app.config.referenced_files import REPO_ROOT

    path = REPO_ROOT / "tests" / "fixtures" / "config" / "saml" / "README.xml"
    path.write_text("<?xml version='1.0'?><note>not metadata</note>")
    yield
    path.unlink()


@pytest.mark.parametrize(("case", "edit", "field", "reason"), CASES, ids=[c[0] for c in CASES])
def test_constraint(
    refused: Refused, case: str, edit: Callable[[Raw], None], field: str, reason: str
) -> None:
    error = refused(case, edit, field, reason)
    assert error.file.endswith("bad.yaml")


def test_unchanged_dev_config_is_valid(
    write_config: WriteConfig, load: Callable[..., EnvironmentConfig]
) -> None:
    write_config()
    assert load().tier == "development"
