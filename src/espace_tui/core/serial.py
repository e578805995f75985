"""The model as plain data (JSON's types) and back, for the local store.

Generic over the model's dataclasses: each field is written under its name, `Decimal` as a
string (never a float), dates as ISO text, tuples as lists. Reading is tolerant, as a store
written by an older or newer espace-tui may be: a field the data lacks takes its default, a
key the model does not know is ignored, and a value of the wrong type is `SerialError`.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


class SerialError(ValueError):
    """Stored data that does not fit the model."""


def to_data(value: Any) -> Any:
    """A model object (or a value of one of its fields) as JSON's types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    return value


def from_data(kind: type[T], data: Any) -> T:
    """The model object of class `kind` that `to_data` wrote as `data`."""
    return typing.cast(T, _read(kind, data))


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    """A model class's field types, resolved once (resolving them costs more than reading)."""
    return typing.get_type_hints(kind)


def _read(kind: Any, data: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return _read(option, data)
            except SerialError:
                continue
        raise SerialError(f"{data!r} fits none of {kind}")
    if origin is tuple:
        if not isinstance(data, list):
            raise SerialError(f"{data!r} is not a list")
        (item,) = typing.get_args(kind)[:1]
        return tuple(_read(item, value) for value in data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise SerialError(f"{data!r} is not an object")
        hints = _hints(kind)
        values = {
            f.name: _read(hints[f.name], data[f.name])
            for f in dataclasses.fields(kind)
            if f.init and f.name in data
        }
        try:
            return kind(**values)
        except TypeError as error:  # a field without a default is missing
            raise SerialError(str(error)) from None
    return _scalar(kind, data)


def _scalar(kind: Any, data: Any) -> Any:
    try:
        if kind is Decimal and isinstance(data, str):
            return Decimal(data)
        if kind is datetime and isinstance(data, str):
            return datetime.fromisoformat(data)
        if kind is date and isinstance(data, str):
            return date.fromisoformat(data)
    except (InvalidOperation, ValueError):
        raise SerialError(f"{data!r} is not a {kind.__name__}") from None
    if kind is bool and isinstance(data, bool):
        return data
    if kind is int and isinstance(data, int) and not isinstance(data, bool):
        return data
    if kind is str and isinstance(data, str):
        return data
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(data)
        except ValueError:
            raise SerialError(f"{data!r} is not a {kind.__name__}") from None
    raise SerialError(f"{data!r} is not a {getattr(kind, '__name__', kind)}")
