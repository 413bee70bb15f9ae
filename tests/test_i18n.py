"""Operator text in the reader's language: messages, catalogues and their coverage."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from tests.conftest import EXAMPLE_CENTERS, ROOT
from tests.packs.translated import english_sentences, known, message_ids, reasons_in

from ccrules import Engine
from ccrules._convert import converter
from ccrules.i18n import (
    catalogue_of,
    language,
    language_from_env,
    msg,
    separator,
    text,
    tr,
)
from ccrules.model import Message, Plan, Reason, Review
from ccrules.strategies import messages

#: ccrules itself and the first-party packs, by the names they are enabled under
FIRST_PARTY = (
    "ccrules",
    "default",
    "inhouse",
    "bpo",
    "feedback",
    "release-cascade",
    "healthy-mix",
    "monthly-theme",
)


# -- messages ----------------------------------------------------------------------------------


def test_a_message_keeps_its_id_and_parameters_and_renders_english() -> None:
    made = msg(
        "QA {score:g} on {competency} for {agents}",
        score=61.5,
        competency="合规话术",
        agents=("张伟", "IN007"),
    )
    assert made.id == "QA {score:g} on {competency} for {agents}"
    assert made.params == {"score": 61.5, "competency": "合规话术", "agents": ("张伟", "IN007")}
    assert made.render() == "QA 61.5 on 合规话术 for 张伟, IN007"


def test_a_message_needs_exactly_its_fields() -> None:
    with pytest.raises(ValueError, match="no value for gap"):
        msg("{score} {gap}", score=1)
    with pytest.raises(ValueError, match="no field for extra"):
        msg("{score}", score=1, extra=2)
    with pytest.raises(ValueError, match="not a plain name"):
        msg("{agent.name}", agent="x")


def test_enums_become_terms_and_dates_iso_text() -> None:
    import datetime as dt

    from ccrules.model import Format

    made = msg("{format} on {day}", format=Format.CLASSROOM, day=dt.date(2026, 12, 7))
    assert made.values == (Message("classroom"), "2026-12-07")
    with language("zh"):
        assert text(made) == f"{catalogue_of(None).gettext('classroom')} on 2026-12-07"
    assert catalogue_of(None, "zh").gettext("classroom") != "classroom"


def test_lists_are_joined_as_the_language_joins_them() -> None:
    made = msg("{names}", names=("张伟", "李娜"))
    assert text(made, "en") == "张伟, 李娜"
    assert text(made, "zh") == "张伟、李娜"
    assert separator("zh") == "、"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "CCRULES_LANG": "en"}, "en"),
        ({"CCRULES_LANG": "zh"}, "zh"),
        ({"LANG": "C"}, "en"),
    ],
)
def test_the_language_comes_from_the_environment(env: dict[str, str], expected: str) -> None:
    assert language_from_env(env) == expected


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="not one of en, zh"), language("fr"):
        pass


@given(messages())
def test_a_message_survives_json(message: Message) -> None:
    reason = Reason("r", "p", "1", message)
    data = json.loads(json.dumps(converter.unstructure(reason), ensure_ascii=False))
    back = converter.structure(data, Reason)
    assert back == reason
    assert data["text"] == back.text == message.render()


def test_plain_text_stays_as_it_is_in_every_language() -> None:
    reason = Reason("r", "p", "1", "A plugin's own {sentence}, not translated.")
    assert text(reason, "zh") == reason.text == "A plugin's own {sentence}, not translated."
    data = converter.unstructure(reason)
    assert (data["message"], data["params"]) == (None, {})
    assert converter.structure(data, Reason) == reason


def test_core_text_is_translated_now() -> None:
    with language("zh"):
        assert tr("n/a") != "n/a"
    with language("en"):
        assert tr("n/a") == "n/a"


# -- catalogues --------------------------------------------------------------------------------


def _tool() -> object:
    spec = importlib.util.spec_from_file_location("ccrules_i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_catalogues_are_up_to_date_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    """Every message of ccrules and of the first-party packs has its Chinese text, with the
    same {fields}, and every .mo file is compiled from its .po (python tools/i18n.py)."""
    code = _tool().main(["--check"])  # type: ignore[attr-defined]
    assert code == 0, capsys.readouterr().err


# -- coverage: every reason the first-party packs write is translated ----------------------


@functools.cache
def _decisions(folder: Path) -> tuple[Plan, Review]:
    """The plan and review of the example's first cycle (the one its outcomes are of)."""
    import tomllib

    cycles = tomllib.loads((folder / "center.toml").read_text(encoding="utf-8"))["cycles"]
    first = min(cycles, key=lambda c: c["start"])["id"]
    with Engine.from_folder(folder, cycle=first) as engine:
        plan = engine.plan()
        return plan, engine.review(plan)


@pytest.mark.parametrize("folder", EXAMPLE_CENTERS, ids=lambda p: p.name)
def test_every_first_party_reason_is_a_translated_message(folder: Path) -> None:
    plan, review = _decisions(folder)
    plain: set[str] = set()
    untranslated: set[str] = set()
    for reason in [*reasons_in(plan), *reasons_in(review)]:
        if reason.plugin not in FIRST_PARTY:
            continue
        if isinstance(reason.message, str):
            plain.add(f"{reason.plugin} {reason.rule}: {reason.message}")
            continue
        ids = known(reason.plugin)
        untranslated.update(
            f"{reason.plugin} {reason.rule}: {each!r}"
            for each in message_ids(reason.message)
            if each not in ids
        )
    assert not plain, "plain text, not msg(...):\n" + "\n".join(sorted(plain)[:20])
    assert not untranslated, "no Chinese text:\n" + "\n".join(sorted(untranslated)[:20])


def _names(folder: Path) -> set[str]:
    """Every name in the center's data: they are shown as written, in any language."""
    import csv

    names: set[str] = set()
    for file in (folder / "data").glob("*.csv"):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for key, value in row.items():
                    if key and ("name" in key or key in {"title", "topic"}) and value:
                        names.add(value)
    import tomllib

    config = tomllib.loads((folder / "center.toml").read_text(encoding="utf-8"))
    names.add(config["center"]["name"])
    return {n for n in names if n}


@pytest.mark.parametrize("command", ["plan", "explain"])
def test_the_chinese_plan_and_explain_print_no_english_sentence(
    command: str, cli: object, example: object
) -> None:
    folder = example("inhouse-fintech")  # type: ignore[operator]
    args = ["plan", folder, "--lang", "zh", "--no-history", "--all"]
    if command == "explain":
        plan = json.loads(cli("plan", folder, "--json", "--no-history").stdout)  # type: ignore[operator]
        need = plan["needs"][0]
        args = ["explain", folder, need["agent_id"], "--lang", "zh"]
    result = cli(*args)  # type: ignore[operator]
    assert result.exit_code == 0, result.stderr
    assert english_sentences(result.stdout, _names(folder)) == []


def test_a_plugin_ships_its_own_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin package with ``locale/zh/LC_MESSAGES/<package>.mo`` has its reasons shown
    from it, found when ccrules loads the plugin; ccrules' terms still come from its own."""
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    package = tmp_path / "acme_rules"
    (package / "locale" / "zh" / "LC_MESSAGES").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    catalog = Catalog(locale="zh", domain="acme_rules")
    catalog.add("{agent} needs {format} on refunds.", "{agent} 需要关于退款的{format}。")
    out = io.BytesIO()
    write_mo(out, catalog)
    (package / "locale" / "zh" / "LC_MESSAGES" / "acme_rules.mo").write_bytes(out.getvalue())
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "acme_rules", raising=False)
    importlib.import_module("acme_rules")

    from ccrules._manager import _register_catalogue
    from ccrules.model import Format

    _register_catalogue("acme", "acme_rules")
    reason = Reason(
        "acme.refunds",
        "acme",
        "1.0",
        msg("{agent} needs {format} on refunds.", agent="张伟", format=Format.COACHING),
    )
    coaching = catalogue_of(None, "zh").gettext("coaching")
    assert text(reason, "zh") == f"张伟 需要关于退款的{coaching}。"
    assert reason.text == "张伟 needs coaching on refunds."
    # another plugin's reason with the same id is not translated from acme's catalogue
    other = attrs.evolve(reason, plugin="other")
    assert text(other, "zh") == f"张伟 needs {coaching} on refunds."


def test_the_chinese_report_shows_reasons_and_pack_reports_in_chinese() -> None:
    """The zh page renders every reason it shows from the catalogues: the English text of
    a reason is not on it, its Chinese text is; a pack report's title too."""
    import html

    from ccrules.report import render_report

    folder = next(c for c in EXAMPLE_CENTERS if c.name == "inhouse-fintech")
    with Engine.from_folder(folder) as engine:
        plan = engine.plan()
        zh = html.unescape(render_report(plan, engine.center, lang="zh"))
        en = html.unescape(render_report(plan, engine.center, lang="en"))
    deferred = [p for p in plan.priorities if p.status == "deferred"]
    assert deferred, "the example defers needs: the page lists them with their reasons"
    reason = deferred[0].reasons[0]
    assert reason.text in en
    assert reason.text not in zh
    assert text(reason, "zh") in zh
    for report in plan.reports:
        assert text(report.title, "zh", plugin=report.id.partition(".")[0]) in zh
