"""The plan and stakeholder models (pydantic, no I/O)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import core_schema

from workplan_cli.vocab import (  # noqa: F401  (re-exported: the models' vocabularies)
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
class _Matching:
    """A text that must match `pattern` in full; the JSON Schema carries the pattern too."""

    pattern: str
    what: str

    def __get_pydantic_core_schema__(self, source, handler):
        regex, what = re.compile(self.pattern), self.what

        def check(value: str) -> str:
            if not regex.fullmatch(value):
                raise ValueError(f"{value!r} is not {what}")
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        found = handler(schema)
        found["pattern"] = f"^(?:{self.pattern})$"  # JSON Schema patterns search; anchor them
        return found


def _matching(pattern: str, what: str) -> _Matching:
    return _Matching(pattern, what)


class _OrYear:
    """JSON Schema only: a version may also be written as an unquoted year (see _version_text)."""

    def __get_pydantic_json_schema__(self, schema, handler):
        return {"anyOf": [handler(schema), {"type": "integer", "minimum": 1000, "maximum": 9999}]}


def _version_text(value: object) -> object:
    # `version: 2024` without quotes is harmless, unlike an unquoted id such as 1.10.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


AreaId = Annotated[str, _matching(r"[1-9][0-9]*", "an area id like '2'")]
TopicId = Annotated[str, _matching(r"[1-9][0-9]*\.[1-9][0-9]*", "a topic id like '1.3'")]
ActivityId = Annotated[
    str, _matching(r"[1-9][0-9]*\.[1-9][0-9]*\.[1-9][0-9]*", "an activity id like '1.3.2'")
]
Slug = Annotated[
    str, _matching(r"[a-z0-9]+(-[a-z0-9]+)*", "an id of lower-case letters, digits and dashes")
]
Version = Annotated[
    str,
    BeforeValidator(_version_text),
    _matching(r"[0-9]{4}(-[a-z0-9]+)*", "a plan version like '2025'"),
    _OrYear(),
]
YearMonth = Annotated[str, _matching(r"[0-9]{4}-(0[1-9]|1[0-2])", "a month like '2023-11'")]
Quarter = Annotated[str, _matching(r"[0-9]{4}-Q[1-4]", "a quarter like '2024-Q4'")]
Text = Annotated[str, Field(min_length=1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class HistoryEntry(Model):
    """One dated change of an activity's status."""

    date: dt.date
    from_: Status | None = Field(default=None, alias="from")
    to: Status
    note: str | None = None
    by: str | None = None
    evidence: list[Text] = []


class Activity(Model):
    id: ActivityId
    title: Text
    text: Text
    kind: Kind
    status: Status
    lead: list[Slug] = []
    stakeholders: list[Slug] = []
    start: dt.date | None = None
    end: dt.date | None = None
    evidence: list[Text] = []
    history: list[HistoryEntry] = []

    def all_evidence(self) -> list[str]:
        """Returns the activity's own evidence, then what its history entries recorded."""
        found = list(self.evidence)
        for entry in self.history:
            found.extend(e for e in entry.evidence if e not in found)
        return found


class Topic(Model):
    id: TopicId
    title: Text
    objectives: list[Text] = Field(min_length=1)
    activities: list[Activity] = []


class Area(Model):
    id: AreaId
    title: Text
    topics: list[Topic] = []


class Mou(Model):
    month: YearMonth
    text: str | None = None


class Signing(Model):
    date: dt.date
    occasion: str | None = None


class Review(Model):
    due: Quarter
    text: str | None = None


class PlanMeta(Model):
    id: Slug
    title: Text
    dialogue: Text
    version: Version
    status: PlanStatus
    parties: list[Slug] = Field(min_length=1)
    facilitator: Slug | None = None
    mou: Mou | None = None
    signed: Signing | None = None
    validity: str | None = None
    review: Review | None = None
    supersedes: Version | None = None
    note: str | None = None
    preamble: list[Text] = []


class ActivityRef(NamedTuple):
    """An activity together with the area and topic that hold it."""

    area: Area
    topic: Topic
    activity: Activity


class Plan(Model):
    schema_version: int
    plan: PlanMeta
    areas: list[Area] = Field(min_length=1)

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


class Stakeholder(Model):
    id: Slug
    name: Text
    short_name: str | None = None
    country: Annotated[str, _matching(r"[A-Z]{2}", "an ISO 3166 alpha-2 code like 'KE'")] | None = (
        None
    )
    type: StakeholderType
    kind: StakeholderKind
    note: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


class StakeholderFile(Model):
    schema_version: int
    stakeholders: list[Stakeholder]

    def by_id(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.stakeholders}
