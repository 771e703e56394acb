"""The catalogue of real changes the review tests judge, each synthesized once per session.

A change is a base config and a head config (and, for a code change, an edit of the built app),
both synthesized in-process. The verdict tests look changes up by name; the CDK cross-check runs
CDK's own template diff on every one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito

from cdk_app.config import EnvironmentConfig
from cdk_app.config.federation import OidcConfig, SamlConfig
from cdk_app.config.sign_in import PasskeyConfig, SignInPolicyConfig
from cdk_app.config.user_pool import EmailConfig, SesConfig
from change_review import Report, review_assemblies
from change_review.allow import AllowEntry
from change_review.core.assembly import load_stacks
from change_review.core.model import ResourceChange
from tests.review.builds import Edit, changed, drop_outputs, new_logical_ids, synth_config, with_client

Build = Callable[[EnvironmentConfig], EnvironmentConfig]


def only(report: Report, logical_id: str) -> ResourceChange:
    """The one change of a resource (by its logical ID at base or at head)."""
    matches = [c for c in report.changes if logical_id in {c.logical_id, c.new_logical_id}]
    assert len(matches) == 1, [c.title for c in report.changes]
    return matches[0]


def logical_id(assembly: Path, stack: str, resource_type: str, **props: object) -> str:
    """The logical ID of the one resource of a type with these properties (no hashed IDs in tests)."""
    (template,) = [t for (_, name), t in load_stacks(assembly).items() if name == stack]
    found = [
        k
        for k, r in template.resources.items()
        if r["Type"] == resource_type and all(r.get("Properties", {}).get(p) == v for p, v in props.items())
    ]
    assert len(found) == 1, found
    return found[0]


def of_type(report: Report, resource_type: str, action: str | None = None) -> list[ResourceChange]:
    """Every change of resources of one type (and action), in report order."""
    return [c for c in report.changes if c.resource_type == resource_type and action in {None, c.action}]


def _same(config: EnvironmentConfig) -> EnvironmentConfig:
    return config


def protected(config: EnvironmentConfig) -> EnvironmentConfig:
    """The pool with deletion protection on and RETAIN, as staging and prod have it."""
    return changed(
        changed(config, "user_pool.deletion_protection", True), "user_pool.removal_policy", "retain"
    )


def production_tier(config: EnvironmentConfig) -> EnvironmentConfig:
    """dev as a production-tier environment, with what the tier rules require of one (protection,
    MFA, threat protection, WAF, an alert destination, a concurrency ceiling, the logs key, the
    scheduled user export and the certificate check)."""
    config = protected(changed(config, "tier", "production"))
    for path, value in (
        ("user_pool.mfa.mode", "required"),
        ("user_pool.feature_plan", "plus"),
        ("user_pool.threat_protection.standard_auth", "enforced"),
        ("waf.enabled", True),
        ("monitoring.alerts.emails", ("alerts@example.com",)),
        ("api.function.reserved_concurrency", 10),
        ("logs.kms", "managed"),
        ("backup.enabled", True),
        ("idp_cert_check.enabled", True),
    ):
        config = changed(config, path, value)
    return config


def with_oidc(name: str, identifiers: tuple[str, ...] = ()) -> Build:
    """An OIDC provider called ``name`` (with these identifiers), offered by the spa client."""

    def build(config: EnvironmentConfig) -> EnvironmentConfig:
        oidc = OidcConfig.model_validate(
            {
                "name": name,
                "issuer": "https://idp.example.com/",
                "client_id": "okta-client-id-placeholder",
                "client_secret": {"secret_name": "cognito-sso/dev/okta", "json_key": "client_secret"},
                "identifiers": identifiers,
            }
        )
        providers = config.identity_providers.model_copy(update={"oidc": (oidc,)})
        config = config.model_copy(update={"identity_providers": providers})
        spa = next(c for c in config.clients if c.name == "spa")
        return with_client(config, "spa", identity_providers=(*spa.identity_providers, name))

    return build


ACME_2026 = "tests/review/metadata/acme-2026.xml"
ACME_2027 = "tests/review/metadata/acme-2027.xml"
ACME_MAPPING = {"email": "email", "name": "displayName"}


def with_saml(
    name: str = "Acme",
    *,
    metadata: str = ACME_2026,
    identifiers: tuple[str, ...] = ("acme.example.com",),
    mapping: dict[str, str] = ACME_MAPPING,
    offered: bool = True,
) -> Build:
    """A SAML provider from a committed metadata file, offered by the spa client unless ``offered`` is off."""

    def build(config: EnvironmentConfig) -> EnvironmentConfig:
        saml = SamlConfig.model_validate(
            {
                "name": name,
                "metadata_file": metadata,
                "identifiers": identifiers,
                "attribute_mapping": mapping,
            }
        )
        providers = config.identity_providers.model_copy(update={"saml": (saml,)})
        config = config.model_copy(update={"identity_providers": providers})
        if not offered:
            return config
        spa = next(c for c in config.clients if c.name == "spa")
        return with_client(config, "spa", identity_providers=(*spa.identity_providers, name))

    return build


def in_account(account: str) -> Build:
    return lambda config: changed(config, "account", account)


def renamed_group(old: str, new: str) -> Build:
    """A group with a new name, and the admin group and the token trigger's scopes that name it."""

    def build(config: EnvironmentConfig) -> EnvironmentConfig:
        groups = tuple(
            g.model_copy(update={"name": new}) if g.name == old else g for g in config.user_pool.groups
        )
        config = changed(config, "user_pool.groups", groups)
        trigger = config.token_customization
        if trigger is not None and old in trigger.group_scopes:
            scopes = {new if g == old else g: s for g, s in trigger.group_scopes.items()}
            config = changed(config, "token_customization.group_scopes", scopes)
        return changed(config, "api.admin_group", new) if config.api.admin_group == old else config

    return build


def renamed_client(old: str, new: str) -> Build:
    return lambda config: config.model_copy(
        update={
            "clients": tuple(
                c.model_copy(update={"name": new}) if c.name == old else c for c in config.clients
            )
        }
    )


def without_client(name: str) -> Build:
    return lambda config: config.model_copy(
        update={"clients": tuple(c for c in config.clients if c.name != name)}
    )


def renamed_resource_server(old: str, new: str) -> Build:
    """A resource server with a new identifier, and every scope, client and route that names it."""

    def build(config: EnvironmentConfig) -> EnvironmentConfig:
        servers = tuple(
            s.model_copy(update={"identifier": new}) if s.identifier == old else s
            for s in config.resource_servers
        )
        config = changed(changed(config, "resource_servers", servers), "api.scope_server", new)
        for client in config.clients:
            scopes = tuple(s.replace(f"{old}/", f"{new}/") for s in client.scopes)
            config = with_client(config, client.name, scopes=scopes)
        trigger = config.token_customization
        if trigger is not None:
            earned = {
                g: tuple(s.replace(f"{old}/", f"{new}/") for s in ss)
                for g, ss in trigger.group_scopes.items()
            }
            config = changed(config, "token_customization.group_scopes", earned)
        return config

    return build


def reordered_lists(config: EnvironmentConfig) -> EnvironmentConfig:
    """Every list whose order means nothing, reversed: callback URLs, scopes, groups, clients."""
    for client in config.clients:
        config = with_client(
            config, client.name, callback_urls=client.callback_urls[::-1], scopes=client.scopes[::-1]
        )
    servers = tuple(s.model_copy(update={"scopes": s.scopes[::-1]}) for s in config.resource_servers)
    config = changed(config, "resource_servers", servers)
    config = changed(config, "user_pool.groups", config.user_pool.groups[::-1])
    return config.model_copy(update={"clients": config.clients[::-1]})


def with_custom_attributes(**max_lengths: int) -> Build:
    """Custom attributes shaped like ``idp_groups``, each with the given maximum length."""

    def build(config: EnvironmentConfig) -> EnvironmentConfig:
        template = config.user_pool.custom_attributes["idp_groups"]
        attrs = {name: template.model_copy(update={"max_length": n}) for name, n in max_lengths.items()}
        return changed(config, "user_pool.custom_attributes", attrs)

    return build


DEV_HOSTED_DOMAIN = "sso-dev-example-1234.auth.eu-west-1.amazoncognito.com"


def with_factors(*factors: str, relying_party_id: str | None = None) -> Build:
    """dev with these first factors (SES on, the spa client choice-based) and, for passkeys, this RP ID."""

    def build(config: EnvironmentConfig) -> EnvironmentConfig:
        passkeys = PasskeyConfig(relying_party_id=relying_party_id) if relying_party_id else None
        policy = SignInPolicyConfig(first_factors=factors, passkeys=passkeys)  # type: ignore[arg-type]
        config = changed(config, "user_pool.sign_in_policy", policy)
        config = changed(
            config, "user_pool.email", EmailConfig(ses=SesConfig(from_email="no-reply@auth.example.com"))
        )
        spa = next(c for c in config.clients if c.name == "spa")
        urls = (*spa.callback_urls, "https://app.example.com/callback")
        return with_client(config, "spa", choice_based_sign_in=True, callback_urls=urls)

    return build


def drop_sign_in_policy(app: cdk.App) -> None:
    """An edit leaving the sign-in policy out of the pool's template, as plain CDK does without one."""
    pools = [n for n in app.node.find_all() if isinstance(n, cognito.CfnUserPool)]
    assert len(pools) == 1
    pools[0].add_property_deletion_override("Policies.SignInPolicy")


def new_tag_and_callback(config: EnvironmentConfig) -> EnvironmentConfig:
    spa = next(c for c in config.clients if c.name == "spa")
    config = changed(config, "tags", {**config.tags, "CostCenter": "identity"})
    return with_client(config, "spa", callback_urls=(*spa.callback_urls, "https://app.example.com/callback"))


@dataclass(frozen=True)
class Change:
    """A head built from dev (optionally edited as code), compared with a base built from dev."""

    head: Build
    base: str = "dev"
    edit: Edit | None = None


BASES: dict[str, Build] = {
    "dev": _same,
    "dev, protected": protected,
    "dev, production tier": production_tier,
    "dev with Okta": with_oidc("Okta"),
    "dev with Okta for okta.example.com": with_oidc("Okta", identifiers=("okta.example.com",)),
    "dev with Acme (SAML)": with_saml(),
    "dev in account 111111111111": in_account("111111111111"),
    "dev with email codes": with_factors("password", "email_otp"),
    "dev with passkeys": with_factors("password", "email_otp", "passkey", relying_party_id=DEV_HOSTED_DOMAIN),
}

CHANGES: dict[str, Change] = {
    # What the review has always judged.
    "sign-in identifiers": Change(
        lambda c: changed(c, "user_pool.sign_in.identifiers", ("email", "username"))
    ),
    "case sensitivity": Change(lambda c: changed(c, "user_pool.sign_in.case_sensitive", True)),
    "spa client becomes web": Change(lambda c: with_client(c, "spa", kind="web")),
    "domain prefix": Change(lambda c: changed(c, "domain.prefix", "sso-dev-renamed-5678")),
    "custom attribute added": Change(with_custom_attributes(idp_groups=2048, tenant=64)),
    "custom attribute narrowed": Change(with_custom_attributes(idp_groups=1024)),
    "tag and callback URL": Change(new_tag_and_callback),
    # Issue 12: renamed named children, whatever their logical IDs.
    "group renamed": Change(renamed_group("admins", "administrators")),
    "group renamed, new logical ID": Change(
        renamed_group("admins", "administrators"),
        edit=new_logical_ids({"UserPoolGroupAdministrators063E43FA": "GroupB"}),
    ),
    "resource server renamed": Change(renamed_resource_server("api", "api2")),
    "provider renamed": Change(with_oidc("OktaWorkforce"), base="dev with Okta"),
    "client renamed": Change(renamed_client("spa", "portal")),
    "client removed": Change(without_client("machine")),
    # Issues 20 and 21: the identity-provider lifecycle.
    "provider removed": Change(_same, base="dev with Okta"),
    "provider renamed, identifiers kept": Change(
        with_oidc("OktaWorkforce", identifiers=("okta.example.com",)),
        base="dev with Okta for okta.example.com",
    ),
    "provider renamed, new identifiers": Change(
        with_oidc("OktaWorkforce", identifiers=("workforce.example.com",)),
        base="dev with Okta for okta.example.com",
    ),
    "provider type changed, identifiers kept": Change(
        with_saml("AcmeSaml", identifiers=("okta.example.com",)), base="dev with Okta for okta.example.com"
    ),
    "provider metadata changed": Change(with_saml(metadata=ACME_2027), base="dev with Acme (SAML)"),
    "provider mapping changed": Change(
        with_saml(mapping={**ACME_MAPPING, "name": "cn"}), base="dev with Acme (SAML)"
    ),
    "provider added": Change(with_saml(offered=False)),
    # Issue 12: protections, moves, outputs.
    "protection on": Change(protected),
    "protection off": Change(_same, base="dev, protected"),
    "deletion protection off": Change(
        lambda c: changed(protected(c), "user_pool.deletion_protection", False), base="dev, protected"
    ),
    "retain to destroy": Change(
        lambda c: changed(protected(c), "user_pool.removal_policy", "destroy"), base="dev, protected"
    ),
    "termination protection off": Change(_same, base="dev, production tier"),
    "region moved": Change(lambda c: changed(c, "region", "eu-central-1")),
    "account moved": Change(in_account("222222222222"), base="dev in account 111111111111"),
    "account pinned": Change(in_account("111111111111")),
    "outputs removed and changed": Change(
        _same, edit=drop_outputs("MeRouteUrl", "UserPoolArn", IssuerUrl="https://issuer.example.com")
    ),
    # Issue 12: replacements that keep a name that must be unique.
    "pool logical ID changed": Change(_same, edit=new_logical_ids({"UserPool": "Pool"})),
    "group logical IDs changed": Change(
        lambda c: changed(c, "user_pool.groups", c.user_pool.groups[::-1]),
        edit=new_logical_ids(
            {"UserPoolGroupAdmins71FF1420": "AdminsGroup", "UserPoolGroupUsersE9450965": "UsersGroup"}
        ),
    ),
    "resource server logical ID changed": Change(
        _same, edit=new_logical_ids({"ResourceServersApiE141F2A4": "Scopes"})
    ),
    # Issue 14: sign-in factors and passkeys.
    "passkeys and email codes added": Change(
        with_factors("password", "email_otp", "passkey", relying_party_id=DEV_HOSTED_DOMAIN)
    ),
    "email codes taken away": Change(with_factors("password"), base="dev with email codes"),
    "sign-in policy dropped": Change(
        with_factors("password", "email_otp"), base="dev with email codes", edit=drop_sign_in_policy
    ),
    "relying party ID changed": Change(
        with_factors("password", "email_otp", "passkey", relying_party_id="app.example.com"),
        base="dev with passkeys",
    ),
    # Safe changes that must stay SAFE.
    "tag value renamed": Change(lambda c: changed(c, "tags", {**c.tags, "Environment": "development"})),
    "lists reordered": Change(reordered_lists),
}


class Assemblies:
    """Each base and each head synthesized on first use, once per session.

    A head with no code edit whose config equals one synthesized already (``protection on`` is
    the base ``dev, protected``) shares that assembly: the same config makes the same templates.
    """

    def __init__(self, dev: EnvironmentConfig, root: Path) -> None:
        self._dev = dev
        self._root = root
        self._built: dict[str, Path] = {}
        self._by_config: dict[str, Path] = {}

    def base(self, name: str) -> Path:
        """The cloud assembly of the base ``name`` (a key of ``BASES``)."""
        key = f"base {name}"
        return self._build(key, lambda: self._synth_config(key, BASES[name](self._dev)))

    def head(self, name: str) -> Path:
        """The cloud assembly of the change ``name`` (a key of ``CHANGES``)."""
        change = CHANGES[name]
        key = f"head {name}"
        if change.edit is not None:
            return self._build(key, lambda: synth_config(change.head(self._dev), self._dir(key), change.edit))
        return self._build(key, lambda: self._synth_config(key, change.head(self._dev)))

    def review(self, name: str, allow: Sequence[AllowEntry] = ()) -> Report:
        """The review of the change ``name``: its base against its head."""
        return review_assemblies(self.base(CHANGES[name].base), self.head(name), allow)

    def _synth_config(self, key: str, config: EnvironmentConfig) -> Path:
        same = config.model_dump_json()
        if same not in self._by_config:
            self._by_config[same] = synth_config(config, self._dir(key))
        return self._by_config[same]

    def _build(self, key: str, synth: Callable[[], Path]) -> Path:
        if key not in self._built:
            self._built[key] = synth()
        return self._built[key]

    def _dir(self, key: str) -> Path:
        return self._root / "".join(ch if ch.isalnum() else "-" for ch in key)
