"""Federated identity providers (Google, SAML, OIDC) with secrets taken from Secrets Manager."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from cdk_app.config.base import SecretRef
from cdk_app.config.federation import AttributeMappingConfig, IdentityProvidersConfig


def secret_value(ref: SecretRef) -> cdk.SecretValue:
    """A Secrets Manager dynamic reference; CloudFormation resolves it at deploy time only."""
    return cdk.SecretValue.secrets_manager(ref.secret_name, json_field=ref.json_key)


class Federation(Construct):
    """Creates every configured provider and exposes them by the name clients use."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_pool: cognito.IUserPool,
        config: IdentityProvidersConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        self.providers: dict[str, cognito.IUserPoolIdentityProvider] = {}

        google = config.google
        if google is not None:
            self.providers["Google"] = cognito.UserPoolIdentityProviderGoogle(
                self,
                "Google",
                user_pool=user_pool,
                client_id=google.client_id,
                client_secret_value=secret_value(google.client_secret),
                scopes=list(google.scopes),
                attribute_mapping=_mapping(google.attribute_mapping),
            )

        for saml in config.saml:
            metadata = (
                cognito.UserPoolIdentityProviderSamlMetadata.url(str(saml.metadata_url))
                if saml.metadata_url is not None
                else cognito.UserPoolIdentityProviderSamlMetadata.file(saml.metadata_xml)
            )
            self.providers[saml.name] = cognito.UserPoolIdentityProviderSaml(
                self,
                f"Saml{saml.name}",
                user_pool=user_pool,
                name=saml.name,
                metadata=metadata,
                identifiers=list(saml.identifiers) or None,
                request_signing_algorithm=(
                    cognito.SigningAlgorithm.RSA_SHA256 if saml.sign_requests else None
                ),
                encrypted_responses=saml.encrypted_assertions,
                idp_signout=saml.idp_signout,
                attribute_mapping=_mapping(saml.attribute_mapping),
            )

        for oidc in config.oidc:
            self.providers[oidc.name] = cognito.UserPoolIdentityProviderOidc(
                self,
                f"Oidc{oidc.name}",
                user_pool=user_pool,
                name=oidc.name,
                issuer_url=str(oidc.issuer).rstrip("/"),
                client_id=oidc.client_id,
                # The L2 takes a plain string. unsafe_unwrap() here yields the *token* of the
                # dynamic reference ({{resolve:secretsmanager:...}}), never the secret itself.
                client_secret=secret_value(oidc.client_secret).unsafe_unwrap(),
                scopes=list(oidc.scopes),
                attribute_request_method=(
                    cognito.OidcAttributeRequestMethod.POST
                    if oidc.attributes_request_method == "POST"
                    else cognito.OidcAttributeRequestMethod.GET
                ),
                identifiers=list(oidc.identifiers) or None,
                attribute_mapping=_mapping(oidc.attribute_mapping),
            )


def _mapping(config: AttributeMappingConfig) -> cognito.AttributeMapping:
    def attr(name: str | None) -> cognito.ProviderAttribute | None:
        return cognito.ProviderAttribute.other(name) if name else None

    custom = {
        f"custom:{k.removeprefix('custom:')}": cognito.ProviderAttribute.other(v)
        for k, v in config.custom.items()
    }
    return cognito.AttributeMapping(
        email=attr(config.email),
        fullname=attr(config.name),
        given_name=attr(config.given_name),
        family_name=attr(config.family_name),
        custom=custom or None,
    )
