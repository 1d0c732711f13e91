"""The report's languages: the catalogs are complete and current, and dates, numbers and labels
follow the language (output/i18n.py).

`UPDATE_CATALOGS=1 pytest tests/test_i18n.py` rewrites workplan_cli/locale/messages.pot from the
templates, the code and the declarations, and merges it into every language's .po (new texts
with an empty translation, for a translator to fill in; docs/reports.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from workplan_cli.errors import WorkplanError
from workplan_cli.output import i18n, reportdata

PACKAGE = i18n.LOCALE_DIR.parent
POT = i18n.LOCALE_DIR / "messages.pot"
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}


def extracted() -> Catalog:
    """Returns the catalog template: every text the report translates."""
    catalog = Catalog(project="workplan", version="", charset="utf-8", fuzzy=False)
    methods = [("templates/**.j2", "jinja2.ext:babel_extract"), ("output/**.py", "python")]
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = extract_from_dir(
        str(PACKAGE),
        method_map=methods,
        options_map={"templates/**.j2": JINJA_OPTIONS},
        keywords=keywords,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for message in reportdata.vocabulary_messages():
        if message not in catalog:
            catalog.add(message, None, [("plan/model.py and plan/vocab.py", 0)])
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def _msgids(catalog: Catalog) -> set:
    return {m.id for m in catalog if m.id}


def test_the_template_catalog_is_current():
    fresh = extracted()
    if os.environ.get("UPDATE_CATALOGS"):
        fresh.creation_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        POT.write_bytes(_po_bytes(fresh))
        for code in i18n.languages():
            if code == i18n.SOURCE_LANGUAGE:
                continue
            path = i18n.LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
            with open(path, "rb") as f:
                catalog = read_po(f, locale=code)
            catalog.update(fresh, no_fuzzy_matching=True)
            path.write_bytes(_po_bytes(catalog))
    with open(POT, "rb") as f:
        committed = read_po(f)
    assert _msgids(committed) == _msgids(fresh), "run UPDATE_CATALOGS=1 pytest tests/test_i18n.py"


@pytest.mark.parametrize("code", [c for c in i18n.languages() if c != i18n.SOURCE_LANGUAGE])
def test_every_text_is_translated_with_the_same_placeholders(code):
    with open(POT, "rb") as f:
        wanted = _msgids(read_po(f))
    path = i18n.LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as f:
        catalog = read_po(f, locale=code)
    missing, wrong = [], []
    for m in catalog:
        if not m.id or m.id not in wanted:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            missing.append(ids[0])
            continue
        names = set(re.findall(r"%\((\w+)\)s", ids[-1]))
        for s in strings:
            if set(re.findall(r"%\((\w+)\)s", s)) != names:
                wrong.append((ids[0], s))
    found = {m.id for m in catalog if m.id}
    missing += sorted(str(w) for w in wanted - found)
    assert missing == [] and wrong == []


def test_dates_numbers_and_lists_follow_the_language():
    en, de = i18n.language("en"), i18n.language("de")
    day = dt.date(2024, 2, 13)
    assert en.date(day) == "13 February 2024"
    assert de.date(day) == "13. Februar 2024"
    assert en.date("2025-Q4") == "2025-Q4"  # a quarter is shown as written
    assert en.percent(0.06) == "6%"
    assert de.percent(0.06) == "6\xa0%"
    assert en.number(2000) == "2,000" and de.number(2000) == "2.000"
    assert en.join(["MICDE", "BMDV"]) == "MICDE and BMDV"
    assert de.join(["MICDE", "BMDV"]) == "MICDE und BMDV"
    assert de.territory("KE") == "Kenia"
    assert en.in_sentence("In progress") == "in progress" and de.in_sentence("Geplant") == "Geplant"
    assert de.gettext("In progress") != "In progress"


def test_an_unknown_language_is_refused():
    with pytest.raises(WorkplanError, match=r"no report language 'xx'.*de, en"):
        i18n.language("xx")
