"""The outcome model, piece by piece, against values computed by hand."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLES

from ccrules import Engine
from ccrules.model import Format, Session, Trainer, TrainerKind
from ccrules.simulate import ModelSettings
from ccrules.simulate._calibrate import Calibration, calibrate
from ccrules.simulate._world import World

FINTECH = EXAMPLES / "inhouse-fintech"


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    with Engine.from_folder(FINTECH) as engine:
        return calibrate(engine, ModelSettings())


def session(
    fmt: Format,
    minutes: int,
    attendees: tuple[str, ...],
    competency: str,
    trainer: str | None = None,
) -> Session:
    return Session(
        id="S-01",
        course_id="K",
        competency_id=competency,
        format=fmt,
        duration_minutes=minutes,
        attendees=attendees,
        need_ids=(),
        rank=1,
        trainer_id=trainer,
    )


def no_shows(world: World) -> World:
    world.no_show[:] = 0.0
    return world


def test_calibration_reads_the_center(calibration: Calibration) -> None:
    assert calibration.base_cycle == "2026-W49"
    assert calibration.period_days == 7
    assert calibration.after_days == 28  # the latest cycle sets no outcomes_to
    assert len(calibration.seats) == 60
    for mean, spread, floor in zip(
        calibration.mean, calibration.spread, calibration.floor, strict=True
    ):
        assert 0 < spread < 30
        # decay_year_d spreads after a year: depth = 1.4 / (1 - 0.5 ** (365 / 198))
        assert floor == pytest.approx(mean - 1.4 / (1 - 0.5 ** (365 / 198)) * spread)


@pytest.mark.parametrize(
    ("fmt", "minutes", "group", "d"),
    [
        (Format.CLASSROOM, 60, 5, 0.6),  # Arthur et al. 2003 at the reference length
        (Format.MICRO_VIDEO, 60, 1, 0.6 / 1.5),  # seed 001: face-to-face 1.5x multimedia
        (Format.COACHING, 60, 1, 0.79),  # VanLehn 2011, 1:1 tutoring
        (Format.PRE_SHIFT, 15, 6, 0.6 * 0.5),  # (15 / 60) ** 0.5
        (Format.CLASSROOM, 240, 5, 0.6 * 2.0),  # (240 / 60) ** 0.5
    ],
)
def test_learning_by_format_and_length(
    calibration: Calibration, fmt: Format, minutes: int, group: int, d: float
) -> None:
    world = no_shows(World(calibration, ModelSettings(), seed=1, run=0))
    comp = calibration.competencies.index("C-COMPLY")
    agents = tuple(s.agent_id for s in calibration.seats[:group])
    world.level[:, comp] = 40.0  # far from any cap
    world.deliver("C1", [session(fmt, minutes, agents, "C-COMPLY")], {}, dt.date(2026, 11, 30))
    expected = 40.0 + d * calibration.spread[comp]
    assert world.level[: len(agents), comp] == pytest.approx(expected)
    assert [g.gain for g in world.gains] == pytest.approx([d * calibration.spread[comp]] * group)


def test_trainer_level_caps_and_score_scales(calibration: Calibration) -> None:
    comp = calibration.competencies.index("C-COMPLY")
    world = no_shows(World(calibration, ModelSettings(), seed=1, run=0))
    agents = tuple(s.agent_id for s in calibration.seats[:2])
    world.level[:2, comp] = [40.0, 60.0]
    weak = Trainer("TX", "weak", TrainerKind.FULL_TIME, 10, score=5.0)
    world.calibration.trainer_level["TX"] = {comp: 42.0}
    world.deliver(
        "C1",
        [session(Format.CLASSROOM, 60, agents, "C-COMPLY", "TX")],
        {"TX": weak},
        dt.date(2026, 11, 30),
    )
    # capped at the trainer's 42; the agent already above the trainer learns nothing
    assert world.level[:2, comp] == pytest.approx([42.0, 60.0])
    del world.calibration.trainer_level["TX"]
    world.level[:2, comp] = 40.0
    world.attempts[:] = 0
    world.deliver(
        "C1",
        [session(Format.CLASSROOM, 60, agents, "C-COMPLY", "TX")],
        {"TX": weak},
        dt.date(2026, 11, 30),
    )
    # a score of 5 gives 1 + 0.2 * (5 - 3) / 2 = 1.2 times the effect
    assert world.level[0, comp] == pytest.approx(40 + 1.2 * 0.6 * calibration.spread[comp])


def test_later_attempts_give_less(calibration: Calibration) -> None:
    comp = calibration.competencies.index("C-COMPLY")
    world = no_shows(World(calibration, ModelSettings(), seed=1, run=0))
    agent = (calibration.seats[0].agent_id,)
    world.level[0, comp] = 30.0
    for _ in range(3):
        world.deliver(
            "C1", [session(Format.CLASSROOM, 60, agent, "C-COMPLY")], {}, dt.date(2026, 11, 30)
        )
    one = 0.6 * calibration.spread[comp]
    gains = [g.gain for g in world.gains]
    assert gains == pytest.approx([one, one * 2**-0.5, one * 3**-0.5])


def test_no_shows_learn_nothing_and_are_reported(calibration: Calibration) -> None:
    world = World(calibration, ModelSettings(no_show=0.99), seed=1, run=0)
    world.no_show[:] = 1.0
    agents = tuple(s.agent_id for s in calibration.seats[:3])
    before = world.level.copy()
    rows = world.deliver(
        "C1", [session(Format.CLASSROOM, 60, agents, "C-COMPLY")], {}, dt.date(2026, 11, 30)
    )
    assert [r[3] for r in rows] == ["false"] * 3
    assert [r[4:] for r in rows] == [("", "")] * 3
    assert (world.level == before).all()


def test_decay_halves_the_distance_to_the_floor_each_half_life(calibration: Calibration) -> None:
    model = ModelSettings(half_life_days=10, annual_attrition=0.0)
    world = World(calibration, model, seed=1, run=0)
    above = world.level - world.floor
    day = calibration.start
    for offset in range(10):
        world.advance(day + dt.timedelta(days=offset))
    assert world.level - world.floor == pytest.approx(above / 2)


def test_a_gain_held_over_a_window_matches_the_sum_of_its_days(calibration: Calibration) -> None:
    from ccrules.simulate._world import Gain

    world = World(calibration, ModelSettings(half_life_days=30), seed=1, run=0)
    gain = Gain("C1", "S", "K", None, "A", 0, dt.date(2027, 1, 1), 6.0)
    first, last = dt.date(2027, 1, 5), dt.date(2027, 1, 18)
    by_day = [6.0 * (0.5 ** (1 / 30)) ** ((first - gain.day).days + t) for t in range(14)]
    assert world.in_window(gain, first, last) == pytest.approx(sum(by_day) / 14)


def test_qa_observes_the_true_level_with_the_centers_noise(calibration: Calibration) -> None:
    bias = 3.0  # one evaluator ...
    one = attrs.evolve(
        calibration, evaluators=("QA-1",), evaluator_bias=(bias,), evaluator_weight=(1,)
    )
    world = World(one, ModelSettings(), seed=7, run=0)
    world.level[:] = 70.0
    rows = []
    for offset in range(1, 200):
        rows.extend(world.qa_rows(calibration.qa_last + dt.timedelta(days=offset)))
    item_max = dict(zip(calibration.items, calibration.item_max, strict=True))
    pct = np.array([100 * float(r[4]) / item_max[r[3]] for r in rows])
    assert len(rows) > 5_000
    # ... whose leniency shifts every score; the item noise is the center's own
    assert pct.mean() == pytest.approx(70 + bias, abs=0.5)
    assert pct.std() == pytest.approx(float(np.mean(world.noise)), rel=0.15)
    # the sampling rate is the center's own: evaluations per agent and week
    evaluations = len({r[0] for r in rows})
    weeks = 199 / 7
    assert evaluations / weeks / 60 == pytest.approx(sum(calibration.qa_rate), rel=0.15)


def test_attrition_hazard(calibration: Calibration) -> None:
    model = ModelSettings(annual_attrition=0.3, hire_delay_days=0)
    left = 0
    exposed = 0
    for run in range(20):
        world = World(calibration, model, seed=3, run=run)
        world.calibration.moves.clear()
        world.hired[:] = [dt.date(2000, 1, 1)] * len(world.hired)
        day = calibration.start
        for week in range(52):
            exposed += int(world.on_floor().sum())
            world.advance(day + dt.timedelta(days=7 * week))
            world.hired[:] = [dt.date(2000, 1, 1)] * len(world.hired)
        left += len(world.leavers)
    weekly = 1 - 0.7 ** (7 / 365)
    assert left / exposed == pytest.approx(weekly, rel=0.2)


def test_a_demotion_triples_the_hazard(calibration: Calibration) -> None:
    model = ModelSettings(annual_attrition=0.3)
    world = World(calibration, model, seed=3, run=0)
    agent = calibration.seats[5].agent_id
    world.calibration.moves[agent] = ((calibration.start, "demotion"),)
    world.hired[5] = dt.date(2000, 1, 1)
    weekly = 1 - 0.7 ** (7 / 365)
    # the draw that decides is the same; only the hazard it is held against changes
    from ccrules.simulate._world import _ATTRITION, rng

    draw = rng(3, 0, _ATTRITION, calibration.start.toordinal()).random(60)[5]
    world.advance(calibration.start)
    gone = any(lv.agent_id == agent for lv in world.leavers)
    assert gone == (draw < 3 * weekly)
    del world.calibration.moves[agent]


@settings(max_examples=25, deadline=None)
@given(
    small=st.floats(0.0, 1.5),
    extra=st.floats(0.0, 1.5),
    minutes=st.integers(5, 240),
    seed=st.integers(0, 2**16),
)
def test_a_larger_effect_never_closes_less_gap(
    calibration: Calibration, small: float, extra: float, minutes: int, seed: int
) -> None:
    agents = tuple(s.agent_id for s in calibration.seats[:20])
    gaps = []
    for d in (small, small + extra):
        world = World(calibration, ModelSettings(effect_d=d), seed=seed, run=0)
        for offset, comp in enumerate(("C-COMPLY", "C-NEEDS", "C-COMM")):
            day = calibration.start + dt.timedelta(days=offset)
            world.advance(day)
            world.deliver("C1", [session(Format.CLASSROOM, minutes, agents, comp)], {}, day)
        gaps.append(world.gap()[0])
    assert gaps[1] <= gaps[0] + 1e-9


def test_the_same_seed_and_run_draw_the_same_world(calibration: Calibration) -> None:
    a = World(calibration, ModelSettings(), seed=5, run=2)
    b = World(calibration, ModelSettings(), seed=5, run=2)
    c = World(calibration, ModelSettings(), seed=5, run=3)
    assert (a.level == b.level).all()
    assert not (a.level == c.level).all()
    day = calibration.qa_last + dt.timedelta(days=1)
    assert a.qa_rows(day) == b.qa_rows(day)


def test_settings_are_checked() -> None:
    from ccrules.errors import ConfigError
    from ccrules.simulate._settings import model_settings

    with pytest.raises(ConfigError) as error:
        model_settings({"half_life_days": -1, "colour": 3}, "center.toml")
    text = " ".join(str(p) for p in error.value.problems)
    assert "colour" in text
    with pytest.raises(ConfigError):
        model_settings({"effect_d": float("nan")}, "center.toml")
    assert model_settings({"effect_d": 0.5}, "x.toml").effect_d == 0.5
    assert attrs.asdict(model_settings(None, "x.toml")) == attrs.asdict(ModelSettings())
