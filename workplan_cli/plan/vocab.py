"""The fixed vocabularies of plan files (plain enums, cheap to import)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where an activity stands. IATI ActivityStatus codes are in `IATI_STATUS`."""

    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

# IATI ActivityStatus codelist: 1 Pipeline/identification, 2 Implementation, 3 Finalisation,
# 4 Closed, 5 Cancelled, 6 Suspended.
IATI_STATUS = {
    Status.PLANNED: 1,
    Status.IN_PROGRESS: 2,
    Status.COMPLETED: 3,
    Status.POSTPONED: 6,
    Status.CANCELLED: 5,
}


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    SUPERSEDED = "superseded"


class Kind(StrEnum):
    """What sort of activity; the signed plan names most of these itself."""

    HIGH_LEVEL_MEETING = "high-level-meeting"
    CONFERENCE = "conference"
    EXPERT_EXCHANGE = "expert-exchange"
    WORKSHOP = "workshop"
    WRITTEN_ELABORATION = "written-elaboration"
    JOINT_POSITION = "joint-position"
    INNOVATION_CHALLENGE = "innovation-challenge"
    STAKEHOLDER_INVOLVEMENT = "stakeholder-involvement"
    BUSINESS_COOPERATION = "business-cooperation"
    OTHER = "other"


class StakeholderType(StrEnum):
    GOVERNMENT = "government"
    IMPLEMENTING_AGENCY = "implementing-agency"
    BUSINESS = "business"
    CIVIL_SOCIETY = "civil-society"
    ACADEMIA = "academia"
    INTERNATIONAL_FORUM = "international-forum"


class StakeholderKind(StrEnum):
    INSTITUTION = "institution"
    GROUP = "group"


class Measure(StrEnum):
    """How an indicator is measured. IATI IndicatorMeasure codes are in `IATI_MEASURE`."""

    NUMBER = "number"
    PERCENT = "percent"
    QUALITATIVE = "qualitative"


# IATI IndicatorMeasure codelist: 1 Unit, 2 Percentage, 3 Nominal, 4 Ordinal, 5 Qualitative.
IATI_MEASURE = {Measure.NUMBER: "1", Measure.PERCENT: "2", Measure.QUALITATIVE: "5"}
