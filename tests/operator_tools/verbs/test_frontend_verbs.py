"""`make outputs` and `make spa` as a user types them, with no AWS credentials: one line that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_app.config.loading import load_environment
from tests.test_make_verbs import LISTED, assert_one_line_refusal, make, pytestmark  # noqa: F401 (the same skip rule)

# `make spa` installs the sample's npm packages first; these tests must never install anything.
# config/prod.yaml is the user's to edit (the adoption test replaces its hosts), so read it.
PROD_SPA_CALLBACKS = [u for c in load_environment("prod").clients if c.name == "spa" for u in c.callback_urls]
SPA_STAMP = ("-o", "examples/spa/node_modules/.installed")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("outputs",), f"outputs: ENV is required, e.g. make outputs ENV=dev; environments: {LISTED}"),
        (
            ("outputs", "ENV=dev", "CLIENT=machine"),
            "outputs: client 'machine' in 'dev' is a m2m client (it signs in no user); "
            "a browser app's config is only written for spa clients",
        ),
        (
            ("outputs", "ENV=dev"),
            "outputs: no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
            "AWS_PROFILE=NAME make outputs ENV=dev, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
        (
            (*SPA_STAMP, "spa", "ENV=dev"),
            "spa: no AWS credentials found; sign in (e.g. `aws sso login --profile NAME`) and run "
            "AWS_PROFILE=NAME make spa ENV=dev, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ),
        (
            (*SPA_STAMP, "spa", "ENV=prod"),
            "spa: client 'spa' in 'prod' has no loopback callback URL (http://localhost:<port>/callback), "
            "so the sample cannot be served on this machine; add one to config/prod.yaml, or deploy "
            f"examples/spa to one of {PROD_SPA_CALLBACKS}",
        ),
    ],
    ids=lambda v: (
        " ".join(a for a in v if not a.startswith(("-o", "examples/"))) if isinstance(v, tuple) else None
    ),
)
def test_a_front_end_verb_that_cannot_run_says_why_in_one_line(
    tmp_path: Path, args: tuple[str, ...], line: str
) -> None:
    assert_one_line_refusal(make(tmp_path, *args), line)
