"""What a change to the pool's sign-in policy or passkey settings does to the people signing in.

- The first factors (``Policies.SignInPolicy.AllowedFirstAuthFactors``): one added is SAFE, with what
  users see; one removed is BREAKING, since a user who signed in only with it (a passwordless user has
  no password to fall back on) is locked out.
- The whole sign-in policy dropped from the template is NO EFFECT: CloudFormation deploys green, but
  Cognito keeps the policy it had (measured on AWS in 2026, reported in issue 14), so users keep being
  offered the old factors. The project's own pools always write the policy out for that reason.
- ``WebAuthnRelyingPartyID`` changed or removed is BREAKING: a passkey is bound to the relying party ID
  it was registered for, so every registered passkey stops working.
- ``WebAuthnUserVerification`` made ``required`` is BREAKING for passkeys that cannot verify the user.
"""

from __future__ import annotations

from typing import Any

from change_review.core.model import ABSENT, PropertyChange, Verdict

POLICY = ("Policies", "SignInPolicy")
FACTORS = (*POLICY, "AllowedFirstAuthFactors")
RELYING_PARTY = ("WebAuthnRelyingPartyID",)
USER_VERIFICATION = ("WebAuthnUserVerification",)
_NAMES = {
    "PASSWORD": "a password",
    "EMAIL_OTP": "a code by email",
    "SMS_OTP": "a code by SMS",
    "WEB_AUTHN": "a passkey",
}


def judge(change: PropertyChange) -> PropertyChange | None:
    """The judged change when it is about sign-in factors or passkeys, else ``None``."""
    path = change.path[1:] if change.path[:1] == ("Properties",) else ()
    if path in (POLICY, FACTORS):
        old, new = _factors(change.old, path), _factors(change.new, path)
        if change.new is ABSENT and change.old is not ABSENT:
            return _policy_dropped(change, old)
        return _factors_changed(change, old, new)
    if path == RELYING_PARTY:
        return _relying_party(change)
    if path == USER_VERIFICATION and change.new == "required":
        return _with(
            change,
            Verdict.BREAKING,
            "user verification becomes required: passkeys that cannot verify the user (a security key "
            "without a PIN) can no longer sign in, and their users must use another factor",
        )
    return None


def _factors(value: Any, path: tuple[Any, ...]) -> list[str] | None:
    if value is ABSENT:
        return None
    factors = value.get("AllowedFirstAuthFactors") if path == POLICY and isinstance(value, dict) else value
    return [str(f) for f in factors] if isinstance(factors, list) else None


def _policy_dropped(change: PropertyChange, old: list[str] | None) -> PropertyChange:
    kept = ", ".join(old) if old else "the old factors"
    return _with(
        change,
        Verdict.NO_EFFECT,
        f"the sign-in policy is dropped from the template, which deploys green but changes nothing: Cognito "
        f"keeps the policy it has ({kept}), so users keep being offered those factors. To change them, "
        "keep the policy and list the factors you want (user_pool.sign_in_policy.first_factors)",
    )


def _factors_changed(change: PropertyChange, old: list[str] | None, new: list[str] | None) -> PropertyChange:
    before, after = set(old or ["PASSWORD"]), set(new or ["PASSWORD"])
    removed = sorted(before - after)
    if removed:
        ways = ", ".join(_NAMES.get(f, f) for f in removed)
        passkeys = (
            "; registered passkeys stay on the accounts but cannot be used" if "WEB_AUTHN" in removed else ""
        )
        return _with(
            change,
            Verdict.BREAKING,
            f"users can no longer start signing in with {ways}: anyone who has no password (signed up "
            f"passwordless) and no other allowed factor is locked out until an administrator or a "
            f"password reset lets them in{passkeys}",
        )
    added = sorted(after - before)
    if added:
        ways = ", ".join(_NAMES.get(f, f) for f in added)
        return _with(
            change,
            Verdict.SAFE,
            f"users of choice-based clients (ALLOW_USER_AUTH) may also sign in with {ways} from their next "
            "sign-in, on managed login and through USER_AUTH",
        )
    return _with(change, Verdict.SAFE, "the same factors, written out: Cognito's default is a password only")


def _relying_party(change: PropertyChange) -> PropertyChange:
    if change.old is ABSENT:
        return _with(
            change,
            Verdict.SAFE,
            f"passkeys will be bound to {change.new}; changing it later breaks every passkey registered then",
        )
    now = "left unset" if change.new is ABSENT else f"{change.new}"
    return _with(
        change,
        Verdict.BREAKING,
        f"the passkey relying party ID changes from {change.old} to {now}: every passkey registered for "
        f"{change.old} stops working, so its users must sign in another way and register a new passkey",
    )


def _with(change: PropertyChange, verdict: Verdict, note: str) -> PropertyChange:
    return PropertyChange(change.path, change.old, change.new, verdict, note)
