"""The group page of ``ccrules group report``: one self-contained HTML page over a group of
centers, linking each center's report.

The page holds the group summary (the figures ``ccrules group plan`` adds up, and the
review's once centers were evaluated) and one row per center: its figures and a link to its
report, or, for a center that did not complete, what went wrong and no link. It is built
from the same pieces as the center report (:mod:`ccrules._html`, its style, its
Content-Security-Policy and its labels in ``report_labels.toml``), so it loads nothing from
the network, escapes every name, and speaks English or Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from urllib.parse import quote

from ccrules import __version__
from ccrules._html import Markup, el, join, number, scrolling, table
from ccrules._render import money
from ccrules.group import (
    BAD_INPUT,
    FAILED,
    REPORTED,
    CenterOutcome,
    Figure,
    review_total,
    total,
)
from ccrules.i18n import label as term
from ccrules.i18n import language
from ccrules.report import _CSP, _CSS, _HTML_LANG, LABELS, _code_text

__all__ = ["INDEX", "render_group_page"]

#: the group page's file name in the output folder
INDEX = "index.html"

#: the group page's own style, after the center report's: headers on one line (the table
#: scrolls sideways on a narrow screen instead)
_GROUP_CSS = "th { white-space: nowrap; }\n"

_STATUS = {REPORTED: "group_reported", BAD_INPUT: "group_bad_input", FAILED: "group_failed"}


def page_link(outcome: CenterOutcome) -> str | None:
    """The relative link from the group page to a center's report (``NAME/report-….html``,
    each part percent-encoded), or ``None`` when the center has no report."""
    if outcome.status != REPORTED or outcome.page_name is None:
        return None
    return "/".join(quote(part) for part in PurePosixPath(outcome.name, outcome.page_name).parts)


def _behaviour(figures: Sequence[Figure]) -> Figure | None:
    return next((f for f in figures if f.metric == "behaviour"), None)


def _effect(figure: Figure | None, labels: Mapping[str, str]) -> str:
    if figure is None:
        return "–"
    if figure.value is None:
        return labels["value_not enough data"]
    if figure.low is not None and figure.high is not None:
        low, high = round(figure.low, 1) + 0.0, round(figure.high, 1) + 0.0
        return f"{round(figure.value, 1) + 0.0:+.1f} [{low:+.1f}, {high:+.1f}]"
    return number(figure.value)


def render_group_page(group: str, outcomes: Sequence[CenterOutcome], lang: str) -> str:
    """The group page as HTML text.

    :param group: the group's name for the title (its folder's name).
    :param outcomes: what ``group report`` got from each center, in the group's order.
    :param lang: ``en`` or ``zh``.
    :raises ValueError: for an unknown ``lang``.
    """
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LABELS)}")
    with language(lang):
        return _page(group, outcomes, lang)


def _page(group: str, outcomes: Sequence[CenterOutcome], lang: str) -> str:
    labels = LABELS[lang]

    def lab(key: str, **values: object) -> str:
        text = labels[key]
        return text.format(**{k: str(v) for k, v in values.items()}) if values else text

    plan_total = total(outcomes)
    reviews = review_total(outcomes)
    failed = [o for o in outcomes if o.status != REPORTED]
    cost = (
        money(plan_total.cost, plan_total.currency)
        if plan_total.cost is not None
        else lab("group_mixed")
    )
    figures = [
        ("group_centers_done", f"{plan_total.centers} / {len(outcomes)}"),
        ("needs_count", plan_total.needs),
        ("sessions", plan_total.sessions),
        ("attendee_hours", number(plan_total.attendee_hours, 1)),
        ("trainer_hours", number(plan_total.trainer_hours, 1)),
        ("trainer_cost", cost),
        ("group_below_floor", plan_total.intervals_below_floor),
    ]
    review_figures = (
        [
            ("group_reviewed", reviews.centers),
            ("group_review_sessions", reviews.sessions),
            ("group_needs_met", reviews.needs_met),
            ("group_needs_carried", reviews.needs_carried),
            ("group_escalated", reviews.escalated),
            ("group_checks", reviews.on_site_checks),
        ]
        if reviews.centers
        else []
    )

    def boxes(items: Sequence[tuple[str, object]]) -> Markup:
        return el(
            "div",
            {"class": "figures"},
            [
                el("div", {"class": "figure"}, el("b", None, str(v)), el("span", None, lab(k)))
                for k, v in items
            ],
        )

    reading = lab(
        "group_reading",
        done=plan_total.centers,
        count=len(outcomes),
        needs=plan_total.needs,
        sessions=plan_total.sessions,
        hours=number(plan_total.attendee_hours, 1),
    )
    summary = el(
        "section",
        {"class": "section", "id": "group", "data-state": "data"},
        el("h2", None, lab("group_summary")),
        el("p", {"class": "reading"}, reading),
        el("p", {"class": "reading"}, _code_text(lab("group_reading_failed", failed=len(failed))))
        if failed
        else None,
        boxes(figures),
        boxes(review_figures) if review_figures else None,
    )

    headers = [
        lab("center"),
        lab("cycle"),
        lab("status"),
        lab("group_plan"),
        lab("needs_count"),
        lab("sessions"),
        lab("attendee_hours"),
        lab("trainer_hours"),
        lab("trainer_cost"),
        lab("group_below_floor"),
    ]
    numeric = [False, False, False, False, True, True, True, True, True, True]
    if reviews.centers:
        headers += [
            lab("group_needs_met"),
            lab("group_needs_carried"),
            lab("group_behaviour"),
            lab("verdict"),
        ]
        numeric += [True, True, True, False]
    if failed:
        headers.append(lab("group_error"))
        numeric.append(False)
    rows = []
    for outcome in outcomes:
        link = page_link(outcome)
        name: object = el("a", {"href": link}, outcome.name) if link is not None else outcome.name
        s = outcome.summary
        if outcome.status != REPORTED:
            plan = "–"
        elif outcome.approved_revision is not None:
            plan = lab("group_plan_approved", revision=outcome.approved_revision)
        else:
            plan = lab("group_plan_draft")
        row: list[object] = [
            name,
            outcome.cycle or "–",
            lab(_STATUS[outcome.status]),
            plan,
            *(
                (
                    s.needs,
                    s.sessions,
                    number(s.attendee_hours, 1),
                    number(s.trainer_hours, 1),
                    money(s.cost, s.currency),
                    s.intervals_below_floor,
                )
                if s is not None
                else ("–",) * 6
            ),
        ]
        if reviews.centers:
            r = outcome.review
            if r is None:
                row += ["–", "–", "–", "–"]
            else:
                effect = _behaviour(r.figures)
                row += [
                    r.needs_met,
                    r.needs_carried,
                    _effect(effect, labels),
                    term(effect.verdict) if effect is not None and effect.verdict else "–",
                ]
        if failed:
            row.append(_error(outcome))
        rows.append(row)
    total_row: list[object] = [
        lab("group_total", count=plan_total.centers),
        "",
        "",
        "",
        plan_total.needs,
        plan_total.sessions,
        number(plan_total.attendee_hours, 1),
        number(plan_total.trainer_hours, 1),
        cost,
        plan_total.intervals_below_floor,
    ]
    if reviews.centers:
        total_row += [reviews.needs_met, reviews.needs_carried, "", ""]
    if failed:
        total_row.append("")
    rows.append(total_row)
    centers = el(
        "section",
        {"class": "section", "id": "centers", "data-state": "data"},
        el("h2", None, lab("group_centers")),
        el("p", {"class": "reading"}, lab("group_centers_reading")),
        scrolling(table(headers, rows, numeric=numeric)),
    )

    title = lab("group_title", group=group)
    header = el(
        "header",
        None,
        el("h1", None, title),
        el(
            "p",
            {"class": "meta"},
            lab("group_generated", version=__version__, count=len(outcomes)),
        ),
    )
    document = join(
        Markup("<!DOCTYPE html>\n"),
        el(
            "html",
            {"lang": _HTML_LANG[lang]},
            el(
                "head",
                None,
                el("meta", {"charset": "utf-8"}),
                el("meta", {"http-equiv": "Content-Security-Policy", "content": _CSP}),
                el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
                el("meta", {"name": "generator", "content": f"ccrules {__version__}"}),
                el("title", None, title),
                el("style", None, Markup(_CSS + _GROUP_CSS)),
            ),
            el("body", None, header, el("main", None, summary, centers)),
        ),
        Markup("\n"),
    )
    return document.replace("><section", ">\n<section")


def _error(outcome: CenterOutcome) -> str:
    """What went wrong with a center, in one cell: its run-time error, or its first input
    problem (and how many more)."""
    if outcome.status == FAILED:
        return outcome.error or "–"
    if outcome.status == BAD_INPUT and outcome.problems:
        first = outcome.problems[0].shown()
        more = len(outcome.problems) - 1
        return first if more == 0 else f"{first} (+{more})"
    return ""
