"""Keep the gettext catalogues of ccrules and its first-party packs in step with the code.

    python tools/i18n.py            extract, update the .po files (translations kept), compile
    python tools/i18n.py --check    fail when a catalogue is out of date, a Chinese entry is
                                    missing or its {fields} differ from the id's, or a .mo
                                    file differs from its .po

Each domain is a package: ``ccrules`` (src/ccrules, with the terms of the model's enums) and
every pack in plugins/ccrules_packs/ (its folder name: ``default``). Messages are what
``msg(...)``, ``tr(...)`` and ``N_(...)`` are called with (Babel's Python extractor);
catalogues live in ``<package>/locale/<lang>/LC_MESSAGES/<domain>.po`` and ``.mo``. The
English catalogue is the template: its ids are the text.

Translating: run this, fill the empty ``msgstr ""`` of the ``zh`` .po files (keep every
``{name}`` field of the id; a format spec such as ``{score:g}`` may be kept or dropped), run
it again to compile.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import enum
import io
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "zh")
KEYWORDS = {"msg": None, "tr": None, "N_": None}
#: a fixed date in every header, so that a catalogue changes only when its messages do
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def domains() -> Iterator[tuple[str, Path]]:
    """(domain, package folder) of ccrules and of every first-party pack."""
    yield "ccrules", ROOT / "src" / "ccrules"
    for package in sorted((ROOT / "plugins" / "ccrules_packs").iterdir()):
        if (package / "__init__.py").is_file():
            yield package.name, package


def _enum_terms() -> list[str]:
    """The values of the model's enums: shown as terms (a format, a stage, a status)."""
    sys.path.insert(0, str(ROOT / "src"))
    from ccrules import model

    terms: set[str] = set()
    for value in vars(model).values():
        if (
            isinstance(value, type)
            and issubclass(value, enum.StrEnum)
            and value is not enum.StrEnum
        ):
            terms.update(member.value for member in value)
    return sorted(terms)


def extract(domain: str, folder: Path) -> dict[str, list[str]]:
    """Message id -> where it is used (``file:line``), for one domain."""
    found: dict[str, list[str]] = {}
    # Babel warns of every f-string among a call's arguments; only the first argument (the
    # message id) is extracted, and the parameters may well be f-strings
    with contextlib.redirect_stderr(io.StringIO()):
        extracted = list(
            extract_from_dir(
                folder,
                method_map=[("**.py", "python")],
                keywords=KEYWORDS,
                directory_filter=lambda path: "locale" not in Path(path).parts,
            )
        )
    for filename, lineno, message, _, _ in extracted:
        if isinstance(message, str) and message:
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    if domain == "ccrules":
        for term in _enum_terms():
            found.setdefault(term, []).append("model.py (enum value)")
    return found


def fields(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<not a valid format string>"}


def _po_path(folder: Path, domain: str, lang: str) -> Path:
    return folder / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def _read(path: Path, lang: str, domain: str) -> Catalog:
    if path.is_file():
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=domain)
    return Catalog(locale=lang, domain=domain)


def build(domain: str, folder: Path, lang: str, messages: dict[str, list[str]]) -> Catalog:
    """The catalogue of ``lang`` for ``messages``, keeping the translations it had."""
    old = _read(_po_path(folder, domain, lang), lang, domain)
    catalog = Catalog(
        locale=lang,
        domain=domain,
        project="ccrules",
        version="",
        copyright_holder="The ccrules authors",
        msgid_bugs_address="",
        creation_date=STAMP,
        revision_date=STAMP,
        fuzzy=False,
    )
    for message_id in sorted(messages):
        previous = old.get(message_id)
        translated = previous.string if previous is not None and lang != "en" else ""
        catalog.add(message_id, translated)
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, no_location=True, sort_output=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def problems_of(domain: str, folder: Path, lang: str, catalog: Catalog) -> list[str]:
    problems = []
    where = _po_path(folder, domain, lang).relative_to(ROOT)
    if lang == "en":
        return problems
    for message in catalog:
        if not message.id:
            continue
        if not message.string:
            problems.append(f"{where}: no translation of {message.id!r}")
        elif fields(str(message.string)) != fields(str(message.id)):
            have, want = sorted(fields(str(message.string))), sorted(fields(str(message.id)))
            problems.append(
                f"{where}: the translation of {message.id!r} has fields {have}, the id {want}"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if stale")
    args = parser.parse_args(argv)
    stale: list[str] = []
    problems: list[str] = []
    for domain, folder in domains():
        messages = extract(domain, folder)
        if not messages and not (folder / "locale").exists():
            continue
        for lang in LANGUAGES:
            catalog = build(domain, folder, lang, messages)
            po = _po_path(folder, domain, lang)
            mo = po.with_suffix(".mo")
            wanted = {po: po_bytes(catalog), mo: mo_bytes(catalog)}
            for path, data in wanted.items():
                if path.is_file() and path.read_bytes() == data:
                    continue
                if args.check:
                    stale.append(str(path.relative_to(ROOT)))
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
            problems.extend(problems_of(domain, folder, lang, catalog))
    for path in stale:
        print(f"out of date: {path} (run python tools/i18n.py)", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    if stale or problems:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
