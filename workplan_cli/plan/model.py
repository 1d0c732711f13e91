"""The plan and stakeholder models: plain frozen dataclasses, validated by pydantic in load.py.

The classes import nothing of pydantic, so a command that reads a cached plan never pays for it:
the constraints below (`Rule`, `Coerce`, `NotEmpty`, `NotBlank`, `Strict`, `DateOnly`) tell
pydantic what to check only when it builds its validator, and pydantic reads each class's
`__pydantic_config__`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, NamedTuple, TypeVar, dataclass_transform

from workplan_cli.plan.vocab import (  # noqa: F401  (re-exported: the models' vocabularies)
    IATI_STATUS,
    STATUSES,
    Kind,
    PlanStatus,
    StakeholderKind,
    StakeholderType,
    Status,
)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Rule:
    """A text must match `pattern` (whole); the error says it is not `what`."""

    pattern: str
    what: str

    def check(self, value: str) -> str:
        if not re.fullmatch(self.pattern, value):
            raise ValueError(f"{value!r} is not {self.what}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable) -> Any:
        out = handler(schema)
        out["pattern"] = f"^(?:{self.pattern})$"
        return out


@dataclass(frozen=True)
class Coerce:
    """Turns a value into another before validation (an unquoted `version: 2024`, say)."""

    convert: Callable[[Any], Any]

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.convert, handler(source))


@dataclass(frozen=True)
class NotEmpty:
    """A text or list with at least one character or item."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        schema = handler(source)
        schema["min_length"] = 1
        return schema

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable) -> Any:
        out = handler(schema)
        out["minItems" if out.get("type") == "array" else "minLength"] = 1
        return out


@dataclass(frozen=True)
class NotBlank:
    """A text with a character other than white space: a title of spaces says nothing."""

    def check(self, value: str) -> str:
        if value and not re.search(r"\S", value):
            raise ValueError(f"{_shown(value)} is blank: write some text")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable) -> Any:
        out = handler(schema)
        out["pattern"] = r"\S"
        return out


@dataclass(frozen=True)
class Strict:
    """Exactly this type, never converted: `true` is not the number 1, nor "1"."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LIKE = "like '2024-02-13'"


@dataclass(frozen=True)
class DateOnly:
    """A date written as one, 2024-02-13: not a number (pydantic read 86400 as 2 January
    1970) and not a date and time (its day depends on a time zone)."""

    def check(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) or (
            isinstance(value, str) and _DATE.match(value) and len(value) > 10
        ):
            raise ValueError(f"{_shown(value)} is a date and time, not a date {_LIKE}")
        if isinstance(value, (bool, int, float)):
            raise ValueError(f"{_shown(value)} is a number, not a date {_LIKE}")
        if isinstance(value, str) and not _DATE.fullmatch(value):
            raise ValueError(f"{_shown(value)} is not a date {_LIKE}")
        return value  # a date; a text of its shape, which pydantic checks; or the wrong type

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.check, handler(source))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class OrYear:
    """JSON Schema only: a version may also be written as an unquoted year (see _version_text)."""

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable) -> Any:
        return {"anyOf": [handler(schema), {"type": "integer", "minimum": 1000, "maximum": 9999}]}


def _version_text(value: object) -> object:
    # `version: 2024` without quotes is harmless, unlike an unquoted id such as 1.10.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


AreaId = Annotated[str, Rule(r"[1-9][0-9]*", "an area id like '2'")]
TopicId = Annotated[str, Rule(r"[1-9][0-9]*\.[1-9][0-9]*", "a topic id like '1.3'")]
ActivityId = Annotated[
    str, Rule(r"[1-9][0-9]*\.[1-9][0-9]*\.[1-9][0-9]*", "an activity id like '1.3.2'")
]
Slug = Annotated[
    str, Rule(r"[a-z0-9]+(-[a-z0-9]+)*", "an id of lower-case letters, digits and dashes")
]
Version = Annotated[
    str,
    Coerce(_version_text),
    Rule(r"[0-9]{4}(-[a-z0-9]+)*", "a plan version like '2025'"),
    OrYear(),
]
YearMonth = Annotated[str, Rule(r"[0-9]{4}-(0[1-9]|1[0-2])", "a month like '2023-11'")]
Quarter = Annotated[str, Rule(r"[0-9]{4}-Q[1-4]", "a quarter like '2024-Q4'")]
Country = Annotated[str, Rule(r"[A-Z]{2}", "an ISO 3166 alpha-2 code like 'KE'")]
Text = Annotated[str, NotEmpty(), NotBlank()]
Date = Annotated[dt.date, DateOnly()]


def alias(name: str) -> str:
    """Returns a field's key in the files: `from_` is written `from`."""
    return name.rstrip("_")


# What pydantic reads: unknown keys are errors; keys are the fields' aliases.
_CONFIG = {"extra": "forbid", "alias_generator": alias}
# Without slots: a slotted frozen class took a third longer to define (every command pays that
# on import), and snapshot.py can fill a plain instance's __dict__ at once.
_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, kw_only_default=True)
def _model(cls: type[_T]) -> type[_T]:
    return dataclass(frozen=True, kw_only=True)(cls)


@_model
class HistoryEntry:
    """One dated change of an activity's status."""

    __pydantic_config__ = _CONFIG

    date: Date
    from_: Status | None = None
    to: Status
    note: str | None = None
    by: str | None = None
    evidence: list[Text] = field(default_factory=list)


@_model
class Activity:
    __pydantic_config__ = _CONFIG

    id: ActivityId
    title: Text
    text: Text
    kind: Kind
    status: Status
    lead: list[Slug] = field(default_factory=list)
    stakeholders: list[Slug] = field(default_factory=list)
    start: Date | None = None
    end: Date | None = None
    evidence: list[Text] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)

    def all_evidence(self) -> list[str]:
        """Returns the activity's own evidence, then what its history entries recorded."""
        found = list(self.evidence)
        for entry in self.history:
            found.extend(e for e in entry.evidence if e not in found)
        return found


@_model
class Topic:
    __pydantic_config__ = _CONFIG

    id: TopicId
    title: Text
    objectives: Annotated[list[Text], NotEmpty()]
    activities: list[Activity] = field(default_factory=list)


@_model
class Area:
    __pydantic_config__ = _CONFIG

    id: AreaId
    title: Text
    topics: list[Topic] = field(default_factory=list)


@_model
class Mou:
    __pydantic_config__ = _CONFIG

    month: YearMonth
    text: str | None = None


@_model
class Signing:
    __pydantic_config__ = _CONFIG

    date: Date
    occasion: str | None = None


@_model
class Review:
    __pydantic_config__ = _CONFIG

    due: Quarter
    text: str | None = None


@_model
class PlanMeta:
    __pydantic_config__ = _CONFIG

    id: Slug
    title: Text
    dialogue: Text
    version: Version
    status: PlanStatus
    parties: Annotated[list[Slug], NotEmpty()]
    facilitator: Slug | None = None
    mou: Mou | None = None
    signed: Signing | None = None
    validity: str | None = None
    review: Review | None = None
    supersedes: Version | None = None
    note: str | None = None
    preamble: list[Text] = field(default_factory=list)


class ActivityRef(NamedTuple):
    """An activity together with the area and topic that hold it."""

    area: Area
    topic: Topic
    activity: Activity


@_model
class Plan:
    __pydantic_config__ = _CONFIG

    schema_version: Annotated[int, Strict()]
    plan: PlanMeta
    areas: Annotated[list[Area], NotEmpty()]

    @property
    def version(self) -> str:
        return self.plan.version

    def activities(self) -> Iterator[ActivityRef]:
        """Yields every activity with its area and topic, in document order."""
        for area in self.areas:
            for topic in area.topics:
                for activity in topic.activities:
                    yield ActivityRef(area, topic, activity)

    def find(self, activity_id: str) -> ActivityRef | None:
        """Returns the activity with that id, or None."""
        for ref in self.activities():
            if ref.activity.id == activity_id:
                return ref
        return None


@_model
class Stakeholder:
    __pydantic_config__ = _CONFIG

    id: Slug
    name: Text
    short_name: str | None = None
    country: Country | None = None
    type: StakeholderType
    kind: StakeholderKind
    note: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


@_model
class StakeholderFile:
    __pydantic_config__ = _CONFIG

    schema_version: Annotated[int, Strict()]
    stakeholders: list[Stakeholder]

    def by_id(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.stakeholders}
