"""Find what the models expect at a key path, so messages can say what would have been valid."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from cdk_app.config.errors import Loc


def unwrap(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None`` (the models use no other unions)."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (types.UnionType, typing.Union):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def annotation_at(root: Any, loc: Loc) -> Any:
    """The (unwrapped) type at ``loc`` under the type ``root``, or ``None`` if the path leaves it."""
    current: Any = unwrap(root)
    for part in loc:
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = unwrap(field.annotation)
        elif origin in (tuple, list) and isinstance(part, int):
            current = unwrap(get_args(current)[0])
        elif origin is dict and isinstance(part, str):
            current = unwrap(get_args(current)[1])
        else:
            return None
    return current


def model_at(root: Any, loc: Loc) -> type[BaseModel] | None:
    """The model whose keys are valid at ``loc``, if a model is expected there."""
    found = annotation_at(root, loc)
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None
