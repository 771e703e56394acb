"""The Powertools layer for the local emulator, built from the pinned wheel and published into it.

AWS publishes the Powertools layer's ARN as a public SSM parameter under ``/aws/``, a prefix the
emulator refuses to create. A local environment's config therefore names another parameter
(``functions.powertools_layer``), and this module fills it: it builds the layer from the
same pinned ``aws-lambda-powertools`` release the project tests with, with its tracer and
validation extras and their dependencies (not ``--no-deps``), publishes it as a layer version and
writes that version's ARN into the parameter.

Guarantees: the zip is built once per release and interpreter and kept in ``.local/layers``;
publishing is skipped when the parameter already points at a layer built from the same zip (its
SHA-256 is in the layer's description), so a second ``make up`` changes nothing; every failure is
a ``ToolError``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

from operator_tools.lib.errors import ToolError

DISTRIBUTION = "aws-lambda-powertools"
EXTRAS = "tracer,validation"
LAYER_NAME = "cognito-sso-powertools"
_ROOT = Path(__file__).resolve().parents[2]
UV = _ROOT / ".venv" / "bin" / "uv"
LOCK = _ROOT / "requirements.lock"
# What the Lambda runtime already provides, and AWS's own layer leaves out.
_RUNTIME_PROVIDED = (
    "boto3", "botocore", "s3transfer", "jmespath", "urllib3", "dateutil", "python_dateutil", "six", "bin",
)  # fmt: skip
# A fixed timestamp for every zip entry, so the same files always give the same bytes.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def pinned_version() -> str:
    """The release the project pins (and its tests import): the layer must carry exactly that one."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise ToolError(
            f"{DISTRIBUTION} is not installed in the project's environment; run make setup"
        ) from None


def build_zip(python: Path, cache_dir: Path, version: str | None = None) -> Path:
    """The layer zip for ``version`` (default: the pinned one), built once for ``python``'s platform.

    uv installs it, with every dependency held to the version ``requirements.lock`` pins (the
    project's own lock: the layer carries exactly what the tests import).
    """
    version = version or pinned_version()
    probe = (
        "import sys, platform; print(f'py{sys.version_info[0]}{sys.version_info[1]}-{platform.machine()}')"
    )
    abi = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    target = cache_dir / f"powertools-{version}-{EXTRAS.replace(',', '-')}-{abi}.zip"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        site = Path(tmp) / "python"
        done = subprocess.run(
            [str(UV), "pip", "install", "--quiet", "--python", str(python), "--only-binary", ":all:",
             "--constraint", str(LOCK), "--target", str(site), f"{DISTRIBUTION}[{EXTRAS}]=={version}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["uv failed"])[-1]
            raise ToolError(f"cannot build the Powertools {version} layer: {last}")
        strip_runtime_provided(site)
        partial = Path(tmp) / "layer.zip"
        write_zip(Path(tmp), partial)
        partial.replace(target)
    return target


def strip_runtime_provided(site: Path) -> None:
    """Remove what the Lambda runtime provides (and AWS's layer leaves out) from an installed tree."""
    for name in _RUNTIME_PROVIDED:
        for path in site.glob(f"{name}*"):
            if path.is_dir() and (path.name == name or path.name.startswith((f"{name}-", f"{name}."))):
                shutil.rmtree(path)


def publish(zip_path: Path, parameter: str, lambda_client: Any, ssm_client: Any) -> tuple[str, bool]:
    """Publish the layer and point ``parameter`` at it. Returns ``(layer version ARN, published_now)``."""
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    current = _parameter_value(ssm_client, parameter)
    if current is not None and _layer_digest(lambda_client, current) == digest:
        return current, False
    answer = lambda_client.publish_layer_version(
        LayerName=LAYER_NAME,
        Description=f"{zip_path.name} sha256:{digest}",
        Content={"ZipFile": zip_path.read_bytes()},
        CompatibleRuntimes=["python3.14"],
        CompatibleArchitectures=["arm64"],
    )
    arn = str(answer["LayerVersionArn"])
    ssm_client.put_parameter(Name=parameter, Value=arn, Type="String", Overwrite=True)
    return arn, True


def write_zip(root: Path, dest: Path) -> None:
    """Zip ``root/python`` with fixed timestamps and modes: the same files always give the same bytes."""
    files = sorted(p for p in (root / "python").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(str(path.relative_to(root)), date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def _parameter_value(ssm_client: Any, name: str) -> str | None:
    try:
        return str(ssm_client.get_parameter(Name=name)["Parameter"]["Value"])
    except ssm_client.exceptions.ParameterNotFound:
        return None


def _layer_digest(lambda_client: Any, arn: str) -> str | None:
    try:
        description = str(lambda_client.get_layer_version_by_arn(Arn=arn).get("Description", ""))
    except Exception:  # any answer but a layer means "publish again"
        return None
    _, _, digest = description.rpartition("sha256:")
    return digest or None
