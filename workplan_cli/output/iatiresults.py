"""The IATI 2.03 `result` elements of an activity: its topic's objectives with their indicators,
baselines, and per period the target and the latest actual (pure: models in, elements out).

Every activity carries its topic's results, as it carries its topic's objectives (description
type 2), so each result and indicator says `aggregation-status="0"`: the same values stand in
every activity of the topic and must not be added up. A qualitative indicator (IndicatorMeasure
5) gives no `value`: its narrative is the element's comment, as IATI's rules 8.8.3, 8.9.3 and
8.10.3 ask.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from workplan_cli.output.iati import narrative
from workplan_cli.plan import fields
from workplan_cli.plan.model import Actual, Indicator, Measure, Topic
from workplan_cli.plan.results import latest, period_span
from workplan_cli.plan.vocab import IATI_MEASURE

OUTCOME = "2"  # ResultType codelist: 1 Output, 2 Outcome, 3 Impact, 9 Other


def results(topic: Topic, today: dt.date) -> list[ET.Element]:
    """Returns a `result` for each objective of the topic that has indicators; actuals dated
    after `today` are left out."""
    out = []
    for number, objective in enumerate(topic.objectives, 1):
        indicators = topic.objective_indicators(number)
        if not indicators:
            continue
        node = ET.Element("result", {"type": OUTCOME, "aggregation-status": "0"})
        narrative(ET.SubElement(node, "title"), objective)
        for indicator in indicators:
            node.append(_indicator(indicator, today))
        out.append(node)
    return out


def _indicator(ind: Indicator, today: dt.date) -> ET.Element:
    attrs = {"measure": IATI_MEASURE[ind.measure]}
    ascending = _ascending(ind)
    if ascending is not None:
        attrs["ascending"] = ascending
    attrs["aggregation-status"] = "0"
    node = ET.Element("indicator", attrs)
    narrative(ET.SubElement(node, "title"), f"{ind.id} {ind.text}")
    if ind.unit:
        narrative(
            ET.SubElement(node, "description"), f"{fields.label(Indicator, 'unit')}: {ind.unit}"
        )
    base = ind.baseline
    if base is not None:
        baseline = ET.SubElement(
            node, "baseline", {"year": str(base.date.year), "iso-date": base.date.isoformat()}
        )
        _value(ind, baseline, base.value, base.note)
    targets = {t.period: t for t in ind.targets}
    periods = list(targets)
    periods += [a.period for a in ind.actuals if a.period not in periods]
    for period in sorted(periods, key=lambda p: (period_span(p), p)):
        start, end = period_span(period)
        node_period = ET.SubElement(node, "period")
        ET.SubElement(node_period, "period-start", {"iso-date": start.isoformat()})
        ET.SubElement(node_period, "period-end", {"iso-date": end.isoformat()})
        if period in targets:
            target = ET.SubElement(node_period, "target")
            _value(ind, target, targets[period].value, targets[period].note)
        measured = latest(_in_period(ind, period), today)
        if measured is not None:
            actual = ET.SubElement(node_period, "actual")
            note = " ".join(p for p in (measured.note, _evidence(measured.evidence)) if p)
            _value(ind, actual, measured.value, note or None)
    return node


def _in_period(ind: Indicator, period: str) -> Indicator:
    from dataclasses import replace

    return replace(ind, actuals=[a for a in ind.actuals if a.period == period])


def _evidence(evidence: list[str]) -> str:
    return f"({fields.label(Actual, 'evidence')}: {'; '.join(evidence)})" if evidence else ""


def _ascending(ind: Indicator) -> str | None:
    """Returns "1" when a higher value is better (the last target at or above the baseline)."""
    if ind.measure is Measure.QUALITATIVE or not ind.targets or ind.baseline is None:
        return None
    last, base = ind.targets[-1].value, ind.baseline.value
    if isinstance(last, str) or isinstance(base, str):
        return None
    return "1" if last >= base else "0"


def _value(ind: Indicator, node: ET.Element, value: int | float | str, note: str | None) -> None:
    """Sets a number as `value`; a narrative (qualitative) and any note become the comment."""
    texts = [value] if isinstance(value, str) else []
    if not isinstance(value, str):
        node.set("value", xml_number(value))
    if note:
        texts.append(note)
    if texts:
        narrative(ET.SubElement(node, "comment"), "\n".join(texts))


def xml_number(value: int | float) -> str:
    """Returns a number as XPath's number() reads it back: no exponent, no '.0'."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = repr(value)
    return f"{Decimal(text):f}" if "e" in text or "E" in text else text
