"""What the graph makes of a question: a :class:`Reading` of it (the patient groups, helsefellesskap,
committees, date and entities it names, its topic) and the intent its cues make (answers/data/
questions.json), and the graph's answers to each intent (:class:`Asker`: members, pilots, leaders,
chairs and minute-takers of meetings, committees, decisions, timelines), each with its evidence
(document, page, passage)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from graph.queries import Answer, GraphQueries
from ingest import ids
from ingest.extract.catalogue import patient_groups
from ingest.resources import bodies, fellesskap_list
from ingest.segment.dates import find_dates
from search import SearchIndex


@cache
def _config() -> dict[str, Any]:
    return json.loads(
        resources.files("answers").joinpath("data", "questions.json").read_text(encoding="utf-8")
    )


@dataclass
class Reading:
    intent: str | None = None
    groups: list[str] = field(default_factory=list)
    community: str | None = None
    community_named: bool = (
        False  # by its own name ("Helsefellesskapet Sunnmøre"), not a place in it ("Sunnmøre")
    )
    entities: list[tuple[str, str, str]] = field(default_factory=list)  # (iri, type, matched name)
    bodies: list[str] = field(default_factory=list)
    date: str | None = None
    topic: str = ""

    def describe(self, queries: GraphQueries) -> str:
        parts = [f"intent={self.intent or 'search'}"]
        if self.groups:
            parts.append("patient_group=" + ", ".join(queries.label(g) for g in self.groups))
        if self.entities:
            parts.append("entity=" + ", ".join(f"{queries.label(e)} ({t})" for e, t, _ in self.entities[:3]))
        if self.community:
            parts.append(f"helsefellesskap={queries.label(self.community)}")
        if self.bodies:
            parts.append("committee=" + ", ".join(self.bodies))
        if self.date:
            parts.append(f"date={self.date}")
        if self.topic and self.intent in ("decisions", None):
            parts.append(f"topic={self.topic!r}")
        return "; ".join(parts)


class Asker:
    def __init__(self, queries: GraphQueries, search: SearchIndex | None) -> None:
        self.queries = queries
        self.search = search
        self._names: list[tuple[re.Pattern[str], str, str, str]] | None = None

    def intent_predicates(self, intent: str) -> list[str]:
        """The relations an intent answers (answers/data/questions.json)."""
        # An intent read off a named thing alone (an entity, a helsefellesskap) is checked against the
        # relation asked; one read off a patient group or a meeting has that as its relation already.
        for item in _config()["intents"]:
            if item["name"] == intent and item.get("needs") in ("entity", "community"):
                return list(item.get("predicates", []))
        return []

    def stop_words(self) -> set[str]:
        return set(_config()["question_words"])

    # -- reading ----------------------------------------------------------------------------
    def names(self) -> list[tuple[re.Pattern[str], str, str, str]]:
        if self._names is None:
            compiled = []
            for iri, type_, name in self.queries.name_index():
                if type_ in ("decision", "meeting", "document") or len(name) < 3:
                    continue
                tokens = re.split(r"[\s\-–]+", name.strip())
                body = r"[\s\-–]*".join(re.escape(t) for t in tokens if t)
                if not body:
                    continue
                flags = 0 if name.isupper() and len(name) <= 5 else re.I
                pattern = re.compile(rf"(?<![\wæøå]){body}(?![\wæøå])", flags)
                compiled.append((pattern, iri, type_, name))
            compiled.sort(key=lambda c: -len(c[3]))
            self._names = compiled
        return self._names

    def read(self, question: str) -> Reading:
        """What the graph knows of the question: its patient groups, helsefellesskap, committees,
        date, the entities it names, its topic, and the intent its cues and these make."""
        reading = Reading()
        reading.groups = self._groups(question)
        self._read_community(question, reading)
        reading.bodies = [body.short for body in bodies() if body.pattern.search(question)]
        dates = find_dates(question)
        if dates:
            reading.date = dates[0][1].isoformat()
        reading.entities = self._entities(question)
        stop = self.stop_words()
        words = [w for w in re.findall(r"[\wæøå.]+", question.lower()) if w not in stop and len(w) > 1]
        reading.topic = " ".join(words)
        reading.intent = self._intent(question, reading)
        return reading

    def _groups(self, question: str) -> list[str]:
        return [
            self.queries.iri(ids.patient_group(key))
            for key, group in patient_groups().items()
            if any(
                re.search(rf"(?<![\wæøå]){p}(?![\wæøå])", question, 0 if p.isupper() else re.I)
                for p in group["patterns"]
            )
        ]

    def _read_community(self, question: str, reading: Reading) -> None:
        """The helsefellesskap the question names, by its name or a place of it."""
        stop = self.stop_words()
        for community in fellesskap_list():
            strong = community.strong.search(question)
            weak = community.weak.search(question)
            if weak and not strong:
                # A place that starts a longer name ("Salten helseteam") is not the helsefellesskap.
                following = re.match(r"\s+([a-zæøå][\wæøå-]*)", question[weak.end() :])
                if following and following.group(1) not in stop:
                    weak = None
            if strong or weak:
                reading.community = self.queries.iri(ids.health_community(community.id))
                reading.community_named = bool(strong)
                return

    def _entities(self, question: str) -> list[tuple[str, str, str]]:
        """The graph's entities the question names, the longest name first where two overlap."""
        out: list[tuple[str, str, str]] = []
        taken: list[tuple[int, int]] = []
        for pattern, iri, type_, name in self.names():
            for match in pattern.finditer(question):
                if any(match.start() < e and match.end() > s for s, e in taken):
                    continue
                taken.append((match.start(), match.end()))
                if type_ != "patient_group" and all(iri != e[0] for e in out):
                    out.append((iri, type_, name))
        return out

    def _intent(self, question: str, reading: Reading) -> str | None:
        """The first intent whose cue the question has and whose needs the reading meets."""
        for intent in _config()["intents"]:
            if any(re.search(cue, question, re.I) for cue in intent["cues"]) and self._needs_met(
                intent["needs"], reading
            ):
                return str(intent["name"])
        return None

    def _needs_met(self, need: str, reading: Reading) -> bool:
        return {
            "meeting": bool(reading.bodies or any(t == "committee" for _, t, _ in reading.entities)),
            "entity": bool(reading.entities or reading.community),
            "community": bool(reading.community),
            "group": bool(reading.groups),
            "topic": bool(reading.topic),
        }[need]

    # -- answering --------------------------------------------------------------------------
    def answers(self, reading: Reading) -> list[Answer]:
        """The graph's answers to the reading's intent (one method an intent, named after it)."""
        if not reading.intent:
            return []
        answers: list[Answer] = getattr(self, f"_{reading.intent}")(reading)
        return answers

    def _initiatives_for_group(self, reading: Reading) -> list[Answer]:
        kinds = set(_config()["initiative_answer_kinds"])
        out: list[Answer] = []
        for group in reading.groups:
            found = self.queries.related(
                "addresses", obj=group, subject_types={"initiative", "committee"}, kinds=kinds
            )
            out += [a for a in found if a.type == "initiative" or self._kind(a.id) in kinds]
        return self._in_community(_dedupe(out), reading)

    def _kind(self, entity_id: str) -> str | None:
        return self.queries.kinds().get(self.queries.iri(entity_id))

    def _target(self, reading: Reading, types: tuple[str, ...]) -> str | None:
        """The entity asked about, the most specific first: "DSU Follo in Helsefellesskapet Ahus" is
        about DSU Follo."""
        for wanted in types:
            for iri, type_, _ in reading.entities:
                if type_ == wanted:
                    return iri
        # A place in a helsefellesskap ("Søre Sunnmøre") is no question about all of it.
        return reading.community if "health_community" in types and reading.community_named else None

    def _members(self, reading: Reading) -> list[Answer]:
        target = self._target(reading, ("initiative", "committee", "health_community"))
        if target is None:
            return []
        kind = self.queries.types().get(target)
        if kind == "initiative":
            return self.queries.related("involves", subject=target, object_types={"municipality"}, limit=400)
        # All of them: Innlandet's helsefellesskap alone has 46 municipalities.
        return self.queries.related("memberOf", obj=target, subject_types={"municipality"}, limit=400)

    def _pilot(self, reading: Reading) -> list[Answer]:
        target = self._target(reading, ("initiative", "committee"))
        if target is None:
            return []
        return self.queries.related("pilotedIn", subject=target)

    def _leader(self, reading: Reading) -> list[Answer]:
        target = self._target(reading, ("initiative", "committee"))
        if target is None:
            return self._chair(reading)
        return self.queries.related("leads", obj=target)

    def _meetings(self, reading: Reading) -> list[str]:
        committees = [iri for iri, type_, _ in reading.entities if type_ == "committee"]
        if reading.bodies:
            communities = (
                [reading.community]
                if reading.community
                else [self.queries.iri(ids.health_community(f.id)) for f in fellesskap_list()]
            )
            for community in communities:
                fid = ids.local_part(self.queries.eid(community))
                committees += [self.queries.iri(ids.committee(fid, body)) for body in reading.bodies]
        if not committees:
            return []
        meetings = self.queries.meetings(committees, reading.date)
        return [m["iri"] for m in meetings[: (1 if not reading.date else 5)]]

    def _chair(self, reading: Reading) -> list[Answer]:
        return self._meeting_role(reading, "chairs")

    def _minute_taker(self, reading: Reading) -> list[Answer]:
        return self._meeting_role(reading, "takesMinutes")

    def _absent(self, reading: Reading) -> list[Answer]:
        return self._meeting_role(reading, "absentFrom")

    def _present(self, reading: Reading) -> list[Answer]:
        return self._meeting_role(reading, "attended")

    def _meeting_role(self, reading: Reading, predicate: str) -> list[Answer]:
        out: list[Answer] = []
        for meeting in self._meetings(reading):
            for answer in self.queries.related(predicate, obj=meeting):
                answer.detail = {
                    "meeting": self.queries.label(meeting),
                    "meeting_id": self.queries.eid(meeting),
                }
                out.append(answer)
        return out

    def _committees(self, reading: Reading) -> list[Answer]:
        if reading.community is None:
            return []
        wanted = None
        lowered = reading.topic.lower()
        for word, kind in _config()["committee_kinds"].items():
            if word in lowered:
                wanted = kind
                break
        answers = self.queries.related("partOf", obj=reading.community, subject_types={"committee"})
        if wanted:
            answers = [a for a in answers if self._kind(a.id) == wanted]
        return answers

    def _decisions(self, reading: Reading) -> list[Answer]:
        if self.search is None:
            return []
        result = self.search.search(reading.topic, kind="decision", limit=10)
        hits = result["hits"]
        # Decisions on every word of the topic, when there are any; otherwise the best few of
        # those on some of it.
        complete = [h for h in hits if h.get("match") == "all"]
        hits = complete if complete else hits[:3]
        best = max((h.get("score") or 0.0 for h in hits), default=0.0)
        hits = [h for h in hits if (h.get("score") or 0.0) >= DECISION_CUT * best]
        out = []
        for hit in hits:
            number = hit.get("number")
            entity = hit.get("decision_id") or (
                ids.decision(hit["doc_id"], number) if number else hit["doc_id"]
            )
            label = " ".join(x for x in ("Sak", number, hit.get("title")) if x)
            if hit.get("conclusion"):
                # What was decided is the answer: the case, and what it concluded.
                label += ": " + _shorten(" ".join(hit["conclusion"].split()), DECISION_LABEL_CHARS)
            text = hit.get("conclusion") or hit.get("snippet") or ""
            out.append(
                Answer(
                    entity,
                    label,
                    "decision",
                    [
                        {
                            "doc_id": hit["doc_id"],
                            "title": hit.get("document_title") or hit.get("title"),
                            "page": hit.get("page"),
                            "text": re.sub(r"</?mark>", "", text),
                            "passage_id": hit.get("passage_id"),
                            "method": "search",
                        }
                    ],
                    {"conclusion": hit.get("conclusion"), "body": hit.get("body"), "date": hit.get("date")},
                )
            )
        return out

    def _timeline(self, reading: Reading) -> list[Answer]:
        target = self._target(
            reading, ("initiative", "committee", "municipality", "person", "health_community")
        )
        if target is None:
            return []
        entries = self.queries.timeline(self.queries.eid(target))
        evidence = []
        for entry in entries:
            for passage in entry["passages"][:1]:
                evidence.append(
                    {
                        "doc_id": entry["doc_id"],
                        "title": entry["title"],
                        "page": passage["page"],
                        "text": passage["text"],
                        "passage_id": passage["passage_id"],
                        "date": entry["date"],
                        "year": entry["year"],
                        "method": "mention",
                    }
                )
        answer = Answer(
            self.queries.eid(target),
            self.queries.label(target),
            self.queries.types().get(target, "entity"),
            evidence[:20],
        )
        return [answer]

    def _in_community(self, answers: list[Answer], reading: Reading) -> list[Answer]:
        if reading.community is None:
            return answers
        fid = ids.local_part(self.queries.eid(reading.community))
        communities = self.queries.document_communities()
        # Named under the helsefellesskap, or told of in one of its documents.
        scoped = [
            a
            for a in answers
            if f"/{fid}/" in f"/{a.id}/"
            or any(communities.get(e.get("doc_id", "")) == ids.health_community(fid) for e in a.evidence)
        ]
        if scoped:
            return scoped
        # None there: those only documents of no known helsefellesskap tell of may be; answers
        # from other helsefellesskap are not (the search hits stand in).
        return [a for a in answers if not any(communities.get(e.get("doc_id", "")) for e in a.evidence)]


DECISION_CUT = 0.6  # of the best decision's score
DECISION_LABEL_CHARS = 240


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def _dedupe(answers: list[Answer]) -> list[Answer]:
    seen: dict[str, Answer] = {}
    for answer in answers:
        if answer.id in seen:
            seen[answer.id].evidence.extend(e for e in answer.evidence if e not in seen[answer.id].evidence)
        else:
            seen[answer.id] = answer
    return list(seen.values())
