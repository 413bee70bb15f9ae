"""docs/models.md documents every field of every class a hook receives or returns, from the
attrs classes themselves: a field without a description, a description of no field, or a
class hooks name that the page lacks fails here (and a stale page fails test_docs)."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import importlib.util
import inspect
import re
import sys
from types import ModuleType

import attrs
import pytest
from tests.conftest import ROOT

from ccrules import hookspecs, model


def _gendocs() -> ModuleType:
    if "gendocs" in sys.modules:
        return sys.modules["gendocs"]
    spec = importlib.util.spec_from_file_location("gendocs", ROOT / "tools" / "gendocs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["gendocs"] = module
    spec.loader.exec_module(module)
    return module


gendocs = _gendocs()
MODELS_MD = ROOT / "docs" / "models.md"
MODEL_CLASSES = [
    getattr(model, name) for name in model.__all__ if inspect.isclass(getattr(model, name))
]
ENGINE_CLASSES = [
    getattr(importlib.import_module(module), name) for _, module, name in gendocs.HOOK_CLASSES
]
DOCUMENTED = [c for c in MODEL_CLASSES + ENGINE_CLASSES if not issubclass(c, enum.Enum)]


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda c: c.__name__)
def test_every_public_field_has_a_description(cls: type) -> None:
    doc = gendocs.model_doc(cls)
    assert doc.prose, f"{cls.__name__}: say what it is in the first line of its docstring"
    if attrs.has(cls):
        fields = [f.name for f in gendocs.public_fields(cls)]
        missing = [name for name in fields if not doc.params.get(name)]
        assert not missing, f"{cls.__name__}: describe {missing} with :param name: in its docstring"
        every = {f.name.lstrip("_") for f in attrs.fields(cls)}
        unknown = [name for name in doc.params if name not in every]
        assert not unknown, f"{cls.__name__}: its docstring describes {unknown}, not fields"


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda c: c.__name__)
def test_every_public_method_and_property_says_what_it_gives(cls: type) -> None:
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property | staticmethod | classmethod) or inspect.isfunction(member):
            target = member.fget if isinstance(member, property) else member
            assert inspect.getdoc(target), f"{cls.__name__}.{name}: give it a docstring"


def test_models_md_has_every_model_class_and_every_field() -> None:
    text = MODELS_MD.read_text(encoding="utf-8")
    for cls in MODEL_CLASSES:
        assert f"\n### {cls.__name__}\n" in text, f"docs/models.md lacks {cls.__name__}"
        if issubclass(cls, enum.Enum):
            for member in cls:
                assert f"| `{member.name}` | `{member.value!r}` |" in text
        elif attrs.has(cls):
            for field in gendocs.public_fields(cls):
                assert f"| `{field.name}` | `" in text


def test_every_class_a_hook_names_is_documented() -> None:
    """A class in any hook's signature has its section in models.md (CenterConfig: data.md)."""
    text = MODELS_MD.read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (?:[\w.]*\.)?(\w+)$", text, flags=re.M))
    named: set[str] = set()
    for hook in hookspecs.HOOK_STAGES:
        for annotation in inspect.get_annotations(getattr(hookspecs, hook)).values():
            named |= set(re.findall(r"\b([A-Z]\w+)\b", str(annotation)))
    named -= {"None", "Any", "Sequence", "Mapping", "Generator", "Callable", "BaseException"}
    missing = sorted(named - headings - {"CenterConfig"})
    assert not missing, f"docs/models.md does not document {missing}"
    assert "[data.md](data.md#centertoml)" in text  # CenterConfig is center.toml


def test_reference_pages_link_the_model_page() -> None:
    for page in ("hooks.md", "api.md"):
        assert "(models.md)" in (ROOT / "docs" / page).read_text(encoding="utf-8"), page


class Colour(enum.Enum):
    """A colour, for the test below."""

    RED = "red"  #: stop


@attrs.frozen
class Probe:
    """A probe.

    :param when: the day it ran.
    :param tags: labels | with a pipe.
    """

    when: dt.date | None
    tags: tuple[str, ...] = ()
    colour: Colour = Colour.RED


def test_a_section_follows_the_class_it_documents() -> None:
    """The generator reads names, types, defaults and descriptions from the class itself."""
    lines = list(gendocs.model_section("Probe", Probe))
    assert "| `when` | `date \\| None` | required | the day it ran. |" in lines
    assert "| `tags` | `tuple[str, ...]` | `()` | labels \\| with a pipe. |" in lines
    assert "| `colour` | `Colour` | `Colour.RED` |  |" in lines
    assert "| `RED` | `'red'` | stop |" in list(gendocs.model_section("Colour", Colour))
