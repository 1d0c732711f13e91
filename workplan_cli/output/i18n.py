"""The report's language: gettext catalogs and dates, numbers and lists formatted for a locale
(the only module that imports babel).

Catalogs are plain gettext `.po` files under `workplan_cli/locale/LANG/LC_MESSAGES/`, which a
translator edits with any PO editor or a text editor; they are read at run time by Babel's own
PO reader (no compiled `.mo` files, so an editable install and a wheel behave alike). English is
the language of the source texts and needs no catalog. docs/reports.md says how to add a
language; `messages.pot` beside the catalogs lists every text to translate.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from workplan_cli.errors import WorkplanError

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# The locale whose conventions a language's dates and numbers follow, where it is not the
# language itself: the English of Kenya's and Germany's offices writes "13 February 2024".
FORMATS = {"en": "en_GB"}
CAPITALISED = {"de"}  # languages whose labels keep their capital inside a sentence


def N_(message: str) -> str:
    """Marks a text for translation where it is defined (pybabel extracts it); translated later."""
    return message


def languages() -> tuple[str, ...]:
    """Returns the report languages: English and each language with a catalog, sorted."""
    found = {SOURCE_LANGUAGE}
    if LOCALE_DIR.is_dir():
        found.update(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted(found))


class Language:
    """One report language: `gettext`/`ngettext` and the formats of its locale."""

    def __init__(self, code: str, translations: NullTranslations) -> None:
        self.code = code
        self.locale = Locale.parse(FORMATS.get(code, code))
        self._translations = translations

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def date(self, value: dt.date | str | None) -> str:
        """Returns a date as people of the locale write it ('13 February 2024', '13. Februar
        2024'); a text that is not a date (a quarter, '2025-Q4') is returned as it is."""
        if value is None:
            return ""
        if isinstance(value, str):
            try:
                return self.date(dt.date.fromisoformat(value))
            except ValueError:
                return value
        return format_date(value, format="long", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """Returns a month and year, short: 'Jan 2025', 'Jan. 2025'."""
        return format_date(day, format="MMM y", locale=self.locale)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, fraction: float | None) -> str:
        """Returns a share as a percentage ('45%', '45 %'); '–' when there is none."""
        if fraction is None:
            return "–"
        return format_percent(fraction, locale=self.locale)

    def join(self, items: Iterable[str], alternatives: bool = False) -> str:
        """Returns items as a list in words: 'MICDE and BMDV', 'MICDE und BMDV' (with
        `alternatives`: 'planned or postponed')."""
        found = list(items)
        if not found:
            return ""
        return format_list(found, style="or" if alternatives else "standard", locale=self.locale)

    def in_sentence(self, word: str, adjective: bool = False) -> str:
        """Returns a label as it is written inside a sentence: 'Planned' -> 'planned' in
        English; German keeps its nouns' capitals, but not an `adjective`'s (a status:
        'geplant', 'in Arbeit')."""
        if (self.code in CAPITALISED and not adjective) or len(word) < 2:
            return word
        if not (word[1].islower() or word[1] == " "):
            return word  # an abbreviation
        return word[0].lower() + word[1:]

    def territory(self, code: str | None) -> str:
        """Returns a country's name in the language ('KE' -> 'Kenya', 'Kenia')."""
        if not code:
            return ""
        return self.locale.territories.get(code.upper(), code)


@functools.cache
def language(code: str) -> Language:
    """Returns the language `code` ('en', 'de'), its catalog read from its `.po` file."""
    known = languages()
    if code not in known:
        raise WorkplanError(
            f"no report language {code!r}; the languages are {', '.join(known)} "
            "(docs/reports.md says how to add one)"
        )
    if code == SOURCE_LANGUAGE:
        return Language(code, NullTranslations())
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with open(path, "rb") as f:
            catalog = read_po(f, locale=code, domain=DOMAIN)
    except (OSError, ValueError, UnknownLocaleError) as e:
        raise WorkplanError(f"{path}: cannot read the catalog ({e})") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return Language(code, Translations(compiled, domain=DOMAIN))
