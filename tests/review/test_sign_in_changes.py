"""The review knows sign-in factors and passkeys: it says what users see when factors are added, flags
factors taken away and a changed passkey relying party ID (BREAKING), and a sign-in policy dropped from
the template (NO EFFECT: it deploys green, but Cognito keeps the old policy)."""

from __future__ import annotations

from change_review import Verdict
from change_review.core.model import ABSENT, PropertyChange, ResourceChange
from change_review.render import render_text
from tests.review.changes import DEV_HOSTED_DOMAIN, Assemblies, only


def _property(change: ResourceChange, *path: str) -> PropertyChange:
    found = [p for p in change.properties if p.path == ("Properties", *path)]
    assert len(found) == 1, [p.path for p in change.properties]
    return found[0]


def test_adding_passkeys_and_email_codes_is_safe_and_says_what_users_get(assemblies: Assemblies) -> None:
    report = assemblies.review("passkeys and email codes added")

    pool = only(report, "UserPool")
    assert pool.verdict is Verdict.SAFE
    factors = _property(pool, "Policies", "SignInPolicy", "AllowedFirstAuthFactors")
    assert (factors.old, factors.new) == (["PASSWORD"], ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    assert "may also sign in with a code by email, a passkey" in factors.note
    rp = _property(pool, "WebAuthnRelyingPartyID")
    assert rp.new == DEV_HOSTED_DOMAIN
    assert "changing it later breaks every passkey" in rp.note
    assert only(report, "SpaClient").verdict is Verdict.SAFE
    assert report.exit_code == 0


def test_taking_a_factor_away_is_breaking(assemblies: Assemblies) -> None:
    report = assemblies.review("email codes taken away")

    pool = only(report, "UserPool")
    assert pool.verdict is Verdict.BREAKING
    assert any("can no longer start signing in with a code by email" in r for r in pool.reasons)
    assert any("locked out" in r for r in pool.reasons)
    assert report.exit_code == 1


def test_a_sign_in_policy_dropped_from_the_template_has_no_effect_and_blocks(assemblies: Assemblies) -> None:
    report = assemblies.review("sign-in policy dropped")

    pool = only(report, "UserPool")
    dropped = _property(pool, "Policies", "SignInPolicy")
    assert dropped.new is ABSENT
    assert pool.verdict is Verdict.NO_EFFECT
    (reason,) = pool.reasons
    assert "deploys green but changes nothing" in reason
    assert "Cognito keeps the policy it has (PASSWORD, EMAIL_OTP)" in reason
    assert report.exit_code == 1
    assert "[NO EFFECT] UserPool" in render_text(report)


def test_changing_the_passkey_relying_party_id_is_breaking(assemblies: Assemblies) -> None:
    report = assemblies.review("relying party ID changed")

    pool = only(report, "UserPool")
    assert pool.verdict is Verdict.BREAKING
    rp = _property(pool, "WebAuthnRelyingPartyID")
    assert (rp.old, rp.new, rp.verdict) == (DEV_HOSTED_DOMAIN, "app.example.com", Verdict.BREAKING)
    assert any(f"every passkey registered for {DEV_HOSTED_DOMAIN} stops working" in r for r in pool.reasons)
    assert report.exit_code == 1
