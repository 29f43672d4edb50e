"""Questions the graph answers, as SPARQL over the union of the document graphs.

Every relation comes back with its evidence: the passages (document, page, text) it was read from,
preferring documents that are not near-duplicates of another.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph.base import GraphStoreLike
from graph.vocab import HFKG, TYPE_OF_CLASS
from ingest.errors import NotFound

EVIDENCE_LIMIT = 3
FULL_EVIDENCE_ANSWERS = 25


@dataclass
class Answer:
    id: str
    label: str
    type: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "label": self.label, "type": self.type, "evidence": self.evidence}
        if self.detail:
            out["detail"] = self.detail
        return out


def _values(name: str, items: list[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(f'<{i}>' for i in items)} }}"


class GraphQueries:
    def __init__(self, store: GraphStoreLike) -> None:
        self.store = store
        self.iris = store.iris
        self._labels: dict[str, str] | None = None

    def iri(self, entity_id: str) -> str:
        return str(self.iris.entity(entity_id))

    def eid(self, iri: str) -> str:
        return self.iris.entity_id(iri)

    # -- labels -----------------------------------------------------------------------------
    def labels(self) -> dict[str, str]:
        """Preferred label of every entity: the one most documents use ('for' forms for committees)."""
        if self._labels is None:
            rows = self.store.select("""
                SELECT ?e ?l ?type ?p (COUNT(DISTINCT ?g) AS ?n) WHERE {
                  VALUES ?p { skos:prefLabel skos:altLabel }
                  GRAPH ?g { ?e ?p ?l ; a ?type } }
                GROUP BY ?e ?l ?type ?p""")
            counts: dict[str, Counter[str]] = defaultdict(Counter)
            types: dict[str, str] = {}
            for row in rows:
                # A document's own preferred label counts three times an alias it also uses.
                counts[row["e"]][row["l"]] += int(row["n"]) * (3 if row["p"].endswith("prefLabel") else 1)
                types[row["e"]] = TYPE_OF_CLASS.get(row["type"], "entity")
            self._labels = {}
            for iri, labels in counts.items():
                ranked = sorted(
                    labels,
                    key=lambda label: (
                        types[iri] == "committee" and " for " in label,
                        not re.search(r"\b\w\.", label),
                        labels[label],
                        label[:1].isupper(),
                        len(label),
                    ),
                    reverse=True,
                )
                self._labels[iri] = ranked[0]
            self._types = types
        return self._labels

    def types(self) -> dict[str, str]:
        self.labels()
        return self._types

    def label(self, iri: str) -> str:
        return self.labels().get(iri, self.eid(iri))

    # -- evidence ---------------------------------------------------------------------------
    def _pairs(
        self, predicate: str, subject: str | None, obj: str | None
    ) -> dict[tuple[str, str], list[str]]:
        """(subject, object) -> the document graphs that hold the relation (a direct pattern: fast)."""
        s_term = f"<{subject}>" if subject else "?s"
        o_term = f"<{obj}>" if obj else "?o"
        binds = (f"BIND({s_term} AS ?s)" if subject else "") + (f" BIND({o_term} AS ?o)" if obj else "")
        rows = self.store.select(f"""
            SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ {s_term} <{HFKG[predicate]}> {o_term} }} {binds} }}""")
        pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in rows:
            pairs[(row["s"], row["o"])].append(row["g"])
        return pairs

    def _evidence(
        self, predicate: str, chosen: dict[tuple[str, str], list[str]]
    ) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Passages for a few documents per pair, through assertion IRIs computed from (document,
        subject, predicate, object) - see graph.build - so no search over assertions is needed."""
        wanted = [
            str(self.iris.assertion(self.iris.doc_id(g), self.eid(s), predicate, self.eid(o)))
            for (s, o), graphs in chosen.items()
            for g in graphs
        ]
        rows: list[dict[str, Any]] = []
        for start in range(0, len(wanted), 400):
            rows += self.store.select(f"""
                SELECT ?s ?o ?passage ?page ?text ?doc ?docid ?title ?method ?year WHERE {{
                  {_values("a", wanted[start : start + 400])}
                  ?a hfkg:subject ?s ; hfkg:object ?o ; hfkg:method ?method ; prov:wasDerivedFrom ?passage .
                  ?passage hfkg:page ?page ; hfkg:text ?text ; dcterms:isPartOf ?doc .
                  ?doc dcterms:title ?title ; dcterms:identifier ?docid .
                  OPTIONAL {{ ?a hfkg:year ?year }}
                }}""")
        docs = self._doc_info(sorted({row["doc"] for row in rows}))
        for row in rows:
            row["dup"], row["date"] = docs.get(row["doc"], (None, None))
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in sorted(
            rows, key=lambda r: (r["dup"] is not None, str(r["date"] or ""), str(r["passage"]))
        ):
            key = (row["s"], row["o"])
            passage_id = self.iris.entity_id(str(row["passage"])).split("/", 1)[-1]
            if len(grouped[key]) < EVIDENCE_LIMIT and all(
                e["passage_id"] != passage_id for e in grouped[key]
            ):
                grouped[key].append(_evidence_row(row, self.iris))
        return grouped

    def _doc_info(self, docs: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """Document -> (the document it duplicates, its date), for ordering evidence."""
        if not docs:
            return {}
        rows = self.store.select(f"""
            SELECT ?doc ?dup ?date WHERE {{ {_values("doc", docs)}
              OPTIONAL {{ ?doc hfkg:duplicateOf ?dup }} OPTIONAL {{ ?doc dcterms:date ?date }} }}""")
        return {row["doc"]: (row["dup"], row["date"]) for row in rows}

    # -- answers ----------------------------------------------------------------------------
    def related(
        self,
        predicate: str,
        *,
        subject: str | None = None,
        obj: str | None = None,
        subject_types: set[str] | None = None,
        object_types: set[str] | None = None,
        kinds: set[str] | None = None,
        limit: int = 50,
    ) -> list[Answer]:
        """The other end of ``predicate`` relations from/to an entity, each with its evidence; the
        ones most documents support first."""
        types = self.types()
        kind_of = self.kinds() if kinds else {}
        pairs = {}
        for (s, o), graphs in self._pairs(predicate, subject, obj).items():
            other = o if subject else s
            if subject_types and types.get(s) not in subject_types:
                continue
            if object_types and types.get(o) not in object_types:
                continue
            if kinds and kind_of.get(other) not in kinds and types.get(other) != "initiative":
                continue
            pairs[(s, o)] = graphs
        ranked = sorted(pairs, key=lambda k: (-len(pairs[k]), self.label(k[1] if subject else k[0]).lower()))[
            :limit
        ]
        # Full evidence for the answers shown first, one passage each for the rest: reading
        # passages is what costs (bench/graph.py), and every answer keeps its evidence.
        chosen = {
            k: pairs[k][: EVIDENCE_LIMIT if i < FULL_EVIDENCE_ANSWERS else 1] for i, k in enumerate(ranked)
        }
        evidence = self._evidence(predicate, chosen)
        answers = []
        for s, o in ranked:
            other = o if subject else s
            answers.append(
                Answer(
                    self.eid(other),
                    self.label(other),
                    types.get(other, "entity"),
                    evidence.get((s, o), []),
                    {"documents": len(pairs[(s, o)])},
                )
            )
        return answers

    def kinds(self) -> dict[str, str]:
        if getattr(self, "_kinds", None) is None:
            rows = self.store.select("SELECT DISTINCT ?e ?k WHERE { ?e hfkg:kind ?k }")
            self._kinds = {row["e"]: row["k"] for row in rows}
        return self._kinds

    def document_communities(self) -> dict[str, str]:
        """Each document's helsefellesskap, as the entity id ("health_community/vestfold")."""
        if getattr(self, "_doc_communities", None) is None:
            rows = self.store.select("SELECT ?id ?c WHERE { ?d hfkg:fellesskap ?c ; dcterms:identifier ?id }")
            self._doc_communities = {row["id"]: self.eid(row["c"]) for row in rows}
        return self._doc_communities

    def entities(
        self, type_: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        labels, types = self.labels(), self.types()
        mentions = {
            row["e"]: int(row["n"])
            for row in self.store.select(
                "SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p hfkg:mentions ?e } GROUP BY ?e"
            )
        }
        items = []
        needle = (q or "").lower()
        for iri, label in labels.items():
            kind = types.get(iri)
            if type_ and kind != type_:
                continue
            if needle and needle not in label.lower() and needle not in self.eid(iri).lower():
                continue
            items.append(
                {"id": self.eid(iri), "label": label, "type": kind, "mentions": mentions.get(iri, 0)}
            )
        items.sort(key=lambda i: (-i["mentions"], i["label"].lower()))
        return len(items), items[offset : offset + limit]

    def entity(self, entity_id: str) -> dict[str, Any]:
        iri = self.iri(entity_id)
        if iri not in self.labels():
            raise NotFound(f"no entity with id {entity_id!r}")
        rows = self.store.select(f"SELECT DISTINCT ?p ?v WHERE {{ <{iri}> ?p ?v }}")
        attrs: dict[str, Any] = {}
        aliases = set()
        for row in rows:
            prop = row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            if prop in ("prefLabel", "altLabel"):
                aliases.add(row["v"])
            elif prop not in ("type", "entityId") and not str(row["v"]).startswith(self.iris.base):
                attrs.setdefault(prop, row["v"])
            elif prop == "fellesskap":
                attrs["fellesskap"] = self.eid(str(row["v"]))
        label = self.label(iri)
        relations = []
        for direction, this, other_end in (
            ("out", "hfkg:subject", "hfkg:object"),
            ("in", "hfkg:object", "hfkg:subject"),
        ):
            for row in self.store.select(f"""
                SELECT ?p ?o (COUNT(?a) AS ?n) WHERE {{
                  ?a {this} <{iri}> ; hfkg:predicate ?p ; {other_end} ?o .
                }} GROUP BY ?p ?o"""):
                other = row["o"]
                relations.append(
                    {
                        "direction": direction,
                        "predicate": row["p"].rsplit("#", 1)[-1],
                        "id": self.eid(other),
                        "label": self.label(other),
                        "type": self.types().get(other, "entity"),
                        "evidence_count": int(row["n"]),
                    }
                )
        relations.sort(key=lambda r: (r["predicate"], r["label"].lower()))
        return {
            "id": entity_id,
            "label": label,
            "type": self.types().get(iri),
            "aliases": sorted(aliases - {label}),
            "attributes": attrs,
            "relations": relations,
            "mentions": self.mention_count(iri),
        }

    def mention_count(self, iri: str) -> int:
        rows = self.store.select(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p hfkg:mentions <{iri}> }}")
        return int(rows[0]["n"]) if rows else 0

    def timeline(self, entity_id: str, limit_per_doc: int = 3) -> list[dict[str, Any]]:
        """Documents that name the entity, in time order, with the passages that do."""
        iri = self.iri(entity_id)
        if iri not in self.labels():
            raise NotFound(f"no entity with id {entity_id!r}")
        rows = self.store.select(f"""
            SELECT DISTINCT ?doc ?docid ?title ?type ?date ?year ?passage ?page ?text ?dup WHERE {{ GRAPH ?g {{
              ?passage hfkg:mentions <{iri}> ; dcterms:isPartOf ?doc ; hfkg:page ?page ; hfkg:text ?text .
              ?doc dcterms:title ?title ; dcterms:identifier ?docid ; hfkg:docType ?type .
              OPTIONAL {{ ?doc dcterms:date ?date }} OPTIONAL {{ ?doc hfkg:year ?year }}
              OPTIONAL {{ ?doc hfkg:duplicateOf ?dup }}
            }} }}""")
        docs: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["dup"] is not None:
                continue
            entry = docs.setdefault(
                row["docid"],
                {
                    "doc_id": row["docid"],
                    "title": row["title"],
                    "doc_type": row["type"],
                    "date": str(row["date"]) if row["date"] else None,
                    "years": set(),
                    "passages": [],
                },
            )
            if row["year"]:
                entry["years"].add(int(row["year"]))
            passage_id = self.iris.entity_id(str(row["passage"])).split("/", 1)[-1]
            if all(p["passage_id"] != passage_id for p in entry["passages"]):
                entry["passages"].append(
                    {
                        "passage_id": passage_id,
                        "page": int(row["page"]),
                        "text": _snippet(row["text"], self.label(iri)),
                    }
                )
        out = []
        for entry in docs.values():
            entry["years"] = sorted(entry["years"])
            entry["year"] = (
                int(entry["date"][:4]) if entry["date"] else (entry["years"][0] if entry["years"] else None)
            )
            entry["passages"] = sorted(entry["passages"], key=lambda p: p["passage_id"])[:limit_per_doc]
            out.append(entry)
        return sorted(out, key=lambda e: (e["year"] or 9999, e["date"] or "", e["title"]))

    def relation_edges(self) -> list[tuple[str, str, str]]:
        rows = self.store.select("""
            SELECT DISTINCT ?s ?p ?o WHERE { ?a a hfkg:Assertion ; hfkg:subject ?s ; hfkg:predicate ?p ; hfkg:object ?o }""")
        return [(row["s"], row["p"].rsplit("#", 1)[-1], row["o"]) for row in rows]

    def meetings(self, committee_iris: list[str], date: str | None = None) -> list[dict[str, Any]]:
        rows = self.store.select(f"""
            SELECT DISTINCT ?m ?date WHERE {{ {_values("c", committee_iris)} ?m hfkg:meetingOf ?c .
              OPTIONAL {{ ?m dcterms:date ?date }} }}""")
        out = [{"iri": r["m"], "date": str(r["date"]) if r["date"] else None} for r in rows]
        if date:
            out = [m for m in out if m["date"] == date]
        return sorted(out, key=lambda m: m["date"] or "", reverse=True)

    def committees_of(self, community_iri: str) -> list[str]:
        rows = self.store.select(
            f"SELECT DISTINCT ?c WHERE {{ ?c a hfkg:Committee ; hfkg:fellesskap <{community_iri}> }}"
        )
        return [r["c"] for r in rows]

    def name_index(self) -> list[tuple[str, str, str]]:
        """(iri, type, name) for every label and alias, to find entities named in a question."""
        rows = self.store.select("""
            SELECT DISTINCT ?e ?l WHERE { { ?e skos:prefLabel ?l } UNION { ?e skos:altLabel ?l }
              UNION { ?e hfkg:formerName ?l } }""")
        types = self.types()
        return [(r["e"], types.get(r["e"], "entity"), r["l"]) for r in rows]


def _evidence_row(row: dict[str, Any], iris: Any) -> dict[str, Any]:
    passage = iris.entity_id(str(row["passage"])) if row["passage"] else None
    return {
        "doc_id": row["docid"],
        "title": row["title"],
        "page": int(row["page"]) if row["page"] is not None else None,
        "text": row["text"],
        "passage_id": passage.split("/", 1)[-1] if passage else None,
        "method": row["method"],
        "year": int(row["year"]) if row["year"] else None,
    }


def _snippet(text: str, label: str, width: int = 320) -> str:
    position = text.lower().find(label.lower()[:12])
    if position < 0 or len(text) <= width:
        return text[:width]
    start = max(0, position - width // 3)
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")
