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
    """How training, time and people move a simulated center (``[simulation]``)."""

    #: Size of one training effect, in spreads (SD) of the competency across agents, for a
    #: face-to-face group session of ``reference_minutes`` (Arthur, Bennett, Edens and Bell
    #: 2003: sample-weighted mean d 0.60-0.63).
    effect_d: float = attrs.field(default=0.6, validator=_non_negative)
    #: Mastery of face-to-face formats against multimedia (seed 001: about 50% higher).
    face_to_face_ratio: float = attrs.field(default=1.5, validator=_positive)
    #: Effect of 1:1 coaching, in SD (VanLehn 2011: human tutoring d 0.79).
    tutoring_d: float = attrs.field(default=0.79, validator=_non_negative)
    #: Length of session that gives the full effect; shorter or longer sessions scale by
    #: (minutes / reference) ** dose_exponent (assumption, docs/simulation.md).
    reference_minutes: float = attrs.field(default=60.0, validator=_positive)
    dose_exponent: float = attrs.field(default=0.5, validator=_non_negative)
    #: The n-th attended session on one competency gives n ** -attempt_exponent of the first
    #: (the power law of practice, Newell and Rosenbloom 1981; exponent an assumption).
    attempt_exponent: float = attrs.field(default=0.5, validator=_non_negative)
    #: A trainer's score s (0-5) scales the effect by 1 + weight * (s - 3) / 2 (assumption).
    trainer_score_weight: float = attrs.field(default=0.2, validator=_non_negative)
    #: Days for half of a level above the decay floor to be lost without training (Tatel and
    #: Ackerman: half of a gain lost after about 6.5 months).
    half_life_days: float = attrs.field(default=198.0, validator=_positive)
    #: Loss after a year without training, in SD (Arthur, Bennett, Stanush and McNelly 1998:
    #: d about -1.4 after more than a year of non-use); sets the floor levels decay towards.
    decay_year_d: float = attrs.field(default=1.4, validator=_non_negative)
    #: Uncertainty of a level never measured in QA, in SD around the role's required level.
    unmeasured_sd_d: float = attrs.field(default=2.0, validator=_non_negative)
    #: Share of seats left empty at a session; ``None``: from data/outcomes.csv (0.1 without).
    no_show: float | None = attrs.field(default=None, validator=_share)
    #: Leavers per year as a share of agents (assumption; set your center's own).
    annual_attrition: float = attrs.field(default=0.3, validator=_share)
    #: Hazard ratios of the signals the attrition rule reads (assumptions).
    interruption_hazard: float = attrs.field(default=2.0, validator=_positive)
    failure_hazard: float = attrs.field(default=3.0, validator=_positive)
    qa_drop_hazard: float = attrs.field(default=1.5, validator=_positive)
    new_hire_hazard: float = attrs.field(default=1.5, validator=_positive)
    #: A fall of this many points of true level over 90 days counts as falling QA.
    qa_drop_points: float = attrs.field(default=5.0, validator=_positive)
    interruption_days: int = attrs.field(default=90, validator=_positive)
    failure_days: int = attrs.field(default=180, validator=_positive)
    new_hire_days: int = attrs.field(default=180, validator=_positive)
    #: A new hire starts this many SD below the competency's mean.
    new_hire_gap_d: float = attrs.field(default=1.0, validator=_non_negative)
    #: Days from a leaver's last day to the first day of the hire who replaces them.
    hire_delay_days: int = attrs.field(default=14, validator=_non_negative)
    #: A release lowers every agent's level on its competency by this many SD until trained.
    release_drop_d: float = attrs.field(default=1.0, validator=_non_negative)
    #: Satisfaction (1-5) moves by this much per point of trainer score above 3 (assumption).
    satisfaction_trainer_weight: float = attrs.field(default=0.3, validator=_non_negative)
    #: On-site checks the review asks for are made within this many days after it.
    spot_check_days: int = attrs.field(default=5, validator=_positive)
    #: Days after each simulated cycle in which it is evaluated; ``None``: as the center's
    #: latest cycle is (its ``outcomes_to``, else ``[evidence] after_days``).
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
