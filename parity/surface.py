"""API-surface parity: the reference's public surface, found by introspection, against the port's.

Nothing here lists the names to check: they are read from the reference classes, so a name a future diffusers adds
is a gap the day it appears. Four families, each giving `Gap`s keyed by where they are (`Class.name`, `Class().attr`,
`Class[probe]`), so one table of deliberate differences can account for each:

- class members: every name the reference class defines or inherits from its library (dunders included, Python's
  own bookkeeping excluded), its kind (method, classmethod, staticmethod, property, data), each callable's
  parameters (name, kind, default, order; annotations are torch-specific and skipped), each data value; public names
  only the port has are gaps too, private port-only names are implementation;
- instance attributes of a constructed scheduler, before and after `set_timesteps`: names and kinds, an array's kind
  being its dtype and shape (`torch.Tensor` and `mx.array` alike);
- behaviour probes: the output's mapping protocol and the config's behaviour, each probe run on both sides and its
  outcome (value, or exception type and message, and warnings) compared;
- the caller decides what is a gap worth failing on: `unlisted(gaps, listed)` and `stale(gaps, listed)`.

The module is torch-free and names no scheduler: a side is described by a `Side` (its classes and how to make and
read its arrays).
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
import logging
import os
import re
import tempfile
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np

__all__ = [
    "Comparison",
    "Gap",
    "Side",
    "assert_listed",
    "check",
    "compare_classes",
    "compare_instances",
    "compare_probes",
    "config_probes",
    "markdown",
    "output_probes",
    "stale",
    "surface_gaps",
    "unlisted",
]

_CLASS_REPR = re.compile(r"<class '[\w.]*\.(\w+)'>")
# Python's bookkeeping on every class, not API.
_BOOKKEEPING = frozenset(
    {
        "__annotations__",
        "__annotate__",
        "__dataclass_fields__",
        "__dataclass_params__",
        "__dict__",
        "__doc__",
        "__firstlineno__",
        "__module__",
        "__orig_bases__",
        "__parameters__",
        "__slotnames__",  # cached by copyreg on a class once an instance has been copied or pickled
        "__static_attributes__",
        "__weakref__",
        "__abstractmethods__",
        "_abc_impl",
    }
)


@dataclass(frozen=True)
class Gap:
    """One difference between the two surfaces: where, what aspect, and each side's value in words."""

    key: str
    aspect: str
    reference: str
    port: str

    def __str__(self) -> str:
        return f"{self.key} ({self.aspect}): reference {self.reference}; port {self.port}"


@dataclass(frozen=True)
class Side:
    """One implementation of the API: its scheduler and output classes and how its arrays are made and read."""

    scheduler: type
    output: type
    to_array: Callable[[np.ndarray], Any]
    to_numpy: Callable[[Any], np.ndarray]
    logger: str  # the logger its config warnings go to


# ---------------------------------------------------------------- class members


def _defining_value(cls: type, name: str) -> Any:
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise AttributeError(name)


def _kind(raw: Any) -> str:
    if isinstance(raw, staticmethod):
        return "staticmethod"
    if isinstance(raw, classmethod):
        return "classmethod"
    if isinstance(raw, property):
        return "property"
    if inspect.isfunction(raw) or inspect.ismethoddescriptor(raw) or inspect.isbuiltin(raw):
        return "method"
    if callable(raw):
        return "callable"
    return "data"


def _parameters(function: Any) -> str:
    """A callable's parameters as text: name, kind and default of each, in order (annotations left out)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return "(no signature)"
    parts = []
    for p in signature.parameters.values():
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if p.kind == p.KEYWORD_ONLY:
            text = "kw:" + text
        elif p.kind == p.POSITIONAL_ONLY:
            text = "pos:" + text
        if p.default is not p.empty:
            text += f"={p.default!r}"
        parts.append(text)
    return "(" + ", ".join(parts) + ")"


def _member(cls: type, name: str) -> tuple[str, str]:
    """(kind, detail): the parameters of a callable, the value of data, the getter's parameters of a property."""
    raw = _defining_value(cls, name)
    kind = _kind(raw)
    if kind in ("staticmethod", "classmethod"):
        return kind, _parameters(raw.__func__)
    if kind == "property":
        return kind, _parameters(raw.fget)
    if kind in ("method", "callable"):
        return kind, _parameters(raw)
    return kind, repr(raw)


def _names(cls: type) -> set[str]:
    """The names a class offers beyond `object`'s own: its defined and inherited members, dunders included."""
    return {
        name
        for name in dir(cls)
        if name not in _BOOKKEEPING and _defining_value(cls, name) is not vars(object).get(name)
    }


def compare_classes(reference: type, port: type) -> list[Gap]:
    """Every member of the reference class against the port's, and the port's extra public members."""
    label = reference.__name__
    ref_names, port_names = _names(reference), _names(port)
    gaps = []
    for name in sorted(ref_names | port_names):
        key = f"{label}.{name}"
        if name not in port_names:
            gaps.append(Gap(key, "missing", "has it", "has none"))
        elif name not in ref_names:
            if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
                gaps.append(Gap(key, "extra", "has none", "has it"))
        else:
            (ref_kind, ref_detail), (port_kind, port_detail) = _member(reference, name), _member(port, name)
            if ref_kind != port_kind:
                gaps.append(Gap(key, "kind", ref_kind, port_kind))
            elif ref_detail != port_detail:
                aspect = "value" if ref_kind == "data" else "parameters"
                gaps.append(Gap(key, aspect, ref_detail, port_detail))
    return gaps


# ---------------------------------------------------------------- instance attributes


def value_kind(value: Any) -> str:
    """What a value is, in terms both sides share: an array's dtype and shape, a mapping, or the type's name."""
    if isinstance(value, (np.ndarray, np.generic)):
        return f"numpy {type(value).__name__}[{value.dtype}, shape {value.shape}]"
    if hasattr(value, "dtype") and hasattr(value, "shape"):  # a torch.Tensor or an mx.array
        dtype = str(value.dtype).removeprefix("torch.").removeprefix("mlx.core.")
        return f"array[{dtype}, shape {tuple(value.shape)}]"
    if isinstance(value, Mapping):
        return "mapping"
    return type(value).__name__


def compare_instances(label: str, reference: Any, port: Any) -> list[Gap]:
    """The attributes of two instances: names (the port's private extras are implementation) and kinds."""
    ref_vars, port_vars = vars(reference), vars(port) if port is not None else {}
    gaps = []
    for name in sorted(set(ref_vars) | set(port_vars)):
        key = f"{label}.{name}"
        if name not in port_vars:
            gaps.append(Gap(key, "missing", value_kind(ref_vars[name]), "has none"))
        elif name not in ref_vars:
            if not name.startswith("_"):
                gaps.append(Gap(key, "extra", "has none", value_kind(port_vars[name])))
        elif value_kind(ref_vars[name]) != value_kind(port_vars[name]):
            gaps.append(Gap(key, "kind", value_kind(ref_vars[name]), value_kind(port_vars[name])))
    return gaps


# ---------------------------------------------------------------- behaviour probes


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def _outcome(action: Callable[[], Any], read: Callable[[Any], Any], logger: str = "") -> str:
    """What an action did, as comparable text: its value (arrays as lists), or the exception type and message,
    followed by the warnings it raised and what it logged at WARNING or above to `logger` (held back from the
    console)."""
    log, records = logging.getLogger(logger), _Records()
    propagate, handlers = log.propagate, log.handlers
    log.propagate, log.handlers = False, [records]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = f"returns {read(action())!r}"
            except Exception as error:  # the exception type is part of the API being compared
                result = f"raises {type(error).__name__}: {error}"
    finally:
        log.propagate, log.handlers = propagate, handlers
    said = [f"{w.category.__name__}: {w.message}" for w in caught]
    text = result + (f"; warns {said}" if said else "") + (f"; logs {records.messages}" if records.messages else "")
    return _CLASS_REPR.sub(r"<class '\1'>", text)  # a class named with its module: the modules differ by design


def _reader(side: Side) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if hasattr(value, "dtype") and hasattr(value, "shape") and not isinstance(value, (np.ndarray, np.generic)):
            return ("array", value_kind(value), side.to_numpy(value).tolist())
        if isinstance(value, Mapping):  # `_use_default_values` is a set in diffusers, listed in arbitrary order
            return ("mapping", [(k, sorted(v) if k == "_use_default_values" else read(v)) for k, v in value.items()])
        if isinstance(value, (list, tuple)):
            return [read(v) for v in value]
        if isinstance(value, type):
            return f"class {value.__name__}"
        return value

    return read


def output_probes(side: Side) -> dict[str, str]:
    """The output class as a mapping, a tuple and a dataclass, as diffusers' `BaseOutput` defines it."""
    read = _reader(side)
    # An output that is not a dataclass (or a port that has none) gets stand-in names: every probe then fails, named.
    names = [f.name for f in fields(side.output)] if is_dataclass(side.output) else ["field_0", "field_1"]
    first, second, third = (side.to_array(np.full((2,), float(k), np.float32)) for k in (1, 2, 3))

    def full():
        return side.output(first, *[second for _ in names[1:]])

    def partial():
        return side.output(first)

    def assigned(build, name, value, how):
        out = build()
        if how == "item":
            out[name] = value
        else:
            setattr(out, name, value)
        return list(out.keys()), out[name] if name in out.keys() else getattr(out, name)

    last = names[-1]
    actions = {
        "keys": lambda: list(full().keys()),
        "keys, None field": lambda: list(partial().keys()),
        "len": lambda: len(full()),
        "len, None field": lambda: len(partial()),
        "iter": lambda: list(iter(full())),
        "tuple()": lambda: tuple(full()),
        "in": lambda: (names[0] in full(), last in partial(), "missing" in full()),
        "values": lambda: list(full().values()),
        "items": lambda: list(full().items()),
        "get": lambda: (full().get(names[0]), partial().get(last), partial().get(last, "default")),
        "to_tuple": lambda: full().to_tuple(),
        "to_tuple, None field": lambda: partial().to_tuple(),
        "[0]": lambda: full()[0],
        "[-1]": lambda: full()[-1],
        "[1:]": lambda: full()[1:],
        "[name]": lambda: [full()[n] for n in names],
        "[index past the set fields]": lambda: partial()[len(names) - 1],
        "[None field name]": lambda: partial()[last],
        "[unknown name]": lambda: full()["missing"],
        "attribute of None field": lambda: partial().__getattribute__(last),
        "assign item": lambda: assigned(full, names[0], third, "item"),
        "assign attribute": lambda: assigned(full, names[0], third, "attribute"),
        "assign attribute of None field": lambda: assigned(partial, last, third, "attribute"),
        "assign item of None field": lambda: assigned(partial, last, third, "item"),
        "assign None": lambda: assigned(full, names[0], None, "attribute"),
        "del item": lambda: full().__delitem__(names[0]),
        "pop": lambda: full().pop(names[0]),
        "popitem": lambda: full().popitem(),
        "update": lambda: full().update({names[0]: third}),
        "setdefault": lambda: full().setdefault(names[0], third),
        "clear": lambda: (lambda out: (out.clear(), list(out.keys())))(full()),
        "dict first field": lambda: list(side.output({"a": first, "b": second}).items()),
        "copy.copy": lambda: list(copy.copy(full()).items()),
        "is an OrderedDict": lambda: isinstance(full(), OrderedDict),
        "no fields": lambda: side.output(),
    }
    return {name: _outcome(action, read, side.logger) for name, action in actions.items()}


def config_probes(side: Side) -> dict[str, str]:
    """The config mapping, the deprecated attribute fallback, and what saving does to the config."""
    read = _reader(side)
    cls = side.scheduler

    def config():
        return cls().config

    def after_saving():
        scheduler = cls()
        with tempfile.TemporaryDirectory() as folder:
            scheduler.save_pretrained(folder)
            with open(os.path.join(folder, cls.config_name), encoding="utf-8") as reader:
                saved = json.load(reader)
        saved.pop("_diffusers_version", None)
        return sorted(saved), sorted(k for k in scheduler.config if k != "_use_default_values")

    def from_folder():
        with tempfile.TemporaryDirectory() as folder:
            cls(**{key: cls().config[key]}).save_config(folder)
            return sorted(cls.from_config(folder).config)

    def mutate(how):
        target = config()
        how(target)
        return dict(target)

    parameters = list(inspect.signature(cls.__init__).parameters)
    key = parameters[1] if len(parameters) > 1 else "num_train_timesteps"  # the first constructor argument

    def loaded_with_extras():
        return {key: cls().config[key], "skip_prk_steps": True, "my_custom_knob": 3, "_class_name": "X"}

    actions = {
        "config[key]": lambda: config()[key],
        "config.key": lambda: getattr(config(), key),
        "config.unknown": lambda: config().missing_key,
        "config is an OrderedDict": lambda: isinstance(config(), OrderedDict),
        "config[key] = value": lambda: mutate(lambda c: c.__setitem__(key, 7)),
        "config.key = value": lambda: mutate(lambda c: setattr(c, key, 7)),
        "del config[key]": lambda: mutate(lambda c: c.__delitem__(key)),
        "config.pop": lambda: mutate(lambda c: c.pop(key)),
        "config.popitem": lambda: mutate(lambda c: c.popitem()),
        "config.update": lambda: mutate(lambda c: c.update({key: 7})),
        "config.setdefault": lambda: mutate(lambda c: c.setdefault("new", 7)),
        "config.clear": lambda: mutate(lambda c: c.clear()),
        "scheduler.<config key>": lambda: getattr(cls(), key),
        "scheduler.<unknown>": lambda: cls().missing_attribute,
        "scheduler.keys (a config method name)": lambda: cls().keys,
        "saving adds _class_name and _diffusers_version to config": after_saving,
        "from_config(return_unused_kwargs=True)": lambda: cls.from_config(
            loaded_with_extras(), return_unused_kwargs=True
        )[1],
        "from_config of a folder (deprecated)": from_folder,
        "from_config(None)": lambda: cls.from_config(None),
        "save_config to a file path": lambda: cls().save_config(__file__),
        "register_to_config": lambda: (lambda s: (s.register_to_config(extra=1), s.config["extra"]))(cls())[1],
        "register_for_auto_class('X')": lambda: cls.register_for_auto_class("X"),
        "compatibles": lambda: sorted(c.__name__ for c in cls().compatibles),
        "private kwarg goes to config": lambda: cls(_private=1).config["_private"],
    }
    return {name: _outcome(action, read, side.logger) for name, action in actions.items()}


@functools.cache
def probe_outcomes(side: Side) -> tuple[dict[str, str], dict[str, str]]:
    """The output and config probes of one side, run once per process: a class's behaviour does not change while
    the process runs, and the reference's side is compared many times (the gate, the report, the meta-tests)."""
    return output_probes(side), config_probes(side)


def compare_probes(label: str, reference: dict[str, str], port: dict[str, str]) -> list[Gap]:
    return [
        Gap(f"{label}[{name}]", "behaviour", reference[name], port.get(name, "not run"))
        for name in reference
        if reference[name] != port.get(name)
    ]


# ---------------------------------------------------------------- all of it


@dataclass(frozen=True)
class Comparison:
    """What the surface check compared, family by family (the keys of the reference's surface), and the gaps."""

    gaps: list[Gap]
    compared: dict[str, list[str]]

    @property
    def counts(self) -> dict[str, int]:
        return {family: len(keys) for family, keys in self.compared.items()}


def surface_gaps(reference: Side, port: Side, build: Callable[[type], Any]) -> Comparison:
    """Every gap between the two sides, and every key of the reference's surface that was compared.

    `build(cls)` makes a scheduler instance ready to compare; instances are compared as built and after
    `set_timesteps(50)`.
    """
    gaps = compare_classes(reference.scheduler, port.scheduler) + compare_classes(reference.output, port.output)
    members = [f"{cls.__name__}.{n}" for cls in (reference.scheduler, reference.output) for n in sorted(_names(cls))]
    name = reference.scheduler.__name__
    ref_instance = build(reference.scheduler)
    try:
        port_instance = build(port.scheduler)
    except Exception as error:  # every attribute is then a gap; the probes below still run
        port_instance = None
        gaps.append(Gap(f"{name}()", "error", "builds", f"raises {type(error).__name__}: {error}"))
    attributes = []
    for label, ready in (
        (f"{name}()", lambda s: None),
        (f"{name}() after set_timesteps", lambda s: s.set_timesteps(50)),
    ):
        ready(ref_instance)
        if port_instance is not None:
            try:
                ready(port_instance)
            except Exception as error:  # compared as it stands
                gaps.append(Gap(label, "error", "runs", f"raises {type(error).__name__}: {error}"))
        gaps += compare_instances(label, ref_instance, port_instance)
        attributes += [f"{label}.{attribute}" for attribute in sorted(vars(ref_instance))]
    (ref_output, ref_config), (port_output, port_config) = probe_outcomes(reference), probe_outcomes(port)
    gaps += compare_probes(reference.output.__name__, ref_output, port_output)
    gaps += compare_probes(f"{name}.config", ref_config, port_config)
    probes = [f"{reference.output.__name__}[{p}]" for p in ref_output] + [f"{name}.config[{p}]" for p in ref_config]
    return Comparison(gaps, {"class members": members, "instance attributes": attributes, "behaviour probes": probes})


def check(reference: Side, port: Side, build: Callable[[type], Any], listed: Mapping[str, str]) -> None:
    """Fail, naming each, on a gap no deliberate difference accounts for, or on a listed one that is gone (of
    those listed for these two classes: a port's table may list other schedulers' differences too)."""
    assert_listed(surface_gaps(reference, port, build).gaps, listed_for(reference, listed))


def listed_for(reference: Side, listed: Mapping[str, str]) -> dict[str, str]:
    """The listed differences that name the reference's scheduler or output class."""
    classes = {reference.scheduler.__name__, reference.output.__name__}
    return {key: reason for key, reason in listed.items() if key.partition(".")[0] in classes}


def assert_listed(gaps: list[Gap], listed: Mapping[str, str]) -> None:
    """Fail, naming each, on a gap no deliberate difference accounts for, or on a listed one that is not a gap."""
    missing = unlisted(gaps, listed)
    if missing:
        raise AssertionError(
            f"{len(missing)} API-surface gaps are not listed as deliberate differences:\n"
            + "\n".join(f"  {gap}" for gap in missing)
        )
    if gone := stale(gaps, listed):
        raise AssertionError(f"listed as deliberate differences, but no longer gaps (remove them): {gone}")


def unlisted(gaps: list[Gap], listed: Mapping[str, str]) -> list[Gap]:
    """The gaps no deliberate difference accounts for."""
    return [gap for gap in gaps if gap.key not in listed]


def stale(gaps: list[Gap], listed: Mapping[str, str]) -> list[str]:
    """Listed keys that are no longer gaps: the table must say only what is true."""
    present = {gap.key for gap in gaps}
    return sorted(key for key in listed if key not in present)


def markdown(gaps: list[Gap], listed: Mapping[str, str], counts: Mapping[str, int]) -> str:
    """The summary's API-surface table: each gap, both sides, and the deliberate difference that accounts for it."""
    compared = ", ".join(f"{n} {family}" for family, n in counts.items())
    missing = unlisted(gaps, listed)
    lines = [
        f"API surface: {compared} compared; {len(gaps)} differences, {len(gaps) - len(missing)} listed as "
        f"deliberate, {len(missing)} unlisted",
        "",
        "| where | aspect | reference | port | deliberate difference |",
        "| --- | --- | --- | --- | --- |",
    ]
    for gap in gaps:
        reason = listed.get(gap.key, "**UNLISTED**")
        lines.append(f"| `{gap.key}` | {gap.aspect} | {_cell(gap.reference)} | {_cell(gap.port)} | {reason} |")
    return "\n".join(lines) + "\n"


def _cell(text: str, width: int = 70) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
