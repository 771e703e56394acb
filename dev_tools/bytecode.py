"""Byte-compile .venv at set-up: what this project's processes import, not all of aws_cdk.

Python never writes ``.pyc`` files where ``PYTHONDONTWRITEBYTECODE`` is set (CI images, Dockerfiles,
these machines), so whatever set-up does not compile, every process compiles again from source:
``import aws_cdk.aws_lambda`` alone costs about 1.7 s that way. uv's ``--compile-bytecode`` compiles
all of site-packages: here 267 MB of source, 183 MB of it aws_cdk's 357 modules, of which a synth
and the tests load about 35; on two cores that added some 45 s to a fresh clone's set-up. This
compiles the same way (compileall: timestamp-checked ``.pyc`` files beside the sources), leaving
out the aws_cdk modules no run of the project loads and the packages none of its processes imports.

``make setup`` compiles what synth, the review and the tools import; ``make test`` first compiles
the rest: what the pipeline and the tests load of aws_cdk, and the packages only tests and linters
import (cfn-lint's sympy and networkx, selenium, pytest, mypy's pure-Python parts, ...). A module
left out still works: Python compiles it in memory each time it is imported, as without this step.
tests/test_tooling.py checks that every aws_cdk module a synth loads was compiled here.
"""

from __future__ import annotations

import argparse
import compileall
import re
import sys
from pathlib import Path

# The aws_cdk modules (the packages under aws_cdk/) that a synth of this project loads, measured,
# with what they load in turn (aws_lambda needs aws_ec2's types, ...), and of aws_cdk/interfaces the
# modules it loads; then what the pipeline and the tests load besides (all of interfaces with them).
SYNTH_MODULES = frozenset(
    {
        "_jsii", "_private", "asset_awscli_v1", "asset_node_proxy_agent_v6", "aws_apigateway",
        "aws_applicationautoscaling", "aws_certificatemanager", "aws_cloudwatch",
        "aws_cloudwatch_actions", "aws_codeguruprofiler", "aws_codestarnotifications", "aws_cognito",
        "aws_ec2", "aws_ecr_assets", "aws_iam", "aws_kms", "aws_lambda", "aws_logs", "aws_route53",
        "aws_route53_targets", "aws_s3_assets", "aws_sns", "aws_sns_subscriptions", "aws_sqs",
        "aws_wafv2", "cloud_assembly_schema", "cx_api", "interfaces",
    }
)  # fmt: skip
SYNTH_INTERFACES = frozenset(
    {
        "_private", "aws_apigateway", "aws_applicationautoscaling", "aws_appsync",
        "aws_certificatemanager", "aws_cloudformation", "aws_cloudwatch", "aws_codeguruprofiler",
        "aws_codestarnotifications", "aws_cognito", "aws_ec2", "aws_elasticloadbalancingv2",
        "aws_iam", "aws_kinesisfirehose", "aws_kms", "aws_lambda", "aws_logs", "aws_route53",
        "aws_s3", "aws_sns", "aws_sqs", "aws_wafv2",
    }
)  # fmt: skip
TEST_MODULES = frozenset(
    {
        "assertions", "aws_codebuild", "aws_codepipeline", "aws_codepipeline_actions", "aws_ecr",
        "aws_events", "aws_events_targets", "aws_s3", "aws_secretsmanager", "aws_ssm", "pipelines",
        "region_info",
    }
)  # fmt: skip
AWS_CDK_MODULES = SYNTH_MODULES | TEST_MODULES
# Imported only by make test and make lint: cfn-lint and its solver, the browser test's driver and
# its trio, pytest, mypy's pure-Python parts, the highlighter and the console of the linters.
LATER = ("sympy", "mpmath", "networkx", "cfnlint", "selenium", "trio", "pygments", "_pytest", "mypy",
         "mypyc", "rich")  # fmt: skip
# In the venv for pip's sake and never imported by the project (pip installs uv, once).
NEVER_IMPORTED = ("pip", "setuptools", "pkg_resources", "_distutils_hack")


def site_packages(venv: Path) -> Path:
    """The venv's one site-packages directory."""
    found = sorted((venv / "lib").glob("python3.*/site-packages"))
    if len(found) != 1:
        raise SystemExit(f"bytecode: expected one site-packages under {venv / 'lib'}, found {len(found)}")
    return found[0]


def left_out(site: Path, *, tests: bool) -> re.Pattern[str]:
    """The files not compiled in this step: matched against each file's full path."""
    root = re.escape(str(site))
    packages: tuple[str, ...]
    interfaces: frozenset[str] | None
    if tests:
        cdk, interfaces, packages = AWS_CDK_MODULES, None, NEVER_IMPORTED
    else:
        cdk, interfaces, packages = SYNTH_MODULES, SYNTH_INTERFACES, (*NEVER_IMPORTED, *LATER)
    parts = [rf"aws_cdk/(?!(?:{'|'.join(sorted(cdk))})/)[^/]+/", rf"(?:{'|'.join(packages)})/"]
    if interfaces is not None:
        parts.append(rf"aws_cdk/interfaces/(?!(?:{'|'.join(sorted(interfaces))})/)[^/]+/")
    return re.compile(rf"^{root}/(?:{'|'.join(parts)})")


def compile_venv(venv: Path, *, tests: bool) -> None:
    """Compile ``venv``'s site-packages (``tests``: the test-only packages too).

    Files already compiled are skipped (their .pyc matches the source), so the test step compiles
    only what the set-up step left for it. A file that does not compile (some packages ship test
    data that is not Python 3) is left as it is, as uv and pip leave it.
    """
    site = site_packages(venv)
    compileall.compile_dir(site, quiet=2, workers=0, rx=left_out(site, tests=tests))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dev_tools.bytecode",
        description="Byte-compile a venv's site-packages, less the aws_cdk modules and packages this "
        "project never imports (make setup and make test run it).",
    )
    parser.add_argument("venv", type=Path, help="the venv, e.g. .venv")
    parser.add_argument("--tests", action="store_true", help="also the packages only tests import")
    args = parser.parse_args(argv)
    compile_venv(args.venv, tests=args.tests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
