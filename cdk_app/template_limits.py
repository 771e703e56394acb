"""CloudFormation's per-stack limits, checked on a synthesized template, in one line per breach.

CloudFormation refuses a template over 1,000,000 bytes (uploaded through S3), over 500 resources or
over 200 outputs, but only at deploy. Synth and the review check the same figures with ``breaches``,
and each message names the environment, the stack, the figure and the remedy. Plain Python: the app's
main, the change review and the tests all use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MAX_RESOURCES = 500
MAX_TEMPLATE_BYTES = 1_000_000
MAX_OUTPUTS = 200

_REMEDY = {
    "resources": "move tenants out of it (config/tenants/<env>/, placed in tenant stacks) or raise "
    "federation.tenant_stacks before any tenant is deployed",
    "bytes": "move SAML providers with large metadata into tenant files (their own stacks), or use "
    "metadata_url instead of metadata_file",
    "outputs": "move clients into tenant files, whose client IDs are SSM parameters, not outputs",
}
# CDK's own check (TooManyResourcesInStack), raised from jsii with a long trace.
_CDK_TOO_MANY = re.compile(
    r"Number of resources in stack '(?P<path>[^']+)': (?P<count>\d+) is greater than allowed maximum of "
    r"(?P<limit>\d+)"
)


def breach(env: str, stack: str, what: str, figure: int, limit: int) -> str:
    """The one line for ``stack`` of ``env`` being over ``limit`` of ``what`` (``resources`` ...)."""
    shown = "template bytes" if what == "bytes" else what
    return (
        f"limit error in environment {env!r}, stack {stack}: {figure:,} {shown}, over CloudFormation's "
        f"{limit:,}; {_REMEDY[what]}"
    )


def breaches(env: str, stack: str, template: Mapping[str, object], size: int) -> list[str]:
    """One line per limit ``template`` (``size`` bytes as written) is over; none when it fits."""
    found = []
    for what, figure, limit in (
        ("resources", len(_section(template, "Resources")), MAX_RESOURCES),
        ("bytes", size, MAX_TEMPLATE_BYTES),
        ("outputs", len(_section(template, "Outputs")), MAX_OUTPUTS),
    ):
        if figure > limit:
            found.append(breach(env, stack, what, figure, limit))
    return found


def from_cdk_error(message: str) -> str | None:
    """CDK's TooManyResourcesInStack error in the same one-line form, or ``None`` if it is not one."""
    match = _CDK_TOO_MANY.search(message)
    if match is None:
        return None
    path = match["path"]
    env, _, stack = path.rpartition("/")
    return breach(
        env or "?", f"{env}-{stack}" if env else stack, "resources", int(match["count"]), int(match["limit"])
    )


def _section(template: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = template.get(key)
    return value if isinstance(value, Mapping) else {}
