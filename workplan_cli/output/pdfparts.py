"""A large report printed as a pdf in parts, and the parts joined into one pdf (the only module
that imports pikepdf).

A typesetter holds the whole layout of what it prints: for 2,000 activities, about 800 MB in
WeasyPrint and in Chromium's page process alike (docs/reports.md). Printed as parts of at most
PART_ACTIVITIES activities each, one after the other, each in a process that ends (WeasyPrint)
or a tab that closes (Chromium), the most held at once is one part's layout. Every part is the
same template with the same style, so that the pages look as they would in one piece, except
that each part begins on a new page. Only the first part has the title page and the summary,
only the last the list of stakeholders; an area or topic that goes on from the previous part
has no heading again.

A part cannot know the pages of the others, so it is printed without page numbers, and
"Page n of N" comes from one more print, of N empty pages that have only the footer, laid over
the pages of the joined pdf.

A link from one part to another (the first page's overdue list to an activity's card) would be
dropped by the typesetter, which cannot find its target in the part. So in a part such a link
points to https://TOKEN.elsewhere.workplan.invalid/#activity-ID (an address that cannot resolve,
with a token drawn for this report, so that no link in the plan's text can pass for one), every
card is a target of a link to itself (Chromium names a destination only for a link's target),
and the join points each link at its target's page in the joined pdf, or drops the link when
there is none. The parts' bookmarks (WeasyPrint's outline of the headings) are joined into one,
nested as the headings of a report printed whole.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

from workplan_cli.errors import WorkplanError

ELSEWHERE = "https://{token}.elsewhere.workplan.invalid/"
PART_ACTIVITIES = 250  # WORKPLAN_PDF_PART_ACTIVITIES: the figures in docs/reports.md


def split(context: dict, most: int) -> list[dict]:
    """Returns the report's context cut into parts of at most `most` activities, in order.

    Whole topics are kept together while they fit; a topic of more than `most` activities is cut
    between activities. Each part is the context with `part`: {first, last, areas (the part's
    areas, topics and activities), continued (ids of the areas and topics that began in an
    earlier part), elsewhere (the address, drawn anew for each report, that stands for "in
    another part" in a link)}. A report of at most `most` activities is one part.
    """
    elsewhere = ELSEWHERE.format(token=secrets.token_hex(8))
    parts: list[list[tuple[dict, dict, list[dict], bool]]] = [[]]
    size = 0
    for area in context["areas"]:
        for topic in area["topics"]:
            activities = topic["activities"]
            if size and size + len(activities) > most:
                parts.append([])
                size = 0
            for start in range(0, max(len(activities), 1), most):
                if start:
                    parts.append([])
                    size = 0
                chunk = activities[start : start + most]
                parts[-1].append((area, topic, chunk, start > 0))
                size += len(chunk)
    return [
        {**context, "part": {**_part(pieces, i == 0, i == len(parts) - 1), "elsewhere": elsewhere}}
        for i, pieces in enumerate(parts)
    ]


def _part(pieces: list[tuple[dict, dict, list[dict], bool]], first: bool, last: bool) -> dict:
    areas: list[dict] = []
    continued: set[str] = set()
    for area, topic, activities, topic_goes_on in pieces:
        if not areas or areas[-1]["id"] != area["id"]:
            if topic is not area["topics"][0] or topic_goes_on:
                continued.add(area["id"])
            areas.append({**area, "topics": []})
        if topic_goes_on:
            continued.add(topic["id"])
        areas[-1]["topics"].append({**topic, "activities": activities})
    return {
        "first": first,
        "last": last,
        "areas": areas,
        "continued": continued,
        "numbers": 0,
    }


def outline_levels(part: dict) -> list[int]:
    """Returns the heading levels (1 for h1 ...) of the top items of the part's own outline (the
    bookmarks WeasyPrint makes of its headings): its headings that no heading of a higher rank in
    the same part comes before. The join hangs each under the heading of the parts before it
    that it belongs to."""
    if part["part"]["first"]:
        return [1]  # the title: everything else in the first part is below it
    headings = []
    for area in part["part"]["areas"]:
        if area["id"] not in part["part"]["continued"]:
            headings.append(2)
        for topic in area["topics"]:
            if topic["id"] not in part["part"]["continued"]:
                headings.append(3)
            headings += [4] * len(topic["activities"])
    if part["part"]["last"] and part.get("stakeholders"):
        headings.append(2)
    tops: list[int] = []
    for level in headings:
        if not tops or level <= min(tops):
            tops.append(level)
    return tops


def numbers(context: dict, pages: int) -> dict:
    """Returns the context of the page-number layer: `pages` empty pages with only the footer."""
    return {**context, "part": {"first": False, "last": False, "numbers": pages}}


def count_pages(pdf: bytes) -> int:
    """Returns the number of pages of a pdf that a typesetter printed."""
    import pikepdf

    try:
        with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except pikepdf.PdfError as e:
        raise WorkplanError(f"a part of the pdf cannot be read back ({e})") from None


def join(request: tuple[list[bytes], bytes, str, list[list[int]]]) -> bytes:
    """Returns the parts as one pdf, each page with its page number laid over it.

    Called in a child process with limits (sandbox.run): `request` is (the parts' pdfs, the
    page-number layer's pdf, with as many pages as the parts together, the parts' `elsewhere`
    address, and each part's `outline_levels`). qpdf (pikepdf) copies the pages and lays each
    number over its page as a form of its own, without reading the pages' contents: about 0.7 s
    for 2,000 activities, against 1.8 s with pypdf, which parses every page's content to merge
    it.
    """
    import warnings

    import pikepdf

    parts, layer, elsewhere, levels = request
    joined = pikepdf.Pdf.new()
    places: dict[str, tuple[int, list]] = {}  # a named destination: its page and position
    outline = _Outline()
    for i, data in enumerate(parts):
        part = pikepdf.Pdf.open(io.BytesIO(data))
        title = part.docinfo.get("/Title")
        if i == 0 and title is not None:
            joined.docinfo["/Title"] = pikepdf.String(str(title))
        pages = {page.obj.objgen: n for n, page in enumerate(part.pages, len(joined.pages))}
        for name, place in _destinations(part):
            if len(place) > 1 and place[0].objgen in pages:
                places[name] = (pages[place[0].objgen], [_plain(x) for x in list(place)[1:]])
        with warnings.catch_warnings():  # the links are pointed at their pages below
            # (pikepdf 10 warns that pages.extend does not carry named destinations)
            warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
            joined.pages.extend(part.pages)
        outline.add(part, pages, levels[i])
    numbers = pikepdf.Pdf.open(io.BytesIO(layer))
    if len(numbers.pages) != len(joined.pages):
        raise WorkplanError(
            f"the page numbers ({len(numbers.pages)} pages) do not fit the parts "
            f"({len(joined.pages)} pages)"
        )
    for page, number in zip(joined.pages, numbers.pages, strict=True):
        page.add_overlay(number, pikepdf.Rectangle(page.mediabox))
        _link(joined, page, places, elsewhere)
    if outline.items:
        with joined.open_outline() as bookmarks:
            bookmarks.root.extend(outline.items)
    out = io.BytesIO()
    joined.save(out)
    return out.getvalue()


def _destinations(part):
    """Yields (name, destination array) of every named place in the pdf: the catalog's /Dests
    (Chromium) and its /Names tree (WeasyPrint)."""
    import pikepdf

    old = part.Root.get("/Dests")
    named = [(str(k), v) for k, v in old.items()] if old is not None else []
    tree = part.Root.get("/Names", {}).get("/Dests")
    if tree is not None:
        named += list(pikepdf.NameTree(tree).items())
    for name, place in named:
        place = place.get("/D") if isinstance(place, pikepdf.Dictionary) else place
        if isinstance(place, pikepdf.Array):
            yield name.lstrip("/"), place


def _plain(value):
    """A destination's position (a name such as /XYZ, a number or null) for another pdf."""
    import pikepdf

    return pikepdf.Name(str(value)) if isinstance(value, pikepdf.Name) else value


def _link(joined, page, places: dict, elsewhere: str) -> None:
    """Points the page's links to a place in the pdf straight at their target's page (whichever
    part it came from), and drops those whose target is not in the pdf."""
    import pikepdf

    links = page.obj.get("/Annots")
    if links is None:
        return
    kept = pikepdf.Array()
    for link in links:
        target = _target(link, elsewhere)
        if target is None:  # not a link within the pdf: a web address, or no link
            kept.append(link)
        elif target in places:
            number, position = places[target]
            link.Dest = pikepdf.Array([joined.pages[number].obj, *position])
            if "/A" in link:
                del link.A
            kept.append(link)
    page.obj.Annots = kept


def _target(annotation, elsewhere: str) -> str | None:
    """Returns the name of the place in the pdf that a link goes to (None: elsewhere, or none)."""
    import pikepdf

    if annotation.get("/Subtype") != pikepdf.Name.Link:
        return None
    dest = annotation.get("/Dest")
    if isinstance(dest, pikepdf.Name | pikepdf.String):
        return str(dest).lstrip("/")
    action = annotation.get("/A")
    uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
    if uri.startswith(elsewhere + "#"):
        return uri[len(elsewhere) + 1 :]
    return None


class _Outline:
    """The joined pdf's outline (bookmarks), made of the parts' own: a part's top items are hung
    under the open heading of the parts before them one level up (a continued topic's
    activities under that topic), by `outline_levels`."""

    def __init__(self) -> None:
        self.items: list[Any] = []  # pikepdf.OutlineItem
        self.open: list[tuple[int, Any]] = []  # (level, item): the last heading of each level

    def add(self, part, pages: dict, levels: list[int]) -> None:
        with part.open_outline() as own:
            tops = list(own.root)
        if len(tops) != len(levels):  # not the shipped template's headings: keep them flat
            levels = [1] * len(tops)
        for top, level in zip(tops, levels, strict=True):
            item = _copied(top, pages)
            while self.open and self.open[-1][0] >= level:
                self.open.pop()
            (self.open[-1][1].children if self.open else self.items).append(item)
            while item is not None:  # its last descendants are the open headings now
                self.open.append((level, item))
                item, level = (item.children[-1] if item.children else None), level + 1


def _copied(item, pages: dict):
    """A copy of an outline item and its children that leads to the same place in the joined
    pdf (`pages`: the part's page objects to their numbers there)."""
    import pikepdf

    dest = item.destination
    copy = pikepdf.OutlineItem(item.title)
    if isinstance(dest, pikepdf.Array) and len(dest) >= 4 and dest[0].objgen in pages:
        top = dest[3]
        copy = pikepdf.OutlineItem(
            item.title,
            pages[dest[0].objgen],
            pikepdf.PageLocation.XYZ,
            left=float(dest[2]) if dest[2] is not None else None,
            top=float(top) if top is not None else None,
        )
    copy.children.extend(_copied(child, pages) for child in item.children)
    return copy
