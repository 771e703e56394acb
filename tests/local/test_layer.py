"""The local Powertools layer: what the runtime provides is left out, the zip is reproducible, and
publishing is skipped when the parameter already points at the same zip."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

from operator_tools.local import layer


def _tree(root: Path) -> Path:
    site = root / "python"
    for name in ("aws_lambda_powertools", "fastjsonschema", "aws_xray_sdk", "wrapt", "boto3", "botocore",
                 "botocore-1.43.106.dist-info", "urllib3", "dateutil", "python_dateutil-2.9.0.dist-info",
                 "jmespath", "six-1.17.0.dist-info", "s3transfer"):  # fmt: skip
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text(f"# {name}\n")
    return site


def test_what_the_lambda_runtime_provides_is_left_out(tmp_path: Path) -> None:
    site = _tree(tmp_path)
    layer.strip_runtime_provided(site)
    assert sorted(p.name for p in site.iterdir()) == [
        "aws_lambda_powertools",
        "aws_xray_sdk",
        "fastjsonschema",
        "wrapt",
    ]


def test_the_same_files_always_give_the_same_zip(tmp_path: Path) -> None:
    site = _tree(tmp_path)
    layer.strip_runtime_provided(site)
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    layer.write_zip(tmp_path, first)
    (site / "wrapt" / "__init__.py").touch()  # a new mtime must not change the bytes
    layer.write_zip(tmp_path, second)
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    assert "python/aws_lambda_powertools/__init__.py" in zipfile.ZipFile(first).namelist()


class FakeAws:
    """Lambda and SSM as far as ``publish`` uses them."""

    class exceptions:  # noqa: N801 - boto3's attribute name
        class ParameterNotFound(Exception):  # noqa: N818 - boto3's name
            pass

    def __init__(self) -> None:
        self.parameters: dict[str, str] = {}
        self.layers: dict[str, str] = {}

    def get_parameter(self, Name: str) -> dict[str, Any]:  # noqa: N803
        if Name not in self.parameters:
            raise self.exceptions.ParameterNotFound
        return {"Parameter": {"Value": self.parameters[Name]}}

    def put_parameter(self, Name: str, Value: str, **_: Any) -> None:  # noqa: N803
        self.parameters[Name] = Value

    def publish_layer_version(self, Description: str, **_: Any) -> dict[str, str]:  # noqa: N803
        arn = f"arn:aws:lambda:eu-west-1:000000000000:layer:cognito-sso-powertools:{len(self.layers) + 1}"
        self.layers[arn] = Description
        return {"LayerVersionArn": arn}

    def get_layer_version_by_arn(self, Arn: str) -> dict[str, str]:  # noqa: N803
        return {"Description": self.layers[Arn]}


def test_publishing_points_the_parameter_at_the_layer_once_per_zip(tmp_path: Path) -> None:
    aws = FakeAws()
    built = tmp_path / "layer.zip"
    built.write_bytes(b"one")
    arn, published = layer.publish(built, "/cognito-sso/local/powertools-layer-arn", aws, aws)
    assert published
    assert aws.parameters == {"/cognito-sso/local/powertools-layer-arn": arn}
    assert layer.publish(built, "/cognito-sso/local/powertools-layer-arn", aws, aws) == (arn, False)
    built.write_bytes(b"two")
    newer, published = layer.publish(built, "/cognito-sso/local/powertools-layer-arn", aws, aws)
    assert published
    assert newer != arn
    assert aws.parameters["/cognito-sso/local/powertools-layer-arn"] == newer
