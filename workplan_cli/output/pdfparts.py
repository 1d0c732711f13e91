"""A large report printed as a pdf in parts, and the parts joined into one pdf (the only module
that imports pypdf).

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

Known loss: a link on the first page to an activity printed in a later part (the overdue list)
is dropped by the typesetter, which cannot find its target, and stays plain text.
"""

from __future__ import annotations

import io

from workplan_cli.errors import WorkplanError

PART_ACTIVITIES = 400  # WORKPLAN_PDF_PART_ACTIVITIES: the figures in docs/reports.md


def split(context: dict, most: int) -> list[dict]:
    """Returns the report's context cut into parts of at most `most` activities, in order.

    Whole topics are kept together while they fit; a topic of more than `most` activities is cut
    between activities. Each part is the context with `part`: {first, last, areas (the part's
    areas, topics and activities), continued (ids of the areas and topics that began in an
    earlier part)}. A report of at most `most` activities is one part.
    """
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
        {**context, "part": _part(pieces, i == 0, i == len(parts) - 1)}
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
    return {"first": first, "last": last, "areas": areas, "continued": continued, "numbers": 0}


def numbers(context: dict, pages: int) -> dict:
    """Returns the context of the page-number layer: `pages` empty pages with only the footer."""
    return {**context, "part": {"first": False, "last": False, "numbers": pages}}


def count_pages(pdf: bytes) -> int:
    """Returns the number of pages of a pdf that a typesetter printed."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, ValueError, KeyError) as e:
        raise WorkplanError(f"a part of the pdf cannot be read back ({e})") from None


def join(request: tuple[list[bytes], bytes]) -> bytes:
    """Returns the parts as one pdf, each page with its page number laid over it.

    Called in a child process with limits (sandbox.run): `request` is (the parts' pdfs, the
    page-number layer's pdf, with as many pages as the parts together).
    """
    from pypdf import PdfReader, PdfWriter

    parts, layer = request
    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(data)) for data in parts]
    for reader in readers:
        writer.append(reader)
    numbered = PdfReader(io.BytesIO(layer)).pages
    if len(numbered) != len(writer.pages):
        raise WorkplanError(
            f"the page numbers ({len(numbered)} pages) do not fit the parts "
            f"({len(writer.pages)} pages)"
        )
    for page, number in zip(writer.pages, numbered, strict=True):
        page.merge_page(number)
        page.compress_content_streams()
    if readers[0].metadata:
        writer.add_metadata(dict(readers[0].metadata))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
