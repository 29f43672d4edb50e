"""What a part is: document type, title, helsefellesskap, date and the years it covers."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache

from ingest.model import Block, Document, Meeting
from ingest.resources import Fellesskap, document_types, fellesskap_list
from ingest.segment.dates import adoption_in, find_dates, period_in, years_named
from ingest.segment.fields import find_body

# How far into a plan its period and adoption are looked for: the title page and the introduction.
OPENING_PASSAGES = 8
MEETING_PAPERS = ("innkalling", "referat")

_APPROVED = re.compile(
    r"\b(vedtatt|vedtak|vedteken|vedteke|behandlet|behandla|godkjent|handsama|handsamt|godkjend|datert|dato)\b",
    re.I,
)


@cache
def _types() -> dict[str, dict]:
    compiled = {}
    for name, spec in document_types().items():
        compiled[name] = {
            "label": spec["label"],
            "title": [re.compile(p, re.I) for p in spec["title_patterns"]],
            "body": [re.compile(p, re.I) for p in spec["body_patterns"]],
        }
    return compiled


def type_label(doc_type: str) -> str:
    spec = _types().get(doc_type)
    return spec["label"] if spec else doc_type.capitalize()


def doc_type(
    blocks: list[Block], topic: str, is_case_paper: bool, meeting: Meeting | None, pages: int, chars: int
) -> str:
    if is_case_paper:
        return "saksfremlegg"
    head = " ".join(b.text for b in blocks[:4] if len(b.text) < 200)
    scores = _pattern_scores(blocks, head, topic)
    if meeting is not None:
        _favour_meeting_papers(scores)
    else:
        # Structure says "slides" only when the title does not say what the document is: an annual
        # report exported as text is many headings on one "page" too.
        titled = any(
            pattern.search(head) or (topic and pattern.search(topic))
            for spec in _types().values()
            for pattern in spec["title"]
        )
        slides = 0 if titled else _slide_score(blocks, pages, chars)
        if slides:
            scores["presentasjon"] += slides
    if not scores:
        return "annet"
    best = max(scores, key=scores.__getitem__)  # the first of the best, as Counter.most_common(1) has it
    return best if scores[best] >= 3 else "annet"


def _pattern_scores(blocks: list[Block], head: str, topic: str) -> dict[str, float]:
    """Each type's patterns found in the topic field, the opening lines and the body."""
    body = " ".join(b.text for b in blocks)
    scores = dict.fromkeys(_types(), 0.0)
    for name, spec in _types().items():
        for pattern in spec["title"]:
            if topic and pattern.search(topic):
                scores[name] += 8
            if pattern.search(head):
                scores[name] += 5
        for pattern in spec["body"]:
            scores[name] += min(4, len(pattern.findall(body))) * 0.5
    return scores


def _favour_meeting_papers(scores: dict[str, float]) -> None:
    """A meeting's paper is a notice or minutes; which one, its header and past tense tell."""
    for name in list(scores):
        if name not in ("innkalling", "referat"):
            scores[name] -= 6
    if not any(scores[n] >= 5 for n in ("innkalling", "referat")):
        scores["referat"] += 3


def _slide_score(blocks: list[Block], pages: int, chars: int) -> int:
    """How much the shape says "slides": many headings and little text per page."""
    headings = sum(b.kind == "heading" for b in blocks)
    paragraphs = sum(b.kind == "paragraph" for b in blocks)
    score = 0
    if headings >= 8 and headings >= paragraphs and (pages == 1 or chars / pages < 900):
        score += 6
    if pages >= 4 and chars / pages < 600:
        score += 4
    return score


def fellesskap(text: str, head: str) -> Fellesskap | None:
    scores: Counter[str] = Counter()
    by_id = {f.id: f for f in fellesskap_list()}
    for f in fellesskap_list():
        strong = len(f.strong.findall(text)) + 3 * len(f.strong.findall(head))
        if strong:
            scores[f.id] += 3 * strong
    if not scores:
        for f in fellesskap_list():
            weak = len(f.weak.findall(text))
            if weak:
                scores[f.id] += weak
    if not scores:
        return None
    return by_id[scores.most_common(1)[0][0]]


def document_date(blocks: list[Block], meeting: Meeting | None, created: str | None) -> str | None:
    if meeting is not None and meeting.date:
        return meeting.date
    for block in blocks[:6]:
        if len(block.text) < 200 and _APPROVED.search(block.text):
            dates = find_dates(block.text)
            if dates:
                return dates[0][1].isoformat()
    # A date the first page shows (a title slide's "22. mai 2024", a footer's "SSU 22.05.2024") tells
    # more than the file's creation date, which is often the day it was exported or converted.
    first_page = blocks[0].page if blocks else 1
    for block in blocks[:12]:
        if block.page == first_page and len(block.text) < 200:
            dates = find_dates(block.text)
            if dates:
                return dates[0][1].isoformat()
    return created


def covered_years(title: str, blocks: list[Block], doc_type_name: str, date_iso: str | None) -> list[int]:
    years = years_named(title)
    if years:
        return years
    labelled = _labelled_years(doc_type_name, " ".join(b.text for b in blocks))
    if labelled:
        return labelled
    if date_iso:
        return [date.fromisoformat(date_iso).year]
    return []


def _labelled_years(doc_type_name: str, body: str) -> list[int]:
    """The years the text gives after the type's name ("handlingsplan for 2024", "årsmelding 2023"):
    the latest, as a plan that names last year's plan is next year's."""
    label = type_label(doc_type_name).lower()
    pattern = re.compile(
        rf"\b{re.escape(label)}\w*\s+(?:for\s+)?(?:(?:perioden|året|år)\s+)?((?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)",
        re.I,
    )
    candidates = [years_named(m.group(1)) for m in pattern.finditer(body)]
    return max(candidates, key=lambda ys: (ys[-1], -len(ys))) if candidates else []


def title_of(
    blocks: list[Block],
    doc_type_name: str,
    fellesskap_name: str | None,
    meeting: Meeting | None,
    years: list[int],
    metadata_title: str | None,
) -> str:
    label = type_label(doc_type_name)
    if meeting is not None:
        from_meeting = _meeting_title(label, doc_type_name, meeting)
        if from_meeting is not None:
            return from_meeting
    spec = _types().get(doc_type_name)
    opening = _opening_title(blocks, spec["title"]) if spec else None
    if opening is not None:
        return opening
    if metadata_title:
        return metadata_title
    year = f" {years[0]}" if len(years) == 1 else (f" {years[0]}–{years[-1]}" if years else "")
    where = f" – {fellesskap_name}" if fellesskap_name else ""
    if doc_type_name == "annet":
        first = next((b.text for b in blocks if b.kind == "heading"), None)
        if first:
            return first
    return f"{label}{year}{where}"


def _meeting_title(label: str, doc_type_name: str, meeting: Meeting) -> str | None:
    """A notice or minutes by body and date; a case paper by its case."""
    if doc_type_name in ("innkalling", "referat"):
        parts = [label, meeting.body or "møte"]
        if meeting.date:
            parts.append(date.fromisoformat(meeting.date).strftime("%d.%m.%Y"))
        return " ".join(parts)
    if doc_type_name == "saksfremlegg" and meeting.agenda_items:
        item = meeting.agenda_items[0]
        body = f" {meeting.body}" if meeting.body else ""
        number = f" sak {item.number}" if item.number else ""
        return f"{label}{body}{number}: {item.title}".strip()
    return None


def _opening_title(blocks: list[Block], patterns: list[re.Pattern[str]]) -> str | None:
    """The first of the opening lines that names the type, with the helsefellesskap a line before it
    names when the title does not."""
    for i, block in enumerate(blocks[:5]):
        if block.kind not in ("heading", "paragraph") or len(block.text) > 140:
            continue
        if any(p.search(block.text) for p in patterns):
            title = block.text
            prior = [b.text for b in blocks[:i] if len(b.text) <= 80 and re.search(r"helse", b.text, re.I)]
            if prior and not re.search(r"helse(fel|samarbeid)", title, re.I):
                title = f"{title} – {prior[-1]}"
            return title
    return None


def settle_dates(documents: list[Document], created: str | None) -> None:
    """The dates a file's documents stand under, once their passages are cut: a plan's period and
    adoption, then the date of its meeting for a paper bundled with one (``created``, the file's own
    date, is no date of a part's own)."""
    for doc in documents:
        if document_types().get(doc.doc_type, {}).get("covers_period"):
            _plan_dates(doc)
    _bundle_dates(documents, created)


def _plan_dates(doc: Document) -> None:
    opening = doc.passages[:OPENING_PASSAGES]
    for passage in opening:
        adopted = adoption_in(passage.text)
        if adopted:
            day, said = adopted
            doc.adopted = day.isoformat()
            doc.adopted_by = find_body(said)
            doc.fact_passages["adopted"] = passage.passage_id
            doc.date = doc.adopted  # a plan is dated by its adoption, not by a deadline on its first page
            break
    period = _period(doc)
    if period is not None:
        doc.period_start, doc.period_end = period
        doc.years = list(range(period[0], period[1] + 1))


def _period(doc: Document) -> tuple[int, int] | None:
    """The years a plan covers: as its title names them, else as its opening states them ("for
    perioden 2024–2027"), else as its text names them after its type ("handlingsplan for 2024")."""
    named = years_named(doc.title)
    if named and named[-1] - named[0] <= 10:
        return named[0], named[-1]
    for passage in doc.passages[:OPENING_PASSAGES]:
        found = period_in(passage.text)
        if found:
            doc.fact_passages["period"] = passage.passage_id
            return found[0]
    labelled = _labelled_years(doc.doc_type, doc.text)
    return (labelled[0], labelled[-1]) if labelled else None


def _bundle_dates(documents: list[Document], created: str | None) -> None:
    """An attachment or case paper bundled with a meeting's papers and dated by nothing of its own takes
    the date of the meeting it goes to: the one whose agenda has its case (same body and number), else
    the one the file is the notice of (else its first meeting)."""
    meetings = [m for d in documents if d.doc_type in MEETING_PAPERS for m in d.meetings[:1] if m.date]
    if not meetings:
        return
    notices = [d.meetings[0] for d in documents if d.doc_type == "innkalling" and d.meetings]
    host = next((m for m in notices if m.date), meetings[0]).date
    cases = {(m.body, item.number or ""): m.date for m in meetings for item in m.agenda_items if item.number}
    for doc in documents:
        if doc.doc_type not in MEETING_PAPERS and (not doc.date or doc.date == created):
            _take_date(doc, host, cases)


def _take_date(doc: Document, host: str | None, cases: dict[tuple[str | None, str], str | None]) -> None:
    when = host
    if doc.meetings:  # a case paper: the meeting it is put to
        meeting = doc.meetings[0]
        number = meeting.agenda_items[0].number if meeting.agenda_items else None
        when = cases.get((meeting.body, number or "")) or host
        meeting.date = meeting.date or when
    doc.date = when
    if when and doc.period_start is None:
        doc.years = [int(when[:4])]
