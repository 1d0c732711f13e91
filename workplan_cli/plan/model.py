"""The plan and stakeholder models: plain frozen dataclasses, validated by pydantic in load.py.

The classes import nothing of pydantic, so a command that reads a cached plan never pays for it:
the constraints below (`Rule`, `Coerce`, `NotEmpty`, `NotBlank`, `Strict`, `DateOnly`) tell
pydantic what to check only when it builds its validator, and pydantic reads each class's
`__pydantic_config__`.

No `from __future__ import annotations` here: the fields' types are evaluated once, as the classes
are made. Written as strings, each reader of the types (the cache's builders in snapshot.py,
to_plain's keys, pydantic's validator) compiled and evaluated every one of them again on every
run: about 1.5 ms of a `workplan status` of 70 ms CPU.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple, TypeVar, dataclass_transform

from workplan_cli.plan.spec import (
    BLOCK,
    CHILDREN,
    DATE,
    ENTRIES,
    ENUM,
    ID,
    IDS,
    LINES,
    LIST,
    META,
    NUMBER,
    PROSE,
    REF,
    STATUS,
    TITLE,
    alias,
    describe,
    spec,
)
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


# The constraints are plain classes, not dataclasses: they are made once, never compared or
# changed, and every command defines them on import, where a frozen dataclass costs about
# 0.3 ms (six generated methods compiled); as dataclasses, the seven took about 2 ms of a
# `workplan status` of 70 ms CPU.


class Rule:
    """A text must match `pattern` (whole); the error says it is not `what`."""

    __slots__ = ("pattern", "what")

    def __init__(self, pattern: str, what: str) -> None:
        self.pattern, self.what = pattern, what

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


class Coerce:
    """Turns a value into another before validation (an unquoted `version: 2024`, say)."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.convert, handler(source))


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


class NotBlank:
    """A text with a character other than white space: a title of spaces says nothing."""

    def check(self, value: str) -> str:
        if value.isspace():  # every character white space (what the schema's `\S` refuses)
            raise ValueError(f"{_shown(value)} is blank: write some text")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Callable) -> Any:
        out = handler(schema)
        out["pattern"] = r"\S"
        return out


class Strict:
    """Exactly this type, never converted: `true` is not the number 1, nor "1"."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LIKE = "like '2024-02-13'"


class DateOnly:
    """A date written as one, 2024-02-13: not a number (pydantic read 86400 as 2 January
    1970) and not a date and time (its day depends on a time zone)."""

    def check(self, value: Any) -> Any:
        if isinstance(value, str):
            if _DATE.fullmatch(value):
                return value  # a text of a date's shape, which pydantic checks
            if _DATE.match(value):
                raise ValueError(f"{_shown(value)} is a date and time, not a date {_LIKE}")
            raise ValueError(f"{_shown(value)} is not a date {_LIKE}")
        if isinstance(value, dt.datetime):
            raise ValueError(f"{_shown(value)} is a date and time, not a date {_LIKE}")
        if isinstance(value, (bool, int, float)):
            raise ValueError(f"{_shown(value)} is a number, not a date {_LIKE}")
        return value  # a date, or the wrong type (pydantic says so)

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.check, handler(source))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
OrgRef = Annotated[
    str, Rule(r"[A-Za-z0-9][A-Za-z0-9._-]*", "an IATI organisation identifier like 'XM-DAC-5-7'")
]
DacSector = Annotated[str, Rule(r"[1-9][0-9]{4}", "an OECD DAC 5-digit sector code like '22040'")]
LanguageCode = Annotated[str, Rule(r"[a-z]{2}", "an ISO 639-1 language code like 'en'")]
CurrencyCode = Annotated[str, Rule(r"[A-Z]{3}", "an ISO 4217 currency code like 'EUR'")]
Uri = Annotated[str, Rule(r"https?://[^\s]+", "a web address starting http:// or https://")]
Text = Annotated[str, NotEmpty(), NotBlank()]
Date = Annotated[dt.date, DateOnly()]


# What pydantic reads: unknown keys are errors; keys are the fields' aliases; each property of
# the JSON Schema gets its field's label and description from its spec.
_CONFIG = {"extra": "forbid", "alias_generator": alias, "json_schema_extra": describe}
# Without slots: a slotted frozen class took a third longer to define (every command pays that
# on import), and snapshot.py can fill a plain instance's __dict__ at once.
_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, kw_only_default=True)
def _model(cls: type[_T]) -> type[_T]:
    return dataclass(frozen=True, kw_only=True)(cls)


# Every field is declared once, here, with spec(): its label, its one-line description (the
# schema's, shown by editors on hover) and its kind of value, which say how `diff`, `show`, the
# views, exports and reports show it (plan/fields.py walks them; tests/test_fields.py checks
# that every output does).


@_model
class HistoryEntry:
    """One dated change of an activity's status."""

    __pydantic_config__ = _CONFIG

    date: Date = spec("Date", "The day the status changed (YYYY-MM-DD).", DATE)
    from_: Status | None = spec(
        "From", "The status before the change; left out for the first entry.", STATUS, default=None
    )
    to: Status = spec("To", "The status after the change.", STATUS)
    note: str | None = spec("Note", "What happened, in a sentence or two.", PROSE, default=None)
    by: str | None = spec("By", "Who recorded the change.", default=None)
    evidence: list[Text] = spec(
        "Evidence",
        "Outputs or documents that show the change: links or references.",
        LIST,
        default_factory=list,
    )


@_model
class Activity:
    """One activity of a topic."""

    __pydantic_config__ = _CONFIG

    id: ActivityId = spec("Id", "Stable id, its topic's id and a number: '1.3.2'.", ID)
    title: Text = spec("Title", "The activity's short title.", TITLE)
    text: Text = spec("Description", "The full description, verbatim from the plan.", PROSE)
    kind: Kind = spec(
        "Kind", "What sort of activity it is (workshop, conference, ...).", ENUM, row=2
    )
    status: Status = spec(
        "Status",
        "Where it stands: planned, in-progress, completed, postponed, cancelled.",
        STATUS,
        row=1,
        progress=True,
    )
    lead: list[Slug] = spec(
        "Lead",
        "Ids (stakeholders.yaml) of the stakeholders who lead it.",
        IDS,
        row=3,
        iati="2",  # OrganisationRole: accountable
        default_factory=list,
    )
    stakeholders: list[Slug] = spec(
        "Stakeholders",
        "Ids (stakeholders.yaml) of the other stakeholders involved.",
        IDS,
        row=4,
        iati="4",  # OrganisationRole: implementing
        default_factory=list,
    )
    start: Date | None = spec(
        "Start",
        "The day it starts or started (YYYY-MM-DD), when known.",
        DATE,
        row=5,
        group="Dates",
        iati="1",  # ActivityDateType: planned start
        default=None,
    )
    end: Date | None = spec(
        "End",
        "The day it ends or ended (YYYY-MM-DD), when known.",
        DATE,
        row=6,
        group="Dates",
        iati="3",  # ActivityDateType: planned end
        default=None,
    )
    evidence: list[Text] = spec(
        "Evidence",
        "Outputs or documents that show what was done: links or references.",
        LIST,
        shown="all_evidence",
        progress=True,
        default_factory=list,
    )
    history: list[HistoryEntry] = spec(
        "History",
        "Dated changes of the status, oldest first.",
        ENTRIES,
        last={"last_update": "date", "last_note": "note"},
        progress=True,
        default_factory=list,
    )

    def all_evidence(self) -> list[str]:
        """Returns the activity's own evidence, then what its history entries recorded."""
        found = list(self.evidence)
        for entry in self.history:
            found.extend(e for e in entry.evidence if e not in found)
        return found


@_model
class Topic:
    """A topic of an area: its objectives and activities."""

    __pydantic_config__ = _CONFIG

    id: TopicId = spec("Id", "Stable id, its area's id and a number: '1.3'.", ID)
    title: Text = spec("Title", "The topic's title.", TITLE)
    objectives: Annotated[list[Text], NotEmpty()] = spec(
        "Objectives", "What the topic's activities are for, one objective an item.", LINES
    )
    activities: list[Activity] = spec(
        "Activities", "The topic's activities.", CHILDREN, default_factory=list
    )


@_model
class Area:
    """An area of the plan: its topics."""

    __pydantic_config__ = _CONFIG

    id: AreaId = spec("Id", "Stable id, a number: '2'.", ID)
    title: Text = spec("Title", "The area's title.", TITLE)
    topics: list[Topic] = spec("Topics", "The area's topics.", CHILDREN, default_factory=list)


@_model
class Mou:
    """The memorandum of understanding that the dialogue rests on."""

    __pydantic_config__ = _CONFIG

    month: YearMonth = spec("Month", "The month it was signed (YYYY-MM).")
    text: str | None = spec("Text", "What it says about the dialogue.", default=None)


@_model
class Signing:
    """When and where the plan was signed."""

    __pydantic_config__ = _CONFIG

    date: Date = spec("Date", "The day the plan was signed (YYYY-MM-DD).", DATE)
    occasion: str | None = spec("Occasion", "Where or at what meeting.", default=None)


@_model
class Review:
    """When the plan is next reviewed."""

    __pydantic_config__ = _CONFIG

    due: Quarter = spec("Due", "The quarter the review is due (YYYY-Qn).")
    text: str | None = spec("Text", "What the plan says about its review.", default=None)


@_model
class IatiSettings:
    """Settings of the IATI export (`export --format iati`): who publishes, and the codes."""

    __pydantic_config__ = _CONFIG

    reporting_org_ref: OrgRef | None = spec(
        "Reporting org ref",
        "The publisher's IATI organisation identifier (--iati-ref overrides it).",
        default=None,
    )
    reporting_org: Slug | None = spec(
        "Reporting org",
        "Id (stakeholders.yaml) of who publishes (default: the facilitator).",
        REF,
        default=None,
    )
    recipient_country: Country | None = spec(
        "Recipient country",
        "ISO 3166 alpha-2 code of the partner country, e.g. 'KE'.",
        default=None,
    )
    sectors: list[DacSector] = spec(
        "Sectors",
        "OECD DAC 5-digit sector codes (IATI sector vocabulary 1) of every activity.",
        LIST,
        default_factory=list,
    )
    vocabulary_uri: Uri | None = spec(
        "Vocabulary URI",
        "Where the plan's own codes (topics, areas: IATI vocabulary 99) are published.",
        default=None,
    )
    language: LanguageCode | None = spec(
        "Language", "The default language of the texts (ISO 639-1), e.g. 'en'.", default=None
    )
    currency: CurrencyCode | None = spec(
        "Currency", "The default currency (ISO 4217), e.g. 'EUR'.", default=None
    )


@_model
class PlanMeta:
    """What the plan is: its id, version, status, parties and dates."""

    __pydantic_config__ = _CONFIG

    id: Slug = spec("Id", "The plan's id, the same in every version.", ID)
    title: Text = spec("Title", "The plan's title.", TITLE)
    dialogue: Text = spec("Dialogue", "The dialogue the plan belongs to.")
    version: Version = spec("Version", "The plan's version: a year, maybe with a suffix.")
    status: PlanStatus = spec("Status", "draft, signed or superseded.", ENUM)
    parties: Annotated[list[Slug], NotEmpty()] = spec(
        "Parties", "Ids (stakeholders.yaml) of the parties that sign the plan.", IDS
    )
    facilitator: Slug | None = spec(
        "Facilitator", "Id (stakeholders.yaml) of who supports the dialogue.", REF, default=None
    )
    mou: Mou | None = spec("MoU", "The memorandum of understanding.", BLOCK, default=None)
    signed: Signing | None = spec("Signed", "When and where it was signed.", BLOCK, default=None)
    validity: str | None = spec("Validity", "How long the plan holds.", default=None)
    review: Review | None = spec("Review", "When it is next reviewed.", BLOCK, default=None)
    supersedes: Version | None = spec("Supersedes", "The version this one replaces.", default=None)
    note: str | None = spec("Note", "A note about this version.", PROSE, default=None)
    preamble: list[Text] = spec(
        "Preamble", "The plan's opening paragraphs, one an item.", LIST, default_factory=list
    )
    iati: IatiSettings | None = spec(
        "IATI", "Settings of the IATI export (not content of the plan).", BLOCK, default=None
    )


class ActivityRef(NamedTuple):
    """An activity together with the area and topic that hold it."""

    area: Area
    topic: Topic
    activity: Activity


@_model
class Plan:
    __pydantic_config__ = _CONFIG

    schema_version: Annotated[int, Strict()] = spec(
        "Schema version", "The version of this file format: 1.", NUMBER
    )
    plan: PlanMeta = spec("Plan", "What the plan is: id, version, status, parties, dates.", META)
    areas: Annotated[list[Area], NotEmpty()] = spec("Areas", "The plan's areas.", CHILDREN)

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

    id: Slug = spec("Id", "The id that plans use to name it.", ID)
    name: Text = spec("Name", "Its full name.", TITLE)
    short_name: str | None = spec("Short name", "An abbreviation, e.g. 'GIZ'.", default=None)
    country: Country | None = spec(
        "Country", "ISO 3166 alpha-2 code; left out for international bodies.", default=None
    )
    type: StakeholderType = spec("Type", "What sort of institution or group it is.", ENUM)
    kind: StakeholderKind = spec("Kind", "An institution, or a group of people.", ENUM)
    note: str | None = spec("Note", "Anything else worth knowing.", default=None)
    iati_ref: OrgRef | None = spec(
        "IATI ref", "Its IATI organisation identifier, when it has one.", default=None
    )

    @property
    def label(self) -> str:
        return self.short_name or self.name


@_model
class StakeholderFile:
    __pydantic_config__ = _CONFIG

    schema_version: Annotated[int, Strict()] = spec(
        "Schema version", "The version of this file format: 1.", NUMBER
    )
    stakeholders: list[Stakeholder] = spec("Stakeholders", "The institutions and groups.", CHILDREN)

    def by_id(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.stakeholders}
