"""Operator text in the reader's language: message ids, gettext catalogues, the current language.

A rule writes its reason as a :class:`~ccrules.model.Message`: an English message id with
``{name}`` fields and the parameters' values. The plan keeps the id and the values; the text
is made when it is shown, in the reader's language, from gettext catalogues:

- ccrules' own catalogue (domain ``ccrules``, in ``ccrules/locale``) holds the command line's
  text and the terms every pack shares (formats, stages, ...);
- each plugin package ships its own: ``<package>/locale/<lang>/LC_MESSAGES/<package>.mo``
  beside its ``__init__.py``. ccrules finds it when it loads the plugin; a plugin's reasons
  are looked up there first, then in ccrules' catalogue.

The language is ``en`` or ``zh``. A command's ``--lang`` sets it; without it,
``CCRULES_LANG``, then ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` decide (any ``zh*`` is
Chinese). Python callers use :func:`language`::

    from ccrules.i18n import language, text

    with language("zh"):
        print(text(plan.needs[0].reasons[0]))
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import gettext
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from ccrules.model import _FIELDS_OF, Message, MessageValue, Reason, message_fields

__all__ = [
    "LANGUAGES",
    "N_",
    "catalogue_of",
    "clauses",
    "get_language",
    "label",
    "language",
    "language_from_env",
    "msg",
    "plugin_of",
    "register_catalogue",
    "separator",
    "text",
    "tr",
    "translate",
    "translator",
]

#: the languages ccrules speaks; the first is the language of message ids
LANGUAGES = ("en", "zh")

#: ccrules' own catalogue domain and folder
CORE_DOMAIN = "ccrules"
CORE_LOCALE = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("ccrules_language", default="")


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: ``CCRULES_LANG``, else the first of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set; ``zh`` for any Chinese locale
    (``zh_CN.UTF-8``, ``zh_TW``), ``en`` otherwise."""
    env = os.environ if environ is None else environ
    for name in ("CCRULES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def get_language() -> str:
    """The current language: the one set by :func:`language`, else the environment's."""
    return _current.get() or language_from_env()


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Render text in ``lang`` (``en`` or ``zh``; ``None``: from the environment) inside
    the block."""
    chosen = language_from_env() if lang is None else lang
    if chosen not in LANGUAGES:
        raise ValueError(f"language {chosen!r} is not one of {', '.join(LANGUAGES)}")
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def N_(message_id: str) -> str:
    """Mark a string for the catalogue without translating it here (the extractor sees it;
    it is translated where it is shown)."""
    return message_id


def msg(message_id: str, /, **params: object) -> Message:
    """A message: ``message_id`` with its ``{name}`` fields filled from ``params`` when shown.

    :raises ValueError: when ``params`` do not name exactly the fields of the id.
    """
    names = _FIELDS_OF.get(message_id)
    if names is None:
        names = message_fields(message_id)
    if len(params) == len(names):
        try:
            values = tuple([params[name] for name in names])
        except KeyError:
            pass
        else:
            # a large plan makes hundreds of thousands: plain values go in as they are
            for value in values:
                if type(value) not in _PLAIN:
                    values = tuple([_param(value) for value in values])
                    break
            return _made(message_id, values)  # type: ignore[arg-type]
    missing = sorted(set(names) - set(params))
    extra = sorted(set(params) - set(names))
    raise ValueError(
        f"message {message_id!r}: "
        + "; ".join(
            part
            for part in (
                f"no value for {', '.join(missing)}" if missing else "",
                f"no field for {', '.join(extra)}" if extra else "",
            )
            if part
        )
    )


def clauses(items: Sequence[MessageValue]) -> MessageValue:
    """``items`` joined by ``"; "`` as one message (each item translated in turn; Chinese
    joins them by ``"；"``), for a sentence listing several findings; ``""`` for none."""
    if not items:
        return ""
    joined = items[-1]
    for item in reversed(items[:-1]):
        joined = _made("{first}; {rest}", (item, joined))
    return joined


#: the message :func:`clauses` is made of (marked here for the catalogue)
_CLAUSES = N_("{first}; {rest}")


#: parameter types a message keeps as they are
_PLAIN = frozenset({str, int, float, bool, type(None), Message})


def _made(message_id: str, values: tuple[MessageValue, ...]) -> Message:
    """A message whose values are known to fit its fields (checked by :func:`msg`), made
    without checking again."""
    made = object.__new__(Message)
    object.__setattr__(made, "id", message_id)
    object.__setattr__(made, "values", values)
    return made


def _param(value: object) -> MessageValue:
    """A parameter as a message keeps it: an enum member (a format, a stage) becomes a term
    translated in turn, a date or time ISO text, a list a tuple."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value  # type: ignore[return-value]
    if kind is Message:
        return value  # type: ignore[return-value]
    if isinstance(value, enum.Enum):
        return Message(str(value.value))
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, dt.date | dt.datetime):
        return (
            value.isoformat(sep=" ", timespec="minutes")
            if isinstance(value, dt.datetime)
            else value.isoformat()
        )
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return tuple(_param(item) for item in items)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


# -- catalogues ------------------------------------------------------------------------------

#: plugin name -> (gettext domain, locale folder)
_PLUGIN_CATALOGUES: dict[str, tuple[str, Path]] = {}
_LOADED: dict[tuple[str, str, str], gettext.NullTranslations] = {}


def register_catalogue(plugin: str, domain: str, localedir: Path) -> None:
    """Use the catalogue ``domain`` in ``localedir`` for the reasons of ``plugin`` (the name
    it is enabled under). ccrules calls this when it loads a plugin whose package has a
    ``locale`` folder; call it yourself for a catalogue kept elsewhere."""
    entry = (domain, Path(localedir))
    if _PLUGIN_CATALOGUES.get(plugin) != entry:
        _PLUGIN_CATALOGUES[plugin] = entry
        # chains made before know nothing of this catalogue
        for key in [k for k in _LOADED if k[0].endswith("+core")]:
            del _LOADED[key]


def _translations(domain: str, localedir: Path, lang: str) -> gettext.NullTranslations:
    key = (domain, str(localedir), lang)
    found = _LOADED.get(key)
    if found is None:
        found = _LOADED[key] = gettext.translation(
            domain, localedir, languages=[lang], fallback=True
        )
    return found


def catalogue_of(plugin: str | None, lang: str | None = None) -> gettext.NullTranslations:
    """The translations for ``plugin``'s text in ``lang`` (the current language when
    ``None``): the plugin's own catalogue, falling back to ccrules'."""
    lang = lang or get_language()
    core = _translations(CORE_DOMAIN, CORE_LOCALE, lang)
    entry = _PLUGIN_CATALOGUES.get(plugin or "")
    if entry is None:
        return core
    key = (f"{entry[0]}+core", str(entry[1]), lang)
    found = _LOADED.get(key)
    if found is None:
        own = gettext.translation(entry[0], entry[1], languages=[lang], fallback=True)
        # then ccrules' own, then the other plugins' (a reason may quote another plugin's
        # message: a pack that explains what it replaced), in a fixed order
        others = [
            gettext.translation(domain, folder, languages=[lang], fallback=True)
            for name, (domain, folder) in sorted(_PLUGIN_CATALOGUES.items())
            if name != plugin
        ]
        found = _LOADED[key] = _Chain(own, core, *others)
    return found


class _Chain(gettext.NullTranslations):
    """A plugin's catalogue, then ccrules', then the others' (gettext's own fallback would
    change the plugin's catalogue object, which others may hold)."""

    def __init__(self, *parts: gettext.NullTranslations) -> None:
        super().__init__()
        self._parts = parts

    def gettext(self, message: str) -> str:
        for part in self._parts:
            found = part.gettext(message)
            if found != message:
                return found
        return message


def separator(lang: str | None = None) -> str:
    """How the language joins a list: ``", "`` in English, ``"、"`` in Chinese."""
    return "、" if (lang or get_language()) == "zh" else ", "


def translate(message: str | Message, plugin: str | None = None, lang: str | None = None) -> str:
    """A message rendered in ``lang`` (the current language when ``None``) from ``plugin``'s
    catalogue and ccrules'; plain text comes back as it is."""
    if type(message) is str:
        return message
    assert isinstance(message, Message)
    lang = lang or get_language()
    if lang == LANGUAGES[0]:
        return message.render()
    return message.render(catalogue_of(plugin, lang).gettext, separator(lang))


def text(item: Reason | Message | str, lang: str | None = None, plugin: str | None = None) -> str:
    """A reason's sentence, a message or plain text, in ``lang`` (the current language when
    ``None``); a message that is not a reason's is looked up in ``plugin``'s catalogue, then
    ccrules'."""
    if isinstance(item, Reason):
        return translate(item.message, item.plugin, lang)
    return translate(item, plugin, lang)


def label(name: str, plugin: str | None = None, lang: str | None = None) -> str:
    """A column or term id (``owner_team``) as ``plugin``'s catalogue (then ccrules')
    translates it; the id itself when neither has it."""
    lang = lang or get_language()
    if lang == LANGUAGES[0]:
        return name
    return catalogue_of(plugin, lang).gettext(name)


def plugin_of(report_id: str) -> str:
    """The plugin a report (or another id made ``<plugin>.<what>``) belongs to."""
    return report_id.partition(".")[0]


def tr(message_id: str, /, **params: object) -> str:
    """ccrules' own text, rendered now in the current language (``message_id`` is marked
    for the catalogue like :func:`msg`)."""
    if not params and not message_fields(message_id):
        lang = get_language()
        if lang == LANGUAGES[0]:
            return message_id
        return catalogue_of(None, lang).gettext(message_id)
    return translate(msg(message_id, **params))


def translator(lang: str | None = None) -> Callable[[str], str]:
    """ccrules' catalogue lookup for ``lang``: a message id to its text."""
    lang = lang or get_language()
    if lang == LANGUAGES[0]:
        return lambda message_id: message_id
    return catalogue_of(None, lang).gettext
