"""Extraction: entities, mentions and relations of a Document, with evidence back to its passages.

spaCy (``spacy.blank("nb")`` with the ``hfkg_gazetteer`` component) finds what the data files list;
:mod:`ingest.extract.names` reads what no list knows; :mod:`ingest.extract.relate` ties them together.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from ingest.extract.catalogue import municipality_alternatives, municipality_entries, patient_groups, slug
from ingest.extract.names import (
    Candidate,
    action_items,
    committees,
    ends_in_kind,
    initiatives,
    key_of,
    people,
)
from ingest.extract.relate import Context, Found, is_subject, relate_unit
from ingest.extract.resolve import has_surname, preferred_label, same_person, stems
from ingest.extract.units import pieces, units
from ingest.model import Document, Entity, Mention, Relation
from ingest.resources import is_given_name, json_data
from kinds import registry

if TYPE_CHECKING:
    from spacy.tokens import Span

_NUMBERED = re.compile(r"^\s*-?\s*\d{1,2}[.)]\s")
_NAME_BEFORE = re.compile(r"([A-ZÆØÅ][\wæøåé'’-]+)[ \t]+(?:([A-ZÆØÅ][\wæøåé'’-]+)[ \t]+)?$")


@cache
def _field_labels() -> frozenset[str]:
    return frozenset(w.lower() for words in json_data("meeting.json")["fields"].values() for w in words)


def _in_person_name(text: str, start: int, end: int) -> bool:
    """A place name that is part of a person's name: after a given name, or after a given name
    and a surname ("Bjørn Atle Grimstad", "Bente Isaksen Lund", "Anne Grethe Strand Olsen")."""
    match = _NAME_BEFORE.search(text[max(0, start - 60) : start])
    if match is None:
        return False
    tokens = [t for t in match.groups() if t]
    return is_given_name(tokens[-1]) or (len(tokens) == 2 and is_given_name(tokens[0]))


class Extractor:
    def __init__(self) -> None:
        import spacy

        from ingest.extract import components  # noqa: F401 - registers the spaCy factories

        self.nlp = spacy.blank("nb")
        self.nlp.add_pipe("hfkg_gazetteer")

    def extract(self, doc: Document, known: dict[str, dict] | None = None) -> None:
        """Fill ``doc.entities``, ``doc.mentions`` and ``doc.relations``.

        ``known`` holds the committees and initiatives of documents ingested before (see
        :func:`registry_entries`), so that a working group named differently in another document
        resolves to the same entity.
        """
        run = _Run(self, doc, known or {})
        run.go()


class _Run:
    def __init__(self, extractor: Extractor, doc: Document, known: dict[str, dict]) -> None:
        self.nlp = extractor.nlp
        self.known = known
        self.doc = doc
        self.fid = doc.fellesskap or "ukjent"
        self.entities: dict[str, Entity] = {}
        self.labels: dict[str, Counter[str]] = defaultdict(Counter)
        self.mentions: list[Mention] = []
        self.relations: list[Relation] = []
        self.heading_cache: dict[str, list[Found]] = {}
        self.county_votes: Counter[str] = Counter()  # counties of the municipalities named so far

    # -- entities ---------------------------------------------------------------------------
    def entity(self, entity_id: str, type_: str, label: str, **attrs: object) -> str:
        if entity_id not in self.entities:
            self.entities[entity_id] = Entity(entity_id, type_, label, [], {})
        entity = self.entities[entity_id]
        entity.attrs.update({k: v for k, v in attrs.items() if v is not None})
        self.labels[entity_id][label] += 1
        return entity_id

    def candidate_id(self, cand: Candidate) -> str:
        if cand.type == "person":
            return self.person(cand.label)
        if cand.type == "committee":
            if cand.kind in ("fagutvalg", "samarbeidsutvalg", "arbeidsgruppe", "underutvalg", "fagråd"):
                kind, _, key = cand.key.partition(":")
                entity_id = self._resolve_group(
                    f"committee/{self.fid}/{kind}-{slug(key)}", kind, slug(key), cand.label
                )
            elif cand.kind == "interkommunalt samarbeid":
                entity_id = f"committee/{self.fid}/{slug(cand.label)}"
            else:
                entity_id = f"committee/{self.fid}/{slug(cand.kind)}"
            return self.entity(entity_id, "committee", cand.label, kind=cand.kind, fellesskap=self.fid)
        return self.entity(
            f"initiative/{self.fid}/{slug(cand.key)}",
            "initiative",
            cand.label,
            kind=cand.kind,
            fellesskap=self.fid,
        )

    def person(self, name: str) -> str:
        """One id per person across spellings: Marte W. Hansen = Marthe Wang-Hansen, Kari Martinsen =
        Kari Marthinsen (same given name, give or take a letter; same surname or its last part)."""
        entity_id = f"person/{slug(name)}"
        if entity_id not in self.entities and entity_id not in self.known:
            pool = [(e.id, e.label) for e in self.entities.values() if e.type == "person"]
            pool += [(i, info["label"]) for i, info in self.known.items() if info.get("type") == "person"]
            for other_id, other in pool:
                if same_person(name, other):
                    entity_id = other_id
                    break
        return self.entity(entity_id, "person", name)

    def _resolve_group(self, entity_id: str, kind: str, key: str, label: str) -> str:
        """Variants of one committee: 'Faglig samarbeidsutvalg for X' is 'Fagutvalg for X' where that
        exists; a working group whose name words contain (or are contained in) another's is that one."""
        pool = {
            **self.known,
            **{
                e.id: {
                    "type": e.type,
                    "kind": e.attrs.get("kind"),
                    "fellesskap": self.fid,
                    "stems": stems(e.label),
                }
                for e in self.entities.values()
            },
        }
        if kind == "samarbeidsutvalg":
            target = f"committee/{self.fid}/fagutvalg-{key}"
            if target in pool:
                return target
        if entity_id in pool or kind not in ("arbeidsgruppe", "underutvalg"):
            return entity_id
        mine = set(stems(label))
        for other_id, info in pool.items():
            if (
                info.get("kind") != kind
                or info.get("fellesskap") != self.fid
                or info.get("type") != "committee"
            ):
                continue
            theirs = set(info.get("stems", []))
            shared = mine & theirs
            if len(shared) >= 2 and (shared in (mine, theirs)):
                return other_id
        return entity_id

    # -- finding ----------------------------------------------------------------------------
    def find(self, text: str, emphasis: list[str], section: list[str], kind: str) -> list[Found]:
        found: list[Found] = []
        municipal = []
        for offset, span in self._spans(text):
            f = Found(span.kb_id_, span.label_, offset + span.start_char, offset + span.end_char)
            if span.label_ == "municipality":
                municipal.append((f, span))
                continue
            found.append(f)
            if span.label_ == "patient_group":
                self.entity(
                    span.kb_id_, "patient_group", patient_groups()[span.kb_id_.split("/")[1]]["label"]
                )
            elif span.label_ == "health_community":
                self.entity(span.kb_id_, "health_community", _community_label(span.kb_id_))
            else:
                self.entity(span.kb_id_, span.label_, _trust_label(span.kb_id_, span.text))
        found.extend(self._municipalities(text, municipal))
        cands = committees(text) + initiatives(text, emphasis, section) + people(text)
        if kind == "table_row":
            cands += self._plan_items(text)
        cands += self._known_names(text)
        taken_end = -1  # the furthest end taken so far: in start order, an overlap starts before it
        for cand in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
            if cand.start < taken_end and cand.type != "person":
                continue
            if cand.type == "initiative" and any(
                f.type == "patient_group" and f.start == cand.start and f.end >= cand.end for f in found
            ):
                continue  # «skrøpelige eldre» in quotes is a group, not a project
            entity_id = self.candidate_id(cand)
            taken_end = max(taken_end, cand.end)
            found.append(Found(entity_id, cand.type, cand.start, cand.end, cand.kind, cand.role))
        return sorted(found, key=lambda f: f.start)

    def _spans(self, text: str) -> Iterator[tuple[int, Span]]:
        """The gazetteer's spans with the offset of the piece they were found in: a text longer than
        spaCy's ``max_length`` (one table row, one paragraph without sentence ends) goes in pieces cut
        at line or word boundaries, never in one call that spaCy refuses (E088)."""
        for start, end in pieces(text, self.nlp.max_length):
            spacy_doc = self.nlp(text[start:end])  # held: its spans die with it
            for span in spacy_doc.spans["hfkg"]:
                yield start, span

    def _municipalities(self, text: str, municipal: list) -> list[Found]:
        out = []
        for index, (f, span) in enumerate(municipal):
            entry = municipality_entries().get(span.text)
            if _in_person_name(text, f.start, f.end) or (
                text[f.end : f.end + 1] == ":" and span.text.lower() in _field_labels()
            ):
                continue  # "Bente Isaksen Lund"; "Stad: Molde sjukehus" (the nynorsk field label)
            ambiguous = bool(entry and entry.attrs.get("ambiguous"))
            if ambiguous:
                after = text[f.end : f.end + 9].lower()
                before = text[max(0, f.start - 3) : f.start].lower()
                neighbours = [
                    m
                    for j, (m, _) in enumerate(municipal)
                    if (j != index and abs(m.start - f.end) <= 5)
                    or (abs(f.start - m.end) <= 5 and j != index)
                ]
                if not (after.startswith(" kommune") or before.endswith("i ") or neighbours):
                    continue
            alternatives = municipality_alternatives().get(span.text)
            if alternatives:
                # A name two municipalities share: the one in the county the document is about.
                entry = max(alternatives, key=lambda e: self.county_votes[e.attrs.get("county", "")])
                f = Found(entry.entity_id, f.type, f.start, f.end, f.kind, f.role)
            elif entry:
                self.county_votes[entry.attrs.get("county", "")] += 1
            label = entry.label if entry else span.text
            self.entity(
                f.entity_id,
                "municipality",
                label,
                number=f.entity_id.split("/")[1],
                county=entry.attrs.get("county") if entry else None,
            )
            if entry and entry.attrs.get("former"):
                former = self.entities[f.entity_id].attrs.setdefault("former_names", [])
                if entry.attrs["former"] not in former:
                    former.append(entry.attrs["former"])
            out.append(f)
        return out

    def _known_names(self, text: str) -> list[Candidate]:
        """Initiatives already named in this helsefellesskap (this document or earlier ones), wherever
        they are mentioned again without a cue: a bare 'Vitality' in a list of agenda topics."""
        out = []
        for pattern, label, key in self._name_patterns():
            for match in pattern.finditer(text):
                out.append(Candidate("initiative", "prosjekt", label, key, match.start(), match.end()))
        return out

    def _name_patterns(self) -> list[tuple[re.Pattern[str], str, str]]:
        names: dict[str, str] = {}
        for info in self.known.values():
            if info.get("type") == "initiative" and info.get("fellesskap") == self.fid:
                names.setdefault(info["label"], info["label"])
        for entity in self.entities.values():
            if entity.type == "initiative":
                names.setdefault(entity.label, entity.label)
        key = tuple(sorted(names))
        if getattr(self, "_patterns_key", None) != key:
            patterns = []
            for label in names:
                if len(label) < 4:
                    continue
                tokens = re.split(r"[\s\-–]+", label)
                body = r"[\s\-–]*".join(re.escape(t) for t in tokens if t)
                flags = 0 if label.isupper() or (label[:1].isupper() and len(tokens) == 1) else re.I
                patterns.append((re.compile(rf"(?<![\wæøå]){body}(?![\wæøå+])", flags), label, key_of(label)))
            self._patterns_key, self._patterns = key, patterns
        return self._patterns

    def _plan_items(self, text: str) -> list[Candidate]:
        """Action items of a plan table row ('Hvordan skal vi få det til?'); a continuation row
        (no first cell) is all action column."""
        out = []
        line_start = 0
        for line in text.split("\n"):
            cells = line.split(" | ")
            offset = line_start + (len(cells[0]) + 3 if len(cells) >= 2 else 0)
            for cell in cells[1:] if len(cells) >= 2 else cells:
                for start, end, name in action_items(cell):
                    out.append(
                        Candidate("initiative", "tiltak", name, key_of(name), offset + start, offset + end)
                    )
                offset += len(cell) + 3
            line_start += len(line) + 1
        return out

    def heading_found(self, heading: str) -> list[Found]:
        if heading not in self.heading_cache:
            self.heading_cache[heading] = self.find(heading, [], [], "heading")
        return self.heading_cache[heading]

    # -- the run ----------------------------------------------------------------------------
    def go(self) -> None:
        doc = self.doc
        if doc.fellesskap:
            self.entity(
                f"health_community/{doc.fellesskap}",
                "health_community",
                doc.fellesskap_name or doc.fellesskap,
            )
        memory: dict[str, str | None] = {}
        last_section: tuple[str, ...] = ()
        for index, passage in enumerate(doc.passages):
            section = tuple(passage.section)
            if section != last_section:
                memory.clear()
            last_section = section
            context = self._context(section, passage)
            found = self.find(passage.text, passage.emphasis, list(section), passage.kind)
            for f in found:
                self.mentions.append(
                    Mention(f.entity_id, passage.passage_id, passage.text[f.start : f.end], f.start, f.end)
                )
            recent = (
                " ".join(p.text[:200] for p in doc.passages[max(0, index - 3) : index])
                + " "
                + " ".join(section)
            )
            local_groups: list[str] = []
            for span in units(passage.text, passage.kind):
                unit_text = passage.text[span[0] : span[1]]
                inside = [f for f in found if span[0] <= f.start < span[1]]
                if _NUMBERED.match(unit_text):
                    local_groups = [f.entity_id for f in inside if f.type == "patient_group"]
                    if local_groups and not any(is_subject(f) for f in inside):
                        continue
                # A region's municipalities are members of it, and still of the helsefellesskap below.
                if passage.kind == "table_row":
                    self._region_row(passage, found, recent)
                else:
                    self._region_item(
                        passage, span, found, recent + " " + passage.text[max(0, span[0] - 300) : span[0]]
                    )
                if passage.kind == "table_row":
                    first = passage.text.split(" | ")[0]
                    local_groups = [
                        f.entity_id for f in inside if f.type == "patient_group" and f.end <= len(first)
                    ]
                    found_row = [f for f in found if not (f.type == "patient_group" and f.end <= len(first))]
                    self.relations += relate_unit(
                        passage.text,
                        span,
                        found_row,
                        context,
                        passage.passage_id,
                        doc.fellesskap,
                        local_groups,
                        memory,
                    )
                    continue
                self.relations += relate_unit(
                    passage.text,
                    span,
                    found,
                    context,
                    passage.passage_id,
                    doc.fellesskap,
                    local_groups,
                    memory,
                )
        self._meetings()
        self._community_links()
        self._finish()

    def _region_row(self, passage, found: list[Found], recent: str) -> bool:  # type: ignore[no-untyped-def]
        """A table of regions and their municipalities ("Valdres | Nord-Aurdal, Sør-Aurdal, … Vang") under a
        header or heading that says so (region, samarbeidsutval, regionråd …)."""
        cells = [c for c in passage.text.split(" | ") if c.strip()]
        if len(cells) != 2:
            return False
        return self._region(passage, found, recent, cells[0], 0, len(cells[0]) + 1, cells[1], "table_row")

    def _region_item(self, passage, span: tuple[int, int], found: list[Found], recent: str) -> bool:  # type: ignore[no-untyped-def]
        """The same as a list item: "- DSU Follo: Enebakk, Frogn, Nesodden, Nordre Follo og Ås"."""
        text = passage.text[span[0] : span[1]]
        match = re.match(r"^\s*(?:-\s+)?([A-ZÆØÅ][^:\n]{1,40}):\s+(\S.*)$", text, re.S)
        if match is None:
            return False
        start = span[0] + match.start(1)
        return self._region(
            passage,
            [f for f in found if span[0] <= f.start < span[1]],
            recent,
            match.group(1),
            start,
            span[0] + match.start(2),
            match.group(2),
            "list",
        )

    def _region(
        self,
        passage,
        found: list[Found],
        recent: str,
        name: str,
        start: int,  # type: ignore[no-untyped-def]
        rest_start: int,
        rest: str,
        method: str,
    ) -> bool:
        """Each region a named collaboration, its municipalities members of it."""
        from ingest.extract.names import vocab

        name = " ".join(name.split())
        words = name.split()
        v = vocab()
        if not (
            1 <= len(words) <= 3
            and name[:1].isupper()
            and not re.search(r"[\d:]", name)
            and name.lower() not in v["region_table_not_names"]
        ):
            return False
        in_name = [f for f in found if start <= f.start < rest_start]
        members = [f for f in found if f.type == "municipality" and f.start >= rest_start]
        if in_name or len(members) < 2 or not re.search("|".join(v["region_table_cues"]), recent, re.I):
            return False
        listed = len(re.findall(r"[^,;]+", re.sub(r"\s+og\s+", ", ", rest.rstrip(". "))))
        if len(members) < 0.7 * listed:
            return False  # prose, not a list of the region's municipalities
        region = self.candidate_id(
            Candidate("committee", "interkommunalt samarbeid", name, key_of(name), 0, len(name))
        )
        self.mentions.append(Mention(region, passage.passage_id, name, start, start + len(name)))
        for municipality in dict.fromkeys(f.entity_id for f in members):
            self.relations.append(Relation(municipality, "memberOf", region, passage.passage_id, method))
        return True

    def _context(self, section: tuple[str, ...], passage) -> Context:  # type: ignore[no-untyped-def]
        context = Context()
        for heading in reversed(section):
            found = self.heading_found(heading)
            if context.subject is None:
                subject = next((f for f in found if is_subject(f)), None)
                title = _case_title_name(heading)
                listed = _activity_heading_name(section, heading)
                if subject is None and listed:
                    cand = Candidate("initiative", "prosjekt", listed, key_of(listed), 0, len(listed))
                    context.subject = self.candidate_id(cand)
                elif subject is None and (title or (not found and _short_title(heading))):
                    name = title or heading
                    key = key_of(name)
                    match = next(
                        (
                            e
                            for e in self.entities.values()
                            if e.type == "initiative" and key_of(e.label) == key
                        ),
                        None,
                    )
                    cue = r"prosjekt" if not title else _INITIATIVE_CUE
                    if match is None and re.search(cue, passage.text[:400], re.I):
                        cand = Candidate("initiative", "prosjekt", name, key, 0, len(name))
                        match = self.entities[self.candidate_id(cand)]
                    if match is not None:
                        context.subject = match.id
                elif subject is not None:
                    context.subject = subject.entity_id
                    if subject.type == "committee" and subject.kind == "interkommunalt samarbeid":
                        context.committee = subject.entity_id
            if not context.groups:
                context.groups = [f.entity_id for f in found if f.type == "patient_group"]
        return context

    def _meetings(self) -> None:
        doc = self.doc
        about_types = set(registry().predicates["about"].range)  # what an agenda item is about
        for meeting in doc.meetings:
            committee_id = None
            if meeting.body:
                cands = committees(meeting.body)
                cand = (
                    cands[0]
                    if cands
                    else Candidate("committee", meeting.body, meeting.body, key_of(meeting.body), 0, 0)
                )
                committee_id = self.candidate_id(cand)
            evidence = next((p.passage_id for p in doc.passages if p.kind == "meeting"), None) or (
                doc.passages[0].passage_id if doc.passages else None
            )
            meeting_id = None
            if meeting.date:
                shown = date.fromisoformat(meeting.date).strftime("%d.%m.%Y")
                meeting_id = self.entity(
                    f"meeting/{self.fid}/{slug(meeting.body or 'mote')}/{meeting.date}",
                    "meeting",
                    f"{meeting.body or 'Møte'} {shown}",
                    date=meeting.date,
                    place=meeting.place,
                    time=meeting.time,
                    fellesskap=self.fid,
                )
                if committee_id:
                    self.relations.append(Relation(meeting_id, "meetingOf", committee_id, evidence, "header"))
                for role, name in (("chairs", meeting.chair), ("takesMinutes", meeting.minute_taker)):
                    if name:
                        person = self.person(name)
                        self.relations.append(Relation(person, role, meeting_id, evidence, "header"))
                for predicate, names in (("attended", meeting.present), ("absentFrom", meeting.absent)):
                    for name in names:
                        person = self.person(name)
                        self.relations.append(Relation(person, predicate, meeting_id, evidence, "header"))
            for index, item in enumerate(meeting.agenda_items):
                number = item.number or f"u{index + 1}"
                label = " ".join(x for x in ("Sak", item.number, item.title) if x)
                decision = self.entity(
                    f"decision/{doc.doc_id}/{slug(number)}",
                    "decision",
                    label,
                    number=item.number,
                    title=item.title,
                    conclusion=item.conclusion,
                    kind=item.kind,
                    date=meeting.date,
                    body=meeting.body,
                    doc_id=doc.doc_id,
                    passage_id=item.passage_id,
                )
                if meeting_id:
                    self.relations.append(
                        Relation(decision, "agendaItemOf", meeting_id, item.passage_id, "agenda")
                    )
                elif committee_id:
                    self.relations.append(
                        Relation(decision, "decidedBy", committee_id, item.passage_id, "agenda")
                    )
                if item.responsible:
                    for name in re.split(r",\s*", item.responsible):
                        if len(name.split()) >= 2 and has_surname(name):
                            person = self.person(name)
                            self.relations.append(
                                Relation(person, "responsibleFor", decision, item.passage_id, "agenda")
                            )
                passage_mentions = {m.entity_id for m in self.mentions if m.passage_id == item.passage_id}
                for entity_id in passage_mentions:
                    if self.entities[entity_id].type in about_types:
                        self.relations.append(
                            Relation(decision, "about", entity_id, item.passage_id, "agenda")
                        )

    def _community_links(self) -> None:
        if not self.doc.fellesskap:
            return
        community = f"health_community/{self.doc.fellesskap}"
        first_mention: dict[str, str] = {}
        for mention in self.mentions:
            first_mention.setdefault(mention.entity_id, mention.passage_id)
        for entity in self.entities.values():
            if entity.type in ("committee", "initiative") and entity.id in first_mention:
                predicate = "partOf" if entity.type == "committee" else "initiativeOf"
                self.relations.append(
                    Relation(entity.id, predicate, community, first_mention[entity.id], "mention")
                )

    def _finish(self) -> None:
        # Relations may name entities the text did not (the municipalities of "alle kommunene i
        # Agder"): give them their entity from the reference data.
        from ingest.extract.catalogue import municipalities

        for relation in self.relations:
            for end in (relation.subject, relation.object):
                if end in self.entities:
                    continue
                kind, _, rest = end.partition("/")
                if kind == "municipality" and rest in municipalities():
                    info = municipalities()[rest]
                    self.entity(end, "municipality", info["label"], number=rest, county=info["county"])
                elif kind == "health_community":
                    self.entity(end, "health_community", _community_label(end))
        for entity_id, counts in self.labels.items():
            entity = self.entities[entity_id]
            entity.label = preferred_label(entity.type, counts)
            entity.aliases = sorted(set(counts) - {entity.label})
        seen: set[tuple] = set()
        relations = []
        for relation in self.relations:
            key = (relation.subject, relation.predicate, relation.object, relation.passage_id)
            if key in seen or relation.subject == relation.object:
                continue
            seen.add(key)
            relations.append(relation)
        self.doc.entities = list(self.entities.values())
        self.doc.mentions = self.mentions
        self.doc.relations = relations


_CASE_PREFIX = re.compile(r"^(?:(?:Sak|SAK|PS|OS|DS|RS|Saksnr\.?)\s*)?\d{1,4}\s?[./-]\s?\d{1,4}\s+")
_INITIATIVE_CUE = r"prosjekt|tiltak|pilot|etabler|ordning|tilbud|tilbod|modell|oppstart|utprøving|utprøvast"


def _case_title_name(heading: str) -> str | None:
    """A case whose title is a proper name ("PS 5/2024 Barnekoordinator Midt-Troms", "Sak 3/24 TeleNord –
    digital heimeoppfølging"): the name, when its body then speaks of a project or a pilot."""
    if not _CASE_PREFIX.match(heading):
        return None
    from ingest.extract.names import vocab

    title = re.split(r"\s+[–-]\s+|:\s", _CASE_PREFIX.sub("", heading), maxsplit=1)[0].strip(" .")
    quoted = re.fullmatch(r"«([^«»]{2,60})»", title)
    if quoted:
        return quoted.group(1)  # "Sak 11/24 «Trygt heim» – samhandlingsteam for …": the quoted name
    for lead in sorted(vocab()["case_title_lead_words"], key=len, reverse=True):
        if title.lower().startswith(lead + " "):
            title = title[len(lead) + 1 :].strip()  # "Prosjektplan FIT-BU": the name is FIT-BU
            break
    words = title.split()
    if not 1 <= len(words) <= 4 or not _short_title(title):
        return None
    proper = any(w[:1].isupper() for w in words[1:]) or (
        len(words) == 1 and re.search(r".[A-ZÆØÅ]", words[0])
    )
    kind = len(words) >= 2 and ends_in_kind(words[-1])
    return title if (proper or kind) and title[:1].isupper() else None


_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+(?P<name>\S.*)$")


def _activity_heading_name(section: tuple[str, ...], heading: str) -> str | None:
    """A numbered sub-heading under a heading about measures ("3 Tiltak …" > "3.2 ROP-team Øvre
    Romerike"): the sub-heading names one of them."""
    from ingest.extract.names import vocab

    match = _NUMBERED_HEADING.match(heading)
    if match is None or heading not in section:
        return None
    outer = section[: section.index(heading)]
    activity = [a.lower() for a in vocab()["activity_headings"]]
    if not any(any(a in h.lower() for a in activity) for h in outer):
        return None
    name = re.split(r"\s+[–-]\s+|:\s", match.group("name"), maxsplit=1)[0].strip(" .")
    if not 1 <= len(name.split()) <= 8 or not name[:1].isupper():
        return None
    lowered = name.lower()
    if any(lowered.startswith(w) for w in vocab()["section_words"]):
        return None
    return name


def _short_title(heading: str) -> bool:
    """A heading that may name an initiative: short, not numbered, not a common section title."""
    from ingest.extract.names import vocab

    words = heading.split()
    lowered = heading.lower()
    if any(lowered.startswith(w) for w in vocab()["section_words"]) or any(
        lowered == w or lowered.startswith(w + " ") for w in _field_labels()
    ):
        return False  # "Saksliste", "Til stades og forfall": parts of a paper, not names
    return 1 <= len(words) <= 4 and not re.match(r"^\d", heading) and not heading.endswith((":", "?"))


def _community_label(entity_id: str) -> str:
    from ingest.resources import fellesskap_list

    return next((f.name for f in fellesskap_list() if f.id == entity_id.split("/", 1)[1]), entity_id)


def _trust_label(entity_id: str, text: str) -> str:
    from ingest.resources import trust_short_forms

    return next((full for full in trust_short_forms() if slug(full) == entity_id.split("/", 1)[1]), text)
