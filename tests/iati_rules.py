"""A small checker for IATI's Standard Ruleset (tests/iati-rules/standard.json) and codelists.

The ruleset maps an XPath context to rule kinds, each with cases: XPath `paths` (or `less`,
`more`, `if`, `then`, ...), an optional `condition`, and `ruleInfo` (id, severity, message).
Every kind that occurs in a context an activity file can have is implemented; `check` refuses
(AssertionError) a document where a context matches whose kind is not, so a rule is never
silently skipped. `idCondition` (rules that apply only to identifiers unknown to IATI's
registry) is taken as always applying: stricter than the validator.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

RULES = Path(__file__).parent / "iati-rules"
NS = {"xml": "http://www.w3.org/XML/1998/namespace"}
UNIMPLEMENTED = {"time_limit", "between_dates"}  # budgets and organisation files only


@dataclass(frozen=True)
class Finding:
    rule: str  # the ruleInfo id, e.g. "6.2.2", or "codelist"
    severity: str  # "error" or "warning"
    message: str
    where: str  # the activity's iati-identifier, or the element's path


@cache
def ruleset() -> dict:
    return json.loads((RULES / "standard.json").read_text(encoding="utf-8"))


@cache
def codelist(name: str) -> frozenset[str]:
    root = etree.parse(str(RULES / "codelists" / f"{name}.xml")).getroot()
    return frozenset(c.text.strip() for c in root.iterfind("codelist-items/codelist-item/code"))


def org_id_prefixes() -> frozenset[str]:
    return codelist("OrganisationRegistrationAgency")


def _xpath(node, expr: str):
    return node.xpath(expr, namespaces=NS)


def _strings(node, path: str) -> list[str]:
    found = _xpath(node, path)
    if not isinstance(found, list):
        return [str(found)]
    return [item if isinstance(item, str) else (item.text or "") for item in found]


def _true(node, expr: str) -> bool:
    return bool(_xpath(node, f"boolean({expr})"))


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def _passes(kind: str, case: dict, node, now: dt.date) -> bool:
    paths = case.get("paths", [])
    if kind == "atleast_one":
        return any(_xpath(node, p) for p in paths)
    if kind == "no_more_than_one":
        return sum(len(_xpath(node, p)) for p in paths) <= 1
    if kind == "unique":
        values = [v for p in paths for v in _strings(node, p)]
        return len(values) == len(set(values))
    if kind == "no_spaces":
        return all(v == v.strip() for p in paths for v in _strings(node, p))
    if kind == "regex_matches":
        return all(re.search(case["regex"], v) for p in paths for v in _strings(node, p))
    if kind == "startswith":
        if case["prefix"] == ["ORG-ID-PREFIX"]:
            prefixes = {f"{code}-" for code in org_id_prefixes()}
        else:
            sep = case.get("separator", "")
            prefixes = {v + sep for p in case["prefix"] for v in _strings(node, p)}
        return all(any(v.startswith(x) for x in prefixes) for p in paths for v in _strings(node, p))
    if kind == "one_or_all":
        if _xpath(node, case["one"]):
            return True
        each, needs = {
            "lang": (".//narrative", "@xml:lang"),
            "currency": (".//value", "@currency"),
            "sector": ("transaction", "sector"),
        }[case["all"]]
        return all(_xpath(item, needs) for item in _xpath(node, each))
    if kind == "date_now":
        return all((d := _date(v)) is None or d <= now for v in _strings(node, case["date"]))
    if kind == "date_order":
        less = [_date(v) for v in _strings(node, case["less"])]
        more = [now] if case["more"] == "NOW" else [_date(v) for v in _strings(node, case["more"])]
        return all(a <= b for a in less for b in more if a is not None and b is not None)
    if kind == "strict_sum":
        values = [_number(v) for p in paths for v in _strings(node, p)]
        return None not in values and sum(values, Decimal(0)) == Decimal(case["sum"])
    if kind == "range":
        for v in (v for p in paths for v in _strings(node, p)):
            n = _number(v)
            if n is None or not Decimal(str(case["min"])) <= n <= Decimal(str(case["max"])):
                return False
        return True
    if kind == "if_then":
        return not _true(node, case["if"]) or _true(node, case["then"])
    raise AssertionError(f"rule kind {kind!r} is not implemented")


def _substituted(rule: dict, value: str) -> dict:
    return json.loads(json.dumps(rule).replace("$1", value))


def _cases(kind: str, rule: dict, node):
    """Yields (kind, case) for a context node: a `loop` once per value of its `foreach`."""
    for case in rule["cases"]:
        if kind != "loop":
            yield kind, case
            continue
        for value in sorted(set(_strings(node, case["foreach"]))):
            for inner_kind, inner in _substituted(case["do"], value).items():
                yield from _cases(inner_kind, inner, node)


def _where(node) -> str:
    activity = next((a for a in node.iterancestors("iati-activity")), node)
    ident = activity.findtext("iati-identifier") if activity.tag == "iati-activity" else None
    return ident or node.getroottree().getpath(node)


def check(root, now: dt.date, rules: dict | None = None) -> list[Finding]:
    """Returns what the Standard Ruleset (or `rules`) finds in the document `root`."""
    found: list[Finding] = []
    tree = root.getroottree()
    for context, kinds in (rules or ruleset()).items():
        nodes = tree.xpath(context, namespaces=NS)
        for kind, rule in kinds.items():
            if not nodes:
                continue
            assert kind not in UNIMPLEMENTED, f"{context}: rule kind {kind} is not implemented"
            for node in nodes:
                for inner_kind, case in _cases(kind, rule, node):
                    if "condition" in case and not _true(node, case["condition"]):
                        continue
                    if not _passes(inner_kind, case, node, now):
                        info = case["ruleInfo"]
                        found.append(
                            Finding(info["id"], info["severity"], info["message"], _where(node))
                        )
    return found


# Where the export writes codes, and the codelist each must come from.
CODED = {
    "//activity-status/@code": "ActivityStatus",
    "//activity-date/@type": "ActivityDateType",
    "//participating-org/@role": "OrganisationRole",
    "//participating-org/@type": "OrganisationType",
    "//reporting-org/@type": "OrganisationType",
    "//recipient-country/@code": "Country",
    "//sector/@vocabulary": "SectorVocabulary",
    "//sector[@vocabulary='1' or not(@vocabulary)]/@code": "Sector",
    "//tag/@vocabulary": "TagVocabulary",
    "//iati-activity/@xml:lang": "Language",
    "//narrative/@xml:lang": "Language",
    "//iati-activity/@default-currency": "Currency",
}


def check_codes(root) -> list[Finding]:
    """Returns each code the export writes that is not in its codelist."""
    found = []
    for path, name in CODED.items():
        for value in _xpath(root, path):
            if str(value) not in codelist(name):
                found.append(
                    Finding(
                        "codelist",
                        "error",
                        f"{value!r} is not in {name}",
                        _where(value.getparent()),
                    )
                )
    return found
