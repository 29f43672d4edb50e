"""Answers read out of the best passages: the passages search finds for the plan, cut into units
(a sentence, a line, a list item, a table row, a label and the value under it), and the spans of the
asked kind in them, scored by how close they stand to the question's words and its relation words.

What no kind fits ("which agreements are named as examples") gets the shortest unit that answers.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from answers import spans as span_finders
from answers.plan import WORD, Part, Plan, kind_words, reading_data, stems
from ingest.model import Document, Passage
from ingest.store import DocumentStore
from kinds import registry
from search import SearchIndex

PASSAGES = 10
ANCHOR_WEIGHT = 1.5  # a unit naming what the question is about, whole
OTHER_COMMUNITY = 0.5
OWN_WORD = 4.0  # nearness to the question's own relation word ("møteleiar" before a name)
OTHER_OBJECT = 0.3  # nearness to a relation word that is of something the question does not name
TITLE_NAME = 0.25  # relevance a document gains for each of the question's proper names its title has
PARALLEL = 0.1  # the weight of a neighbour that is an item like this one: its words are its own  # the weight of a hit from a helsefellesskap the question does not ask about
WHOLE_DOCUMENTS = 3  # the best documents are read whole ...
WHOLE_DOCUMENT_PASSAGES = 80  # ... when they are pages, not books
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“(0-9-])")
# What reads an answer to a question asking for a kind out of a passage: the mentions of which
# entity types, which span finders (the registry's answered_by "mentions" and "spans").
ENTITY_TYPES_FOR = registry().answered_by("mentions")
SPANS_FOR = registry().answered_by("spans")


@dataclass
class Unit:
    text: str
    start: int  # offset in the passage text
    passage: Passage
    doc: Document
    hit: dict[str, Any]
    rank: int
    score: float = 0.0
    relevance: float = 1.0  # of its document to the question, relative to the best one
    heading: bool = False  # the unit is the passage's heading, not its text
    label: str = ""  # the field label it stands under ("Forfall:"), if any
    columns: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # a table row's cells: (start, end, header)
    indexed: Indexed | None = None  # its document's lookups
    context: list[str] = field(default_factory=list)  # the units beside it and its heading


@dataclass
class Candidate:
    label: str
    type: str
    score: float
    unit: Unit
    start: int
    end: int
    entity_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Indexed:
    """A document with what reading looks up in it again and again, built once per document."""

    doc: Document
    positions: dict[str, int]  # passage id -> its index
    mentions: dict[str, list[Any]]  # passage id -> the mentions in it
    entities: dict[str, Any]  # entity id -> entity
    titles: list[str]  # per passage, the title line last seen before it (_running_titles)
    headers: dict[int, list[str]] = field(default_factory=dict)  # table row index -> its header row

    @classmethod
    def of(cls, doc: Document) -> Indexed:
        mentions: dict[str, list[Any]] = {}
        for mention in doc.mentions:
            mentions.setdefault(mention.passage_id, []).append(mention)
        return cls(
            doc,
            {p.passage_id: i for i, p in enumerate(doc.passages)},
            mentions,
            {e.id: e for e in doc.entities},
            _running_titles(doc),
        )

    def header(self, at: int) -> list[str]:
        if at not in self.headers:
            self.headers[at] = _header_row(self.doc, at)
        return self.headers[at]


class DocumentCache:
    """Documents by id, kept while the manifest's generation stays the same (checked by refresh())."""

    def __init__(self, store: DocumentStore | None, size: int = 64) -> None:
        self.store = store
        self.size = size
        self._docs: OrderedDict[str, Indexed] = OrderedDict()
        self._generation: int | None = None

    def refresh(self) -> None:
        """Forget every document if a commit came since: once per question, not per document."""
        if self.store is None:
            return
        generation = self.store.generation()
        if generation != self._generation:
            self._docs.clear()
            self._generation = generation

    def get(self, doc_id: str) -> Indexed | None:
        if self.store is None:
            return None
        indexed = self._docs.get(doc_id)
        if indexed is None:
            try:
                indexed = Indexed.of(self.store.document(doc_id))
            except (KeyError, OSError, ValueError):
                return None
            self._docs[doc_id] = indexed
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(doc_id)
        return indexed


def split_units(text: str) -> list[tuple[int, str]]:
    """Lines, and sentences within lines, with their offsets."""
    out: list[tuple[int, str]] = []
    for line in re.finditer(r"[^\n\u2028]+", text):
        piece = line.group()
        if not piece.strip():
            continue
        offset = line.start()
        last = 0
        for end in _SENTENCE_END.finditer(piece):
            out.append((offset + last, piece[last : end.start()]))
            last = end.end()
        out.append((offset + last, piece[last:]))
    return [(s, t) for s, t in out if t.strip()]


class Reader:
    def __init__(self, search: SearchIndex | None, documents: DocumentStore | None) -> None:
        self.search = search
        self.docs = DocumentCache(documents)

    # -- the passages ---------------------------------------------------------------------------
    def found(self, words: list[str]) -> list[dict[str, Any]]:
        """The search hits for the question's words, the best first."""
        if self.search is None or not words:
            return []
        query = " ".join(w for w in words if not w.startswith("-"))
        return self.search.search(query, limit=PASSAGES * 2)["hits"]

    def hits(self, found: list[dict[str, Any]], community_ids: set[str]) -> list[dict[str, Any]]:
        """The passages to read: the hits, another helsefellesskap's weighed down."""
        hits = found
        if community_ids:
            # Another helsefellesskap's document counts less, not nothing: a page may tell of two
            # (InnoMed's projects of Helse Fonna and of St. Olavs).
            hits = [
                dict(
                    h,
                    score=(h.get("score") or 0.0)
                    * (
                        OTHER_COMMUNITY
                        if h.get("fellesskap") and h["fellesskap"] not in community_ids
                        else 1.0
                    ),
                )
                for h in hits
            ]
            hits.sort(key=lambda h: -h["score"])
        return hits[:PASSAGES]

    def units(self, plan: Plan, hits: list[dict[str, Any]]) -> list[Unit]:
        """Units of the passages found, and of every passage of the best documents: a page is
        about one thing, and its answer need not repeat the words its title has."""
        out: list[Unit] = []
        seen: set[str] = set()
        seen_headings: set[tuple[str, str]] = set()
        self.docs.refresh()
        # The parts of one file (a page the segmenter cut in two) are as relevant as its best part.
        source_of = {
            h["doc_id"]: (found.doc.source if (found := self.docs.get(h["doc_id"])) else h["doc_id"])
            for h in hits
        }
        source_best: dict[str, float] = {}
        for hit in hits:
            source = source_of[hit["doc_id"]]
            source_best[source] = max(source_best.get(source, 0.0), hit.get("score") or 0.0)
        doc_best = {doc_id: source_best[source] for doc_id, source in source_of.items()}
        top_docs = sorted(doc_best, key=lambda d: -doc_best[d])[: WHOLE_DOCUMENTS + 1]
        top = max(doc_best.values(), default=0.0) or 1.0
        # The question's proper names (places, bodies): a document whose title has them is about them.
        names = {w.lower() for w in plan.content_words[1:] if w[:1].isupper() and len(w) > 2} | {
            w.lower() for w in plan.content_words[:1] if w.isupper() and len(w) > 1
        }
        for rank, hit in enumerate(hits):
            indexed = self.docs.get(hit["doc_id"])
            if indexed is None:
                continue
            doc = indexed.doc
            at = indexed.positions.get(hit.get("passage_id") or "")
            if at is None:
                continue
            around = [at]
            if hit["doc_id"] in top_docs and len(doc.passages) <= WHOLE_DOCUMENT_PASSAGES:
                around += [i for i in range(len(doc.passages)) if i != at]
            elif (doc.passages[at].kind == "heading" or len(doc.passages[at].text) < 60) and at + 1 < len(
                doc.passages
            ):
                # A heading or a label ("Sekretariat", "Leder 2024 - 2026") is answered by what follows it.
                around.append(at + 1)
            relevance = min(1.0, doc_best[hit["doc_id"]] / top * _title_names(doc.title, names))
            titles = indexed.titles
            for i in around:
                p = doc.passages[i]
                if p.passage_id in seen:
                    continue
                seen.add(p.passage_id)
                pieces = split_units(p.text)
                heading = p.section[-1] if p.section else ""
                own_hit = i == at
                previous = doc.passages[i - 1] if i else None
                if (
                    heading
                    and (previous is None or heading not in previous.text)
                    and (doc.doc_id, heading) not in seen_headings
                ):
                    # A heading no passage holds is text too ("Bovild Tjønn, Bydelsdirektør" taken
                    # for a heading under "Leder av Samarbeidsutvalget:").
                    seen_headings.add((doc.doc_id, heading))
                    label = (
                        split_units(previous.text)[-1][1]
                        if previous is not None and previous.text.strip()
                        else ""
                    )
                    unit = Unit(
                        heading,
                        0,
                        p,
                        doc,
                        hit,
                        rank,
                        context=[label, pieces[0][1] if pieces else "", ""],
                        indexed=indexed,
                    )
                    unit.relevance = relevance * (1.0 if own_hit else 0.9)
                    unit.heading = True
                    out.append(unit)
                    before = heading  # the heading stands between the last passage and this one
                else:
                    before = _last_unit(previous.text) if previous is not None else ""
                title = f"{heading} {titles[i]}".strip()
                label = _label_of(before)
                for j, (start, text) in enumerate(pieces):
                    previous_text = pieces[j - 1][1] if j else before
                    if _label_of(previous_text):
                        label = _label_of(previous_text)
                        # "Forfall: Gro Sætre, …" goes on in the lines under it; a bullet
                        # ("- Prosjektleder: X" / "- Styringsgruppe …") is an item of its own.
                        if label != previous_text and re.match(r"\s*[-•*]\s", previous_text):
                            label = ""
                    elif not _is_item(previous_text):
                        label = ""
                    # A label governs the short lines under it ("Forfall:" and one name a line).
                    inline = _label_of(text)
                    # A line with a label of its own ("Nestleder: X") stands under no other label.
                    governing = "" if inline else label
                    context = [
                        governing or previous_text,
                        pieces[j + 1][1] if j + 1 < len(pieces) else "",
                        title,
                    ]
                    if _is_title(text):
                        # A title line inside a passage heads what follows it, as a heading does.
                        title = f"{heading} {text}"
                    unit = Unit(text, start, p, doc, hit, rank, context=context, indexed=indexed)
                    unit.relevance = relevance * (1.0 if own_hit else 0.9)
                    unit.label = inline if inline and inline != text else label
                    if p.kind == "table_row":
                        unit.columns = _columns(text, indexed.header(i))
                    out.append(unit)
        return out

    # -- scoring --------------------------------------------------------------------------------
    def score_units(self, plan: Plan, part: Part, units: list[Unit]) -> None:
        weights = word_weights(plan, part)
        # A word most units share tells less than a rare one ("kommunene" against "Sørvest").
        terms = [set(stems(u.text)) for u in units]
        df: dict[str, int] = {}
        for unit_terms in terms:
            for t in unit_terms & weights.keys():
                df[t] = df.get(t, 0) + 1
        n = max(len(units), 1)
        weights = {
            t: w * 1.5 * math.log(1 + n / (0.5 + df.get(t, 0))) / math.log(1 + 2 * n)
            for t, w in weights.items()
        }
        self.weights = weights
        years = plan.years or ([*range(plan.period[0], plan.period[1] + 1)] if plan.period else [])
        anchors = anchor_patterns(plan)
        for unit, unit_terms in zip(units, terms):
            own = _weigh(list(unit_terms), weights)
            # The thing the question is about, named whole ("FACT Nordhordland"), marks its row.
            own += ANCHOR_WEIGHT * sum(1 for pattern in anchors if pattern.search(unit.text))
            prev, nxt, heading = unit.context
            # A label and its value are one field: "Leder av Samarbeidsutvalget:" / "Bovild Tjønn, …".
            label_weight = 1.0 if _is_label(prev) else (PARALLEL if _parallel(prev, unit.text) else 0.4)
            next_weight = PARALLEL if _parallel(nxt, unit.text) else 0.4
            context = (
                label_weight * _weigh(stems(prev), weights)
                + next_weight * _weigh(stems(nxt), weights)
                + 0.6 * _weigh(stems(heading), weights)
            )
            if years and (any(str(y) in unit.text for y in years) or unit.doc.year in years):
                own += 1.0
            unit.score = (own + context) * _factor(unit.relevance)

    def candidates(self, plan: Plan, part: Part, units: list[Unit]) -> list[Candidate]:
        asked = part.asks
        relation = relation_stems(part)
        asked_relation = {t for w in part.relation_words for t in stems(w)}
        question_words = {w.lower() for w in WORD.findall(plan.question)}
        best_unit = max((u.score for u in units), default=1.0) or 1.0
        narrower = narrower_stems(part)
        asked_years = {str(y) for y in plan.years}
        kind = registry().types.get(asked) or registry().values.get(asked)
        asked_words = {t for w in (kind.asked_by if kind else ()) for t in stems(w)}
        question = plan.question.lower()
        found: list[Candidate] = []
        entity_types = ENTITY_TYPES_FOR.get(asked, ())
        span_kinds = SPANS_FOR.get(asked, ())
        anchor_names = {a.name.lower() for a in plan.anchors}
        asked_nouns = asked_noun_stems(part)
        asked_names = named_noun_stems(part)
        for unit in units:
            if unit.score <= 0:
                continue
            lo, hi = unit.start, unit.start + len(unit.text)
            if entity_types and not unit.heading and unit.indexed is not None:
                for mention in unit.indexed.mentions.get(unit.passage.passage_id, ()):
                    if not lo <= mention.start < hi:
                        continue
                    entity = unit.indexed.entities.get(mention.entity_id)
                    if entity is None or entity.type not in entity_types:
                        continue
                    found.append(
                        Candidate(
                            entity.label,
                            entity.type,
                            unit.score,
                            unit,
                            mention.start - lo,
                            mention.end - lo,
                            entity.id,
                        )
                    )
            if unit.columns and entity_types:
                # A plan table's row names its thing in the column the question asks for ("Tiltak").
                for start, end, header in unit.columns:
                    if set(stems(header)) & asked_words:
                        name = re.split(r"\s[–-]\s|:\s", unit.text[start:end].strip())[0].strip()
                        if 2 < len(name) <= 80:
                            at = unit.text.index(name, start)
                            found.append(Candidate(name, asked, unit.score, unit, at, at + len(name)))
            for kind in span_kinds:
                found_spans = span_finders.FINDERS[kind](unit.text)
                # Many of a kind on one line (an agenda run together, a list of names): each is
                # scored by the words that follow it up to the next one, its own row.
                rows = len(found_spans) >= 3 and kind in ("case_number", "person", "date")
                for n, span in enumerate(found_spans):
                    score = unit.score
                    if rows:
                        end = found_spans[n + 1].start if n + 1 < len(found_spans) else len(unit.text)
                        own = _weigh(stems(unit.text[span.start : end]), getattr(self, "weights", {}))
                        score = 0.3 * unit.score + own * _factor(unit.relevance)
                    candidate = Candidate(
                        span.label,
                        kind if kind != "organisation" or asked != "health_trust" else "organisation",
                        score,
                        unit,
                        span.start,
                        span.end,
                    )
                    if span.value:
                        candidate.detail = {"value": span.value}
                    if kind == "person":
                        candidate.score += 0.5  # "who" asks for a person first
                    if kind == "name" and asked_names and set(stems(unit.text)) & asked_names:
                        candidate.score += 2.0  # "Hva kalles modellen …": the unit that says what is a model
                    if kind == "number":
                        noun = span_finders.unit_after(unit.text, span)
                        after = stems(" ".join(WORD.findall(unit.text[span.end : span.end + 40])[:3]))
                        # A count that ends its line counts what the line names before it
                        # ("Møter i LSU ........ 6", "Snåsa | 2 047" under "Innbyggere").
                        if not unit.text[span.end :].strip(" .|\t"):
                            after += stems(unit.text[: span.start]) + stems(_column_of(candidate))
                        if asked_nouns and _counts(stems(noun) + after, asked_nouns):
                            candidate.score += 2.0
                        elif asked_nouns:
                            candidate.score -= 1.0
                        candidate.detail = {
                            "phrase": unit.text[span.start : span.end + len(noun) + 1].strip()
                        }
                    found.append(candidate)
        out = []
        for candidate in found:
            low = candidate.label.lower()
            if low in anchor_names or (
                len(low) > 2 and re.search(rf"(?<![\wæøå]){re.escape(low)}(?![\wæøå])", question)
            ):
                continue  # what the question names is not its answer
            candidate.score += proximity(
                candidate,
                relation,
                asked_relation,
                question_words,
                [w.lower() for w in part.relation_words if " " not in w],
            ) * _factor(candidate.unit.relevance)
            if narrower and _just_before(candidate, narrower):
                candidate.score *= 0.5  # "the deputy chair is X" answers no question about the chair
            column = _column_of(candidate)
            if column and set(stems(column)) & (relation | asked_words | asked_years):
                # The cell under "Ansvarlig", "Frist", "Leder" is what the question asks of the row.
                # As much as the row is the one asked about (its own words against the best unit's).
                candidate.score += (
                    2.0 * _factor(candidate.unit.relevance) * min(1.0, candidate.unit.score / best_unit) ** 2
                )
            following = candidate.unit.context[1]
            if negated(candidate.unit.text) or (_opens_with_anaphor(following) and negated(following)):
                candidate.score *= 0.4  # "Vestnes og Rauma ... er difor ikkje med"
            out.append(candidate)
        if asked == "person":
            # Who asks for a person; an organisation answers it only where no person stands near as well.
            people = max((c.score for c in out if c.type == "person"), default=0.0)
            out = [c for c in out if c.type == "person" or people < 0.5 * c.score]
        return out

    def text_answers(self, plan: Plan, part: Part, units: list[Unit]) -> list[Candidate]:
        """The unit that answers when no kind fits: the best scored, the shortest of near equals;
        a list item brings its list."""
        ranked = sorted((u for u in units if u.score > 0), key=lambda u: -u.score)
        if not ranked:
            return []
        best = ranked[0].score
        close = [u for u in ranked if u.score >= 0.85 * best][:6]
        chosen = min(close, key=lambda u: (len(u.text) > 300, -u.score, len(u.text)))
        if part.plural and chosen.passage.kind == "list":
            siblings = [u for u in units if u.passage.passage_id == chosen.passage.passage_id]
            return [Candidate(_clean(u.text), "text", u.score, u, 0, len(u.text)) for u in siblings]
        return [Candidate(_clean(chosen.text), "text", chosen.score, chosen, 0, len(chosen.text))]


def _running_titles(doc: Document) -> list[str]:
    """For each passage, the title line last seen before it under the same heading: a block
    ("Strategisk samarbeidsutvalg (SSU)" … "Leder 2023–2025" / a name) may run over two passages."""
    out: list[str] = []
    current, section = "", None
    for passage in doc.passages:
        if passage.section != section and passage.section:  # a passage under no heading goes on from the last
            current, section = "", passage.section
        out.append(current)
        for _, text in split_units(passage.text):
            if _is_title(text):
                current = text
    return out


def _title_names(title: str, names: set[str]) -> float:
    """More relevant as the document's title has more of the question's proper names."""
    words = {w.lower() for w in WORD.findall(title)}
    return 1.0 + TITLE_NAME * len(words & names)


def _last_unit(text: str) -> str:
    units = split_units(text)
    return units[-1][1] if units else ""


def _factor(relevance: float) -> float:
    """How much a unit's words count, by how well its document answers the question as a whole."""
    return 0.15 + 0.85 * relevance**1.5


def _opens_with_anaphor(text: str) -> bool:
    first = WORD.match(text.strip())
    return bool(first) and first.group().lower() in reading_data()["anaphors"]  # type: ignore[union-attr]


def negated(text: str) -> bool:
    words = {w.lower() for w in WORD.findall(text)}
    lowered = text.lower()
    return any((n in words) if " " not in n else (n in lowered) for n in reading_data()["negations"])


_CELL = re.compile(r"[^|\t]+")


def anchor_patterns(plan: Plan) -> list[re.Pattern[str]]:
    """The names of the entities the question is about, as patterns; a generic word the graph
    happens to hold as a name ("Kommune") is none."""
    out = []
    for anchor in plan.anchors:
        name = anchor.name.strip()
        if len(name) < 4 or name.lower() in kind_words() or anchor.type not in reading_data()["anchor_types"]:
            continue
        out.append(re.compile(rf"(?<![\wæøå]){re.escape(name)}(?![\wæøå])", re.I))
    return out[:4]


def _cells(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().strip()) for m in _CELL.finditer(text) if m.group().strip()]


def _header_row(doc: Document, at: int) -> list[str]:
    """The header row of the table a row belongs to: the nearest row above it, in the same run of
    rows, whose cells are all short words ("Navn | Rolle | Organisasjon", "Tiltak | Frist")."""
    width = len(_cells(doc.passages[at].text))
    for i in range(at - 1, max(-1, at - 60), -1):
        passage = doc.passages[i]
        if passage.kind != "table_row":
            break
        cells = [c for _, _, c in _cells(passage.text)]
        if _is_header(cells, width):
            return cells
    # The segmenter keeps a table's header row as the names of its columns, not as a passage: it is
    # the nearest such line of the document's text above the row.
    first = doc.passages[at]
    for line in reversed(doc.text[max(0, first.start - 4000) : first.start].split("\n")):
        cells = [c for _, _, c in _cells(line)]
        if _is_header(cells, width):
            return cells
    return []


def _is_header(cells: list[str], width: int) -> bool:
    return len(cells) == width and width >= 2 and all(len(c) <= 30 and not re.search(r"\d", c) for c in cells)


def _columns(text: str, header: list[str]) -> list[tuple[int, int, str]]:
    cells = _cells(text)
    if not header or len(cells) != len(header):
        return []
    return [(start, end, name) for (start, end, _), name in zip(cells, header)]


def _column_of(candidate: Candidate) -> str:
    return next((name for start, end, name in candidate.unit.columns if start <= candidate.start < end), "")


def _opens_with(text: str, label: str) -> bool:
    """The line carries the label itself ("Leder: X"): a field of its own, not a line of a list under it."""
    return text.strip().lower().startswith(label.strip().rstrip(":").lower())


def _parallel(other: str, text: str) -> bool:
    """Two items of one list ("Samhandlingskoordinator A, …" / "Samhandlingskoordinator B, …",
    "- x" / "- y", two table rows): each is about its own thing."""
    a, b = other.strip(), text.strip()
    if not a or not b:
        return False
    if a[:2] in ("- ", "• ", "* ") and b[:2] == a[:2]:
        return True
    if ("|" in a or "\t" in a) and ("|" in b or "\t" in b):
        return True
    first_a, first_b = WORD.match(a), WORD.match(b)
    return bool(
        first_a
        and first_b
        and first_a.group().lower() == first_b.group().lower()
        and len(first_a.group()) > 3
    )


def _label_of(text: str) -> str:
    """The label a line is or opens with: "Forfall:" alone, or "Forfall: Gro Sætre, …" (a label
    and its first value on one line, the rest under it)."""
    if _is_label(text):
        return text
    match = re.match(r"\s*([\wæøåÆØÅ ()/-]{2,40}):\s+\S", text)
    return match.group(1) + ":" if match and _is_item(text[match.end() - 1 :]) else ""


def _is_item(text: str) -> bool:
    """A line of a list under a label: short, and no sentence."""
    text = text.strip()
    return bool(text) and len(text) <= 100 and not re.search(r"[.!?]\s|[.!?]$", text) and not _is_label(text)


def _is_title(text: str) -> bool:
    text = text.strip()
    if "|" in text or "\t" in text:
        return False  # a table row
    if not (3 <= len(text) <= 70 and not re.search(r"[.:;,!?]$", text) and text[:1].isupper()) or _is_label(
        text
    ):
        return False
    # "Jostein Krokan, helsesjef, Kragerø kommune" lists a person; it heads nothing.
    return not any(p.start == 0 for p in span_finders.persons(text))


def _is_label(text: str) -> bool:
    """A field label: a short line that ends in a colon or names a period ("Leder 2024 - 2026")."""
    text = text.strip()
    return (
        bool(text)
        and len(text) <= 80
        and (
            text.endswith(":")
            or bool(re.fullmatch(r"[\wæøåÆØÅ ,/()-]{2,50}\s(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d", text))
        )
    )


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"^\s*[-•*]\s+", "", text)).strip()


def _weigh(terms: list[str], weights: dict[str, float]) -> float:
    return sum(weights.get(t, 0.0) for t in set(terms))


def _counts(terms: list[str], nouns: set[str]) -> bool:
    """A number counts the asked noun when a word after it is that noun or a compound ending in it
    ("25 Agderkommunene" counts kommuner)."""
    return any(t == n or (len(n) >= 4 and t.endswith(n)) for t in terms for n in nouns)


def narrower_stems(part: Part) -> set[str]:
    """Words of the narrower relations of those asked ("nestleder", "deputy" when the chair is asked)."""
    out: set[str] = set()
    for name, predicate in registry().predicates.items():
        if name not in part.predicates and set(predicate.narrows) & set(part.predicates):
            for phrase in predicate.words:
                if len(phrase.split()) == 1:
                    out.update(stems(phrase))
    return out - relation_stems(part)


def _just_before(candidate: Candidate, terms: set[str]) -> bool:
    """One of ``terms`` stands in the few words before the candidate (or is the label it stands under)."""
    before = candidate.unit.text[max(0, candidate.start - 40) : candidate.start]
    words = WORD.findall(before)[-4:]
    label = candidate.unit.label if candidate.start < 5 else ""
    return any(set(stems(w)) & terms for w in words) or bool(set(stems(label)) & terms)


def relation_stems(part: Part, *, first: bool = False) -> set[str]:
    """Stems of the words of the relations the part asks about (``first``: of the one it names first)."""
    predicates = registry().predicates
    out: set[str] = set()
    for name in part.predicates[:1] if first else part.predicates:
        for phrase in predicates[name].words:
            out.update(stems(phrase))
    return out


def asked_noun_stems(part: Part) -> set[str]:
    """The noun a count asks for: "hvor mange kommuner" -> kommun."""
    match = re.search(
        r"\b(?:hvor|kor|how)\s+(?:mange|many|much)\s+(?:av\s+dei?\s+|of\s+them\s+)?([\wæøå-]+)",
        part.text,
        re.I,
    )
    if not match:
        return set()
    noun = match.group(1).lower()
    return set(stems(noun)) | set(stems(reading_data()["english_words"].get(noun, "")))


def named_noun_stems(part: Part) -> set[str]:
    """The noun a naming question asks the name of: "hva kalles samhandlingsmodellen" -> samhandlingsmodell."""
    match = re.search(
        r"\b(?:kalles|heter|heiter|kallast|vert kalla|called|named)\s+(?:the\s+|den\s+|det\s+)?([\wæøå-]+)",
        part.text,
        re.I,
    )
    if not match:
        return set()
    return set(stems(match.group(1)))


def word_weights(plan: Plan, part: Part) -> dict[str, float]:
    weights: dict[str, float] = {}
    for word in plan.content_words:
        for term in stems(word):
            weights[term] = max(weights.get(term, 0.0), 0.5)
    for word in WORD.findall(part.text):
        for term in stems(word):
            if any(term in stems(w) for w in plan.content_words):
                weights[term] = 1.0
    for term in relation_stems(part):
        weights[term] = max(weights.get(term, 0.0), 1.5)
    return weights


def _of_something_else(text: str, at: int, candidate: Candidate, question: set[str]) -> bool:
    """A relation word followed by what it is of ("leder av SSU", "chair of the FSU"), that being a
    name the question does not use, and not the candidate itself ("ledes av Sverre Haugom")."""
    match = re.compile(r"\s+(?:av|for|i|of|in|ved)\s+(?:the\s+|det\s+|den\s+)?([A-ZÆØÅ][\wæøåÆØÅ-]*)").match(
        text, at
    )
    if not match or candidate.start <= match.start(1) < candidate.end:
        return False
    return match.group(1).lower() not in question


def _inflects(word: str, asked: list[str]) -> bool:
    """Another form of the question's own word: "ledes"/"ledet" for "leder", "leia" for "leiar"."""
    return len(word) >= 4 and any(
        len(a) >= 4 and word[: max(4, len(a) - 3)] == a[: max(4, len(a) - 3)] and abs(len(word) - len(a)) <= 3
        for a in asked
    )


def proximity(
    candidate: Candidate,
    relation: set[str],
    asked: set[str] = frozenset(),  # type: ignore[assignment]
    question: set[str] = frozenset(),
    asked_words: list[str] = (),
) -> float:  # type: ignore[assignment]
    """Closer to a relation word in its unit, higher: "Arne Skogsbakken (leder)", "Leder: X". The
    question's own word ("prosjektleder") counts more than another word of its relation ("ledet")."""
    if not relation:
        return 0.0
    text = candidate.unit.text
    best = 0.0
    for match in WORD.finditer(text):
        terms = set(stems(match.group()))
        if not terms or not terms & relation:
            continue
        if match.start() >= candidate.start and match.end() <= candidate.end:
            continue
        gap = (
            candidate.start - match.end() if match.end() <= candidate.start else match.start() - candidate.end
        )
        own = terms & asked or _inflects(match.group().lower(), asked_words)
        weight = OWN_WORD if own else (2.0 if not asked else 1.4)
        if question and _of_something_else(text, match.end(), candidate, question):
            weight *= OTHER_OBJECT  # "leder av SSU, X" answers no question about the partnerskapsmøte
        best = max(best, weight * max(0.0, 1.0 - max(gap, 0) / 80.0))
    if not best:
        prev, _nxt, heading = candidate.unit.context
        if _is_label(prev) and set(stems(prev)) & relation and candidate.start < 5:
            best = 2.0
        elif set(stems(prev)) & relation or set(stems(heading)) & relation:
            best = 0.8
    return best


def by_order(candidates: list[Candidate], ordinal: int) -> list[Candidate]:
    """ "Det første møtet", "the last meeting in 2024": of the dates the best document gives near the
    question's words, the first or the last in time."""
    if not candidates:
        return []
    best = max(candidates, key=lambda c: c.score)
    dated = [
        c
        for c in candidates
        if c.unit.doc.doc_id == best.unit.doc.doc_id and c.score >= 0.5 * best.score and c.detail.get("value")
    ]
    if len(dated) < 2:
        return candidates
    ordered = sorted(dated, key=_when)
    chosen = ordered[0] if ordinal > 0 else ordered[-1]
    chosen.score = best.score + 0.01
    return candidates


def _when(candidate: Candidate) -> str:
    """A date's value; a date without its year ("18. april") takes the nearest year its unit names,
    else its document's year."""
    value = candidate.detail["value"]
    if not value.startswith("0000"):
        return value
    years = [
        (abs(m.start() - candidate.start), m.group())
        for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", candidate.unit.text)
    ]
    year = min(years)[1] if years else str(candidate.unit.doc.year or "0000")
    return year + value[4:]


def cut(candidates: list[Candidate], part: Part) -> list[Candidate]:
    """The best answers: near the best one, one per label; a list question keeps its list."""
    if not candidates:
        return []
    merged: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        key = re.sub(r"\W+", " ", candidate.label.lower()).strip()
        if not key:
            continue
        same = next(
            (k for k in merged if key == k or (len(key) > 4 and (key in k.split() or k in key))), None
        )
        if same is None:
            merged[key] = candidate
    ranked = sorted(merged.values(), key=lambda c: -c.score)
    best = ranked[0]
    if part.plural:
        # The best answer's own unit is one list: all of its kind there belong together; other
        # units add theirs only when they score nearly as well.
        unit_of = {(c.unit.passage.passage_id, c.unit.start) for c in ranked[:1]}
        keep = [
            c
            for c in ranked
            if ((c.unit.passage.passage_id, c.unit.start) in unit_of and c.score >= 0.4 * best.score)
            or c.score >= 0.85 * best.score
        ]
        return keep[:30]
    # One answer asked for: the best, and those tied with it (two names under one heading); where
    # the best stands in a list under a label ("Forfall:" and a name a line), that list.
    keep = [c for c in ranked if c.score >= 0.99 * best.score][:3]
    if (
        best.unit.label
        and _is_label(best.unit.label)
        and set(stems(best.unit.label)) & relation_stems(part, first=True)
    ):
        keep += [
            c
            for c in ranked
            if c not in keep
            and c.unit.label == best.unit.label
            and c.type == best.type
            and c.unit is not best.unit
            and not _opens_with(c.unit.text, best.unit.label)
            and c.unit.passage.passage_id == best.unit.passage.passage_id
            and c.score >= 0.5 * best.score
        ]
    return keep


def evidence(candidate: Candidate) -> dict[str, Any]:
    unit = candidate.unit
    text = unit.passage.text
    lo = max(0, unit.start - 120)
    hi = min(len(text), unit.start + len(unit.text) + 120)
    # Whole words at both ends of the quote.
    if lo > 0:
        space = text.find(" ", lo, unit.start)
        lo = space + 1 if space >= 0 else unit.start
    if hi < len(text):
        space = text.rfind(" ", unit.start + len(unit.text), hi)
        hi = space if space >= 0 else unit.start + len(unit.text)
    shown = text[lo:hi].strip()
    if unit.heading:
        shown = unit.text + "\n" + text[:200].strip()
    return {
        "doc_id": unit.doc.doc_id,
        "title": unit.doc.title,
        "page": unit.passage.page,
        "passage_id": unit.passage.passage_id,
        "text": shown,
        "method": "reading",
        "date": unit.doc.date,
        "year": unit.doc.year,
    }
