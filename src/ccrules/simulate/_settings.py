"""The outcome model's parameters: the ``[simulation]`` table of center.toml or a scenario file.

Every default has a source in docs/simulation.md: a published figure, the center's own data
(``None`` here means "estimated from the center's files"), or a stated assumption. A default
is never changed to make a rule pack look better; changing one needs its own source there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ccrules._convert import converter, structure_problems
from ccrules.errors import ConfigError, Problem

SETTINGS_KEY = "simulation"


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value > 0:  # also refuses nan
        raise ValueError(f"{attribute.name} must be above 0")


def _share(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0 <= value < 1:
        raise ValueError(f"{attribute.name} must be from 0 to below 1")


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value >= 0:
        raise ValueError(f"{attribute.name} must be 0 or more")


@attrs.frozen
class ModelSettings:
    """``[simulation]``: how training, time and people move a simulated center
    (``ccrules simulate``). Sources of the defaults: docs/simulation.md.

    :param effect_d: one training effect in spreads (SD) of the competency across agents, for
        a face-to-face group session of ``reference_minutes`` (Arthur, Bennett, Edens and Bell
        2003: d 0.60-0.63).
    :param face_to_face_ratio: mastery of face-to-face formats against multimedia; a
        micro-video gets ``effect_d`` divided by it (seed 001: about 1.5).
    :param tutoring_d: the effect of 1:1 coaching or shadowing, in SD (VanLehn 2011: 0.79).
    :param reference_minutes: the session length the effects stand for (assumption).
    :param dose_exponent: a session of m minutes gives (m / reference_minutes) ** this of the
        effect (assumption).
    :param attempt_exponent: the n-th attended session on one competency gives n ** -this of
        the first (power law of practice; exponent an assumption).
    :param trainer_score_weight: a trainer scored s of 5 scales the effect by
        1 + weight * (s - 3) / 2 (assumption).
    :param half_life_days: days for half of a level above the decay floor to fade without
        training (Tatel and Ackerman: about 6.5 months).
    :param decay_year_d: loss after a year without training, in SD; places the decay floor
        (Arthur, Bennett, Stanush and McNelly 1998: about 1.4).
    :param unmeasured_sd_d: uncertainty, in SD, of a level never scored in QA, around the
        role's required level (assumption).
    :param no_show: share of seats left empty at a session; empty: the share in
        data/outcomes.csv (0.1 without it).
    :param annual_attrition: leavers per year as a share of agents (assumption: set your own).
    :param interruption_hazard: hazard ratio after a team change or transfer (assumption).
    :param failure_hazard: hazard ratio after a demotion (assumption).
    :param qa_drop_hazard: hazard ratio while the true level falls (assumption).
    :param new_hire_hazard: hazard ratio in the first ``new_hire_days`` (assumption).
    :param qa_drop_points: a fall of this many points over 90 days counts as falling QA.
    :param interruption_days: days a team change or transfer counts as a signal.
    :param failure_days: days a demotion counts as a signal.
    :param new_hire_days: days an agent counts as a new hire.
    :param new_hire_gap_d: a new hire starts this many SD below the competency's mean.
    :param hire_delay_days: days from a leaver's last day to their replacement's first.
    :param release_drop_d: a release lowers every agent's level on its competency by this many
        SD until trained (assumption).
    :param satisfaction_trainer_weight: a rating moves this much per point of trainer score
        above 3 (assumption).
    :param spot_check_days: the on-site checks a review asks for are made within this many
        days after it.
    :param measure_days: days after each simulated cycle in which it is evaluated; empty: as
        the center's latest cycle is (its outcomes_to, else [evidence] after_days).
    """

    effect_d: float = attrs.field(default=0.6, validator=_non_negative)
    face_to_face_ratio: float = attrs.field(default=1.5, validator=_positive)
    tutoring_d: float = attrs.field(default=0.79, validator=_non_negative)
    reference_minutes: float = attrs.field(default=60.0, validator=_positive)
    dose_exponent: float = attrs.field(default=0.5, validator=_non_negative)
    attempt_exponent: float = attrs.field(default=0.5, validator=_non_negative)
    trainer_score_weight: float = attrs.field(default=0.2, validator=_non_negative)
    half_life_days: float = attrs.field(default=198.0, validator=_positive)
    decay_year_d: float = attrs.field(default=1.4, validator=_non_negative)
    unmeasured_sd_d: float = attrs.field(default=2.0, validator=_non_negative)
    no_show: float | None = attrs.field(default=None, validator=_share)
    annual_attrition: float = attrs.field(default=0.3, validator=_share)
    interruption_hazard: float = attrs.field(default=2.0, validator=_positive)
    failure_hazard: float = attrs.field(default=3.0, validator=_positive)
    qa_drop_hazard: float = attrs.field(default=1.5, validator=_positive)
    new_hire_hazard: float = attrs.field(default=1.5, validator=_positive)
    qa_drop_points: float = attrs.field(default=5.0, validator=_positive)
    interruption_days: int = attrs.field(default=90, validator=_positive)
    failure_days: int = attrs.field(default=180, validator=_positive)
    new_hire_days: int = attrs.field(default=180, validator=_positive)
    new_hire_gap_d: float = attrs.field(default=1.0, validator=_non_negative)
    hire_delay_days: int = attrs.field(default=14, validator=_non_negative)
    release_drop_d: float = attrs.field(default=1.0, validator=_non_negative)
    satisfaction_trainer_weight: float = attrs.field(default=0.3, validator=_non_negative)
    spot_check_days: int = attrs.field(default=5, validator=_positive)
    measure_days: int | None = attrs.field(default=None, validator=_positive)


def model_settings(
    table: Mapping[str, Any] | None,
    file: str,
    locate: Callable[[tuple[str | int, ...]], int | None] | None = None,
    base: ModelSettings | None = None,
) -> ModelSettings:
    """Structure a ``[simulation]`` table over ``base`` (the defaults when ``None``).

    :raises ConfigError: every unknown key and wrong value, with its file, line and path.
    """
    merged = {**converter.unstructure(base or ModelSettings()), **dict(table or {})}
    try:
        return converter.structure(merged, ModelSettings)
    except Exception as error:
        problems = structure_problems(error, file, (SETTINGS_KEY,), locate)
        if not problems:  # a validator's ValueError
            problems = [
                Problem(
                    file=file,
                    line=locate((SETTINGS_KEY,)) if locate else None,
                    path=SETTINGS_KEY,
                    message=f"{SETTINGS_KEY}: {error}",
                    code="bad-setting",
                )
            ]
        raise ConfigError(problems) from None
