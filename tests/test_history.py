"""The history store's invariants under any sequence of plan, approve and evaluate."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import tempfile
import uuid
from contextlib import closing
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import TINY

from ccrules import Engine, History
from ccrules.errors import InputError
from ccrules.model import Message, Outcome, Plan, Review


def history_in(folder: Path, store: str, center: str | None = None) -> History:
    """A center's history: in ``folder`` (SQLite), or in the PostgreSQL database ``store``
    under the center id ``center`` (a new one by default: many centers share a store)."""
    if not store:
        return History(folder)
    from ccrules._history_pg import PostgresStore

    return History(folder, store=PostgresStore(store, center or f"中心-{uuid.uuid4().hex[:8]}"))


@pytest.fixture(scope="module")
def planned() -> tuple[Plan, Review]:
    with Engine.from_folder(TINY) as engine:
        plan = engine.plan()
        outcomes = [
            Outcome(s.id, a, attended=True, post_score=90.0, satisfaction=4.0)
            for s in plan.sessions
            for a in s.attendees
        ]
        return plan, engine.review(plan, outcomes)


Step = tuple[str, int]

steps = st.lists(
    st.tuples(st.sampled_from(["plan", "replan", "approve", "review"]), st.integers(0, 3)),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_any_sequence_keeps_the_history_consistent(
    planned: tuple[Plan, Review], store: str, sequence: list[Step]
) -> None:
    plan, review = planned
    with tempfile.TemporaryDirectory() as folder:
        history = history_in(Path(folder), store)
        now = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
        for number, (action, variant) in enumerate(sequence):
            version = attrs.evolve(plan, digest=f"sha256:{variant:064x}")
            before = history.dump()
            try:
                if action == "plan":
                    history.record(version, {}, now=now)
                elif action == "replan":
                    history.record(version, {}, now=now, reason=f"change {number}")
                elif action == "approve":
                    history.approve(plan.cycle.id, "王芳", now=now)
                else:
                    approved = history.approved(plan.cycle.id)
                    if approved is None:
                        continue
                    done = attrs.evolve(
                        review, plan_revision=approved[0].revision, digest=version.digest
                    )
                    history.record_review(done, now=now)
            except InputError:
                # a refusal writes nothing
                assert history.dump() == before
        revisions = history.revisions(plan.cycle.id)
        assert [r.revision for r in revisions] == list(range(1, len(revisions) + 1))
        approved_count = sum(r.status == "approved" for r in revisions)
        assert approved_count <= 1
        # superseded revisions are older than the approved one
        if approved_count:
            current = next(r for r in revisions if r.status == "approved")
            assert all(r.revision < current.revision for r in revisions if r.status == "superseded")
            assert current.approved_by == "王芳"
        # consecutive revisions differ in digest: the same plan is never recorded twice in a row
        digests = [r.digest for r in revisions]
        assert all(a != b for a, b in itertools.pairwise(digests))
        records = history.review_records(plan.cycle.id)
        assert [r.number for r in records] == list(range(1, len(records) + 1))
        assert all(a.digest != b.digest for a, b in itertools.pairwise(records))
        # every review evaluated an approved (or since superseded) revision
        statuses = {r.revision: r.status for r in revisions}
        assert all(statuses[r.plan_revision] in ("approved", "superseded") for r in records)


def test_an_old_history_file_gains_the_new_columns(
    tmp_path: Path, planned: tuple[Plan, Review]
) -> None:
    plan, _ = planned
    folder = tmp_path / ".ccrules"
    folder.mkdir()
    # closing() closes; the inner ``con`` block commits
    with closing(sqlite3.connect(folder / "history.sqlite")) as con, con:
        con.execute(
            "CREATE TABLE revisions (cycle_id TEXT NOT NULL, revision INTEGER NOT NULL, "
            "digest TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'draft', created_at TEXT NOT "
            "NULL, ccrules_version TEXT NOT NULL, plugins TEXT NOT NULL, summary TEXT NOT NULL, "
            "plan TEXT NOT NULL, reason TEXT, PRIMARY KEY (cycle_id, revision))"
        )
        con.execute(
            "INSERT INTO revisions VALUES ('2026-W49', 1, 'sha256:old', 'draft', "
            "'2026-11-01T00:00:00+00:00', '0.1.0', '[]', '{}', '{}', NULL)"
        )
    con.close()
    history = History(tmp_path)
    (old,) = history.revisions()
    assert (old.revision, old.approved_by) == (1, None)
    done = history.approve("2026-W49", "李强")
    assert done.status == "approved" and done.approved_by == "李强"
    recorded = history.record(plan, {}, reason="replanned after the upgrade")
    assert recorded.revision == 2


def test_a_plan_back_to_the_approved_one_is_unchanged(
    planned: tuple[Plan, Review], tmp_path: Path, store: str
) -> None:
    # approved revision 1, a replanned draft 2 with a reason, then the inputs go back: the
    # plan equals revision 1 again, so nothing is recorded and no reason is asked for
    plan, _ = planned
    history = history_in(tmp_path, store)
    history.record(plan, {})
    history.approve(plan.cycle.id, "李强")
    history.record(attrs.evolve(plan, digest="sha256:other"), {}, reason="TR-10 gives an hour")

    again = history.record(plan, {})

    assert (again.revision, again.status, again.created) == (1, "approved", False)
    assert [r.revision for r in history.revisions()] == [1, 2]


def reviewed(planned: tuple[Plan, Review], folder: Path, store: str = "") -> History:
    """A history with the plan recorded and approved, and its review recorded."""
    plan, review = planned
    history = history_in(folder, store)
    history.record(plan, {})
    history.approve(plan.cycle.id, by="t")
    history.record_review(review)
    return history


def test_the_history_stores_plans_and_reviews_packed_and_reads_them_back(
    planned: tuple[Plan, Review], tmp_path: Path
) -> None:
    plan, review = planned
    history = reviewed(planned, tmp_path)
    with closing(sqlite3.connect(history.path)) as con:
        (stored_plan,) = con.execute("SELECT plan FROM revisions").fetchone()
        (stored_review,) = con.execute("SELECT review FROM reviews").fetchone()
    # compressed one-line JSON, the same text as plan_to_json(indent=None) writes
    from ccrules._planjson import plan_to_json, review_to_json, unpacked

    assert isinstance(stored_plan, bytes) and isinstance(stored_review, bytes)
    assert unpacked(stored_plan) == plan_to_json(plan, indent=None)
    assert unpacked(stored_review) == review_to_json(review, indent=None)
    # a report's title and summary may be messages: kept as text, id and parameters
    assert any(isinstance(report.title, Message) for report in plan.reports)
    assert history.plan(plan.cycle.id) == plan
    assert history.review(plan.cycle.id) == review


@pytest.mark.parametrize("batch", [1, 2, 3, 2000])
def test_packing_in_batches_gives_the_one_line_text(
    planned: tuple[Plan, Review], batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccrules import _planjson

    plan, review = planned
    monkeypatch.setattr(_planjson, "_BATCH", batch)
    assert len(plan.needs) > 3 and len(review.evaluations) > 3  # lists cut into batches
    assert _planjson.unpacked(_planjson.plan_packed(plan)) == _planjson.plan_to_json(
        plan, indent=None
    )
    assert _planjson.unpacked(_planjson.review_packed(review)) == _planjson.review_to_json(
        review, indent=None
    )


def test_indented_json_in_blocks_is_the_unstructured_text(planned: tuple[Plan, Review]) -> None:
    """The indented text, made object by object and written in blocks, is exactly the text
    of the converter's unstructured plan and review (what it was made from before)."""
    import json

    from ccrules import _planjson
    from ccrules._convert import converter

    plan, review = planned
    for value, fmt, blocks in (
        (plan, _planjson.PLAN_FORMAT, _planjson.plan_json_blocks),
        (review, _planjson.REVIEW_FORMAT, _planjson.review_json_blocks),
    ):
        data = {"format": fmt, **converter.unstructure(value)}
        expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        assert "".join(blocks(value)) == expected
        pieces = list(_planjson._blocks(_planjson._indented(data, 2), size=100))
        assert len(pieces) > 10 and "".join(pieces) == expected
    assert _planjson.plan_to_json(plan) == "".join(_planjson.plan_json_blocks(plan))


def test_a_history_that_holds_json_text_reads_back(
    planned: tuple[Plan, Review], tmp_path: Path
) -> None:
    # histories written before plans were packed hold their JSON as text
    from ccrules._planjson import plan_to_json, review_to_json

    plan, review = planned
    history = reviewed(planned, tmp_path)
    with closing(sqlite3.connect(history.path)) as con, con:
        con.execute("UPDATE revisions SET plan = ?", (plan_to_json(plan),))
        con.execute("UPDATE reviews SET review = ?", (review_to_json(review),))
    assert history.plan(plan.cycle.id) == plan
    assert history.approved(plan.cycle.id) is not None
    assert history.review(plan.cycle.id) == review
    assert history.latest_reviews() == [review]


def test_both_stores_read_back_the_same_plan_and_review_json(
    planned: tuple[Plan, Review], tmp_path: Path, store: str
) -> None:
    """The plan JSON and the review JSON a store gives back are byte-identical to what was
    recorded, in SQLite and in PostgreSQL alike."""
    from ccrules._planjson import plan_to_json, review_to_json

    plan, review = planned
    history = reviewed(planned, tmp_path, store)
    recorded = history.plan(plan.cycle.id)
    approved = history.approved(plan.cycle.id)
    again = history.review(plan.cycle.id)
    assert recorded is not None and approved is not None and again is not None
    assert plan_to_json(recorded).encode() == plan_to_json(plan).encode()
    assert plan_to_json(approved[1]).encode() == plan_to_json(plan).encode()
    assert review_to_json(again).encode() == review_to_json(review).encode()
    assert history.latest_reviews() == [review]
    assert [(r.revision, r.status, r.approved_by) for r in history.revisions()] == [
        (1, "approved", "t")
    ]
