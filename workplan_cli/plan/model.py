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
    Measure,
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


class AtLeast:
    """A number no smaller than `least`."""

    __slots__ = ("least",)

    def __init__(self, least: int) -> None:
        self.least = least

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable) -> Any:
        schema = handler(source)
        schema["ge"] = self.least
        return schema


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
Digest = Annotated[
    str, Rule(r"sha256:[0-9a-f]{64}", "a digest like 'sha256:' and 64 lower-case hex digits")
]
Handle = Annotated[
    str,
    Rule(
        r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99}))?",
        "a forge handle like '@user' or '@org/team'",
    ),
]
Text = Annotated[str, NotEmpty(), NotBlank()]
Date = Annotated[dt.date, DateOnly()]
IndicatorId = Annotated[
    str, Rule(r"[1-9][0-9]*\.[1-9][0-9]*-[a-z0-9]+", "an indicator id like '1.3-a'")
]
Period = Annotated[
    str,
    Coerce(_version_text),
    Rule(r"[0-9]{4}(-Q[1-4])?", "a period: a year like '2024' or a quarter like '2024-Q4'"),
    OrYear(),
]


def _number_or_text(value: object) -> object:
    # One clear message for what is neither (pydantic's union would give one per member).
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        shown = str(value).lower() if isinstance(value, bool) else _shown(value)
        raise ValueError(f"{shown} is not a number or a text")
    return value


# An indicator's value: a number (never a quoted one, nor true/false), or a narrative for a
# qualitative indicator. Which of them fits the indicator's measure is checked in checks.py.
Value = Annotated[
    Annotated[int, Strict()] | Annotated[float, Strict()] | Text, Coerce(_number_or_text)
]


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

    id: ActivityId = spec("ID", "Stable id, its topic's id and a number: '1.3.2'.", ID)
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
        "The day it is planned to start (YYYY-MM-DD), when known; the actual start is read "
        "from the history.",
        DATE,
        row=5,
        group="Dates",
        iati="1",  # ActivityDateType: planned start
        default=None,
    )
    end: Date | None = spec(
        "End",
        "The day it is due to end (YYYY-MM-DD), when known: its due date; the actual end is "
        "read from the history.",
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
class Baseline:
    """Where an indicator stood before the work: the value and the day it was measured."""

    __pydantic_config__ = _CONFIG

    date: Date = spec("Date", "The day the baseline was measured (YYYY-MM-DD).", DATE)
    value: Value = spec(
        "Value", "The value then: a number, or a narrative for a qualitative indicator."
    )
    note: str | None = spec("Note", "Where the baseline comes from.", PROSE, default=None)


@_model
class Target:
    """The value an indicator should reach by the end of one reporting period."""

    __pydantic_config__ = _CONFIG

    period: Period = spec(
        "Period", "A period of plan.monitoring.periods: a year '2025' or a quarter '2025-Q2'."
    )
    value: Value = spec(
        "Value", "The value to reach: a number, or a narrative for a qualitative indicator."
    )
    note: str | None = spec("Note", "What the target rests on.", PROSE, default=None)


@_model
class Actual:
    """One value of an indicator as measured: dated, for a period, appended like history."""

    __pydantic_config__ = _CONFIG

    date: Date = spec("Date", "The day it was measured or recorded (YYYY-MM-DD).", DATE)
    period: Period = spec("Period", "The period it counts towards: one of plan.monitoring.periods.")
    value: Value = spec(
        "Value", "The value measured: a number, or a narrative for a qualitative indicator."
    )
    note: str | None = spec("Note", "What it rests on, in a sentence or two.", PROSE, default=None)
    by: str | None = spec("By", "Who recorded it.", default=None)
    evidence: list[Text] = spec(
        "Evidence",
        "Documents that show the value: links or references.",
        LIST,
        default_factory=list,
    )


@_model
class Indicator:
    """How progress towards one objective of a topic is measured."""

    __pydantic_config__ = _CONFIG

    id: IndicatorId = spec(
        "ID", "Stable id, unique in the plan: its topic's id, a dash and letters: '1.3-a'.", ID
    )
    objective: Annotated[int, Strict(), AtLeast(1)] = spec(
        "Objective", "The number of the topic's objective it measures: 1 for the first.", NUMBER
    )
    text: Text = spec("Indicator", "What is measured, in one sentence.", TITLE)
    measure: Measure = spec("Measure", "number, percent or qualitative.", ENUM)
    unit: str | None = spec("Unit", "What a number counts, e.g. 'events'.", default=None)
    baseline: Baseline | None = spec(
        "Baseline", "Where it stood before the work, and when.", BLOCK, default=None
    )
    targets: list[Target] = spec(
        "Targets", "The value to reach per reporting period.", ENTRIES, default_factory=list
    )
    actuals: list[Actual] = spec(
        "Actuals",
        "The values measured, oldest first (workplan record appends them).",
        ENTRIES,
        progress=True,
        default_factory=list,
    )

    @property
    def title(self) -> str:
        """Its text: what diffs and lists show beside its id, as an activity's title."""
        return self.text


@_model
class Topic:
    """A topic of an area: its objectives and activities."""

    __pydantic_config__ = _CONFIG

    id: TopicId = spec("ID", "Stable id, its area's id and a number: '1.3'.", ID)
    title: Text = spec("Title", "The topic's title.", TITLE)
    objectives: Annotated[list[Text], NotEmpty()] = spec(
        "Objectives", "What the topic's activities are for, one objective an item.", LINES
    )
    activities: list[Activity] = spec(
        "Activities", "The topic's activities.", CHILDREN, default_factory=list
    )
    indicators: list[Indicator] = spec(
        "Indicators",
        "How progress towards the objectives is measured; each names its objective by number.",
        CHILDREN,
        default_factory=list,
    )

    def objective_indicators(self, number: int) -> list[Indicator]:
        """Returns the indicators of the objective numbered `number` (1 for the first)."""
        return [i for i in self.indicators if i.objective == number]


@_model
class Area:
    """An area of the plan: its topics."""

    __pydantic_config__ = _CONFIG

    id: AreaId = spec("ID", "Stable id, a number: '2'.", ID)
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
    by: list[Slug] = spec(
        "By", "Ids (stakeholders.yaml) of the parties that signed.", IDS, default_factory=list
    )
    digest: Digest | None = spec(
        "Digest",
        "The digest of the agreed content that was signed (`workplan sign` records it).",
        default=None,
    )
    recorded_in: str | None = spec(
        "Recorded in",
        "For a plan signed before workplan recorded approvals: where its signing is recorded "
        "(such a plan has no approvals).",
        default=None,
    )


@_model
class Approval:
    """A party's approval of the plan's agreed content as it was then (`workplan approve`)."""

    __pydantic_config__ = _CONFIG

    party: Slug = spec("Party", "Id (stakeholders.yaml) of the approving party.", REF)
    by: Text = spec("By", "Who approved for the party.")
    date: Date = spec("Date", "The day of the approval (YYYY-MM-DD).", DATE)
    digest: Digest = spec(
        "Digest", "The digest of the agreed content approved (sha256 of its canonical form)."
    )
    note: str | None = spec("Note", "A note on the approval.", PROSE, default=None)


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
class Monitoring:
    """How progress is judged: the reporting periods and the thresholds of the status colours."""

    __pydantic_config__ = _CONFIG

    periods: list[Period] = spec(
        "Periods",
        "The reporting periods: years like '2024' or quarters like '2024-Q4'.",
        LIST,
        default_factory=list,
    )
    amber_days: Annotated[int, Strict(), AtLeast(0)] = spec(
        "Amber days",
        "How many days before its end an activity not yet in progress turns amber (default 30).",
        NUMBER,
        default=30,
    )


@_model
class PlanMeta:
    """What the plan is: its id, version, status, parties and dates."""

    __pydantic_config__ = _CONFIG

    id: Slug = spec("ID", "The plan's id, the same in every version.", ID)
    title: Text = spec("Title", "The plan's title.", TITLE)
    dialogue: Text = spec("Dialogue", "The dialogue the plan belongs to.")
    # Not agreed content: the version names the file, which holds the approvals and signature.
    version: Version = spec(
        "Version", "The plan's version: a year, maybe with a suffix.", agreed=False
    )
    status: PlanStatus = spec("Status", "draft, signed or superseded.", ENUM, agreed=False)
    parties: Annotated[list[Slug], NotEmpty()] = spec(
        "Parties", "Ids (stakeholders.yaml) of the parties that sign the plan.", IDS
    )
    facilitator: Slug | None = spec(
        "Facilitator", "Id (stakeholders.yaml) of who supports the dialogue.", REF, default=None
    )
    mou: Mou | None = spec("MoU", "The memorandum of understanding.", BLOCK, default=None)
    signed: Signing | None = spec(
        "Signed", "When and where it was signed.", BLOCK, agreed=False, default=None
    )
    validity: str | None = spec("Validity", "How long the plan holds.", default=None)
    review: Review | None = spec("Review", "When it is next reviewed.", BLOCK, default=None)
    supersedes: Version | None = spec("Supersedes", "The version this one replaces.", default=None)
    note: str | None = spec("Note", "A note about this version.", PROSE, default=None)
    preamble: list[Text] = spec(
        "Preamble", "The plan's opening paragraphs, one an item.", LIST, default_factory=list
    )
    iati: IatiSettings | None = spec(
        "IATI",
        "Settings of the IATI export (not content of the plan).",
        BLOCK,
        agreed=False,
        default=None,
    )
    approvals: list[Approval] = spec(
        "Approvals",
        "Each party's approval of the agreed content, oldest first (`workplan approve`).",
        ENTRIES,
        agreed=False,
        default_factory=list,
    )
    monitoring: Monitoring | None = spec(
        "Monitoring",
        "Reporting periods and the thresholds of the status colours.",
        BLOCK,
        default=None,
    )


class ActivityRef(NamedTuple):
    """An activity together with the area and topic that hold it."""

    area: Area
    topic: Topic
    activity: Activity


class IndicatorRef(NamedTuple):
    """An indicator together with the area and topic that hold it."""

    area: Area
    topic: Topic
    indicator: Indicator

    @property
    def objective(self) -> str | None:
        """Returns the text of the objective it measures (None for a number out of range)."""
        n = self.indicator.objective
        return self.topic.objectives[n - 1] if 1 <= n <= len(self.topic.objectives) else None


@_model
class Plan:
    __pydantic_config__ = _CONFIG

    schema_version: Annotated[int, Strict()] = spec(
        "Schema version", "The version of this file format: 1.", NUMBER, agreed=False
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

    def indicators(self) -> Iterator[IndicatorRef]:
        """Yields every indicator with its area and topic, in document order."""
        for area in self.areas:
            for topic in area.topics:
                for indicator in topic.indicators:
                    yield IndicatorRef(area, topic, indicator)

    def find(self, activity_id: str) -> ActivityRef | None:
        """Returns the activity with that id, or None."""
        for ref in self.activities():
            if ref.activity.id == activity_id:
                return ref
        return None


@_model
class Stakeholder:
    __pydantic_config__ = _CONFIG

    id: Slug = spec("ID", "The id that plans use to name it.", ID)
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
    reviewers: list[Handle] = spec(
        "Reviewers",
        "Forge handles (@user or @org/team) who review changes for it (`workplan codeowners`).",
        LIST,
        default_factory=list,
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
