"""Every rule across keys or files, each a plain function, run in one written order by ``check``.

A model checks only its own keys (a pattern, a range, "exactly one of"). A rule that relates keys
in different parts of an environment, or different files, lives here, in the module of its theme:

- ``pool``: what the pool's features need from its plan and its other keys;
- ``sign_in``: what each first factor needs, where passkeys are bound, what the token trigger maps;
- ``tiers``: where an environment may deploy, and what production demands;
- ``references``: every name one key uses is defined by another;
- ``attribute_trust``: no user can set what an identity provider asserts;
- ``pipeline``: the pipeline file against the environments it deploys (across files);
- ``federation``: an environment's identity providers together, across its files (identifiers);
- ``tenants``: each tenant file against its environment (``config/tenants/<env>/*.yaml``).

An *environment rule* takes one ``EnvironmentConfig``; a *project rule* takes ``Loaded``, everything
a run read. Each yields a ``Violation`` (key path, reason, and for a project rule its file) per
problem, and its docstring is the rule in words.

``check`` runs ``ENVIRONMENT_RULES`` on each environment, then ``PROJECT_RULES``, in the order
written below, and returns every violation as a problem at its file, line and key path, in that
order. It runs where config is loaded (``load_environment``, ``load_environments``,
``load_project``), on models whose keys are each valid, so every entry point that reads files gets
the same checks.
Every rule runs, so every problem is reported at once: a rule must not assume an earlier one held
(look a name up, and skip one that is not there: its own rule reports it).

Violations of one rule at the same key of different list items are one kind of problem, shown as
one line with a count (``errors.ConfigError``); so one rule function checks one thing.
"""

from __future__ import annotations

from cdk_app.config.errors import Problem, kind_at
from cdk_app.config.rules import (
    attribute_trust,
    federation,
    pipeline,
    pool,
    references,
    sign_in,
    tenants,
    tiers,
)
from cdk_app.config.rules.subject import EnvironmentRule, Loaded, ProjectRule, Violation, environment_file

ENVIRONMENT_RULES: tuple[EnvironmentRule, ...] = (
    # The pool on its own: what each feature needs from the plan and the pool's other keys.
    pool.threat_protection_needs_plus,
    pool.email_mfa_needs_essentials_or_plus,
    pool.email_mfa_needs_ses,
    pool.email_mfa_leaves_a_password_reset,
    pool.risk_response_needs_threat_protection,
    pool.password_reuse_needs_essentials_or_plus,
    sign_in.passwordless_needs_essentials_or_plus,
    sign_in.passwordless_needs_mfa_not_required,
    sign_in.email_codes_need_ses,
    sign_in.email_codes_need_an_email_address,
    sign_in.sms_codes_need_an_sms_role,
    sign_in.sms_codes_need_a_phone_number,
    sign_in.passkeys_leave_a_way_back_in,
    pool.refresh_token_rotation_needs_essentials_or_plus,
    # Where the environment deploys, and what its tier demands.
    tiers.emulator_environments_stay_local,
    tiers.production_keeps_its_safeguards,
    tiers.production_encrypts_logs_and_keeps_recovery,
    tiers.created_certificate_needs_account_and_region,
    tiers.no_wildcard_origin_outside_development,
    # Every name used is defined.
    references.resource_servers_are_unique,
    references.client_names_are_unique,
    references.client_scopes_are_defined,
    references.client_providers_are_defined,
    references.mapped_attributes_exist,
    references.api_scope_server_is_defined,
    references.api_admin_group_is_defined,
    # No user can set what a provider asserts; every client's lists work with federation.
    attribute_trust.mapped_attributes_are_mutable,
    attribute_trust.client_attributes_are_the_pool_s,
    attribute_trust.no_client_writes_a_verified_flag,
    attribute_trust.clients_read_what_they_write,
    attribute_trust.federating_clients_write_what_is_mapped,
    attribute_trust.asserted_attributes_cannot_be_forged,
    # Sign-in across the environment: clients, domain, groups, scopes.
    sign_in.passwordless_reaches_users_through_a_client,
    sign_in.passkeys_are_bound_to_a_sign_in_domain,
    sign_in.token_customization_needs_essentials_or_plus,
    sign_in.group_scopes_name_pool_groups,
    sign_in.group_scopes_are_resource_server_scopes,
    sign_in.admin_group_earns_the_admin_scope,
    sign_in.earned_scopes_are_not_asked_for,
    sign_in.client_credentials_claims_need_an_m2m_client,
    # Federation: a provider whose signing certificate has expired cannot sign anyone in.
    federation.signing_certificates_are_current,
)

PROJECT_RULES: tuple[ProjectRule, ...] = (
    pipeline.pipeline_environments_exist,
    pipeline.pipeline_environments_have_account_and_region,
    pipeline.pipeline_deploys_lower_tiers_first,
    # Providers across an environment's files: what Cognito refuses only at deploy.
    federation.identifiers_are_unique,
    # Each tenant file against its environment: checked as the environment's own, no name twice.
    tenants.tenants_pass_the_environment_s_rules,
    tenants.tenant_clients_offer_no_other_tenants,
    tenants.shared_clients_offering_tenants_are_not_built_yet,
    tenants.provider_names_are_unique,
    tenants.environment_is_within_cognito_quotas,
)


def check(loaded: Loaded, *, each_environment: bool = True) -> list[Problem]:
    """Every rule's violations in ``loaded``, in rule order, each a problem at its file and line.

    ``each_environment=False`` runs only the rules across files.
    """
    problems: list[Problem] = []
    for name, env in loaded.environments.items() if each_environment else ():
        for env_rule in ENVIRONMENT_RULES:
            for v in env_rule(env):
                file = v.file or environment_file(name)
                problems.append(loaded.sources.problem(file, v.loc, v.reason, _kind(env_rule, v)))
    for project_rule in PROJECT_RULES:
        for v in project_rule(loaded):
            if v.file is None:
                raise ValueError(f"{project_rule.__name__}: a rule across files names the file of {v.loc}")
            problems.append(loaded.sources.problem(v.file, v.loc, v.reason, _kind(project_rule, v)))
    return problems


def _kind(rule: EnvironmentRule | ProjectRule, violation: Violation) -> str:
    """One kind per rule and key, the same at every item of a list (``errors.kind_at``)."""
    return kind_at(f"{rule.__module__}.{rule.__name__}", violation.loc)
