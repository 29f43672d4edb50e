"""Whether a document extracted with an older registry of names reads the same with today's.

A parallel ingest extracts a file in a worker process with the registry as it was when the file was
handed out; the files committed since may have added names. The extraction reads the registry
(``known``, :mod:`ingest.extract.entities` and :mod:`ingest.extract.known_names`) in three ways only,
and each is compared here for the document, as the extraction would see it:

- a person's name (every spelling the document has): is its id registered, and which registered
  person it is the same person as first (:func:`~ingest.extract.resolve.same_person`, in registry order);
- a committee of the document's helsefellesskap: which ids under ``committee/<fellesskap>/`` exist,
  and the working groups whose name words another name is matched against, in registry order;
- an initiative of the helsefellesskap named again without a cue: the registered names, in order,
  that its text holds at all.

When every view is the same, extraction with today's registry gives the same entities, mentions and
relations (:func:`stands`); otherwise the parent extracts the document again. A new way for the
extraction to read ``known`` must be added here (tests/ingest/test_parallel.py compares a parallel
run with a serial one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ingest import ids

# The entity table's own lists (ingest.extract.entities), so that the two cannot disagree.
from ingest.extract.entities import ON_A_TOPIC, VARIANT_KINDS
from ingest.extract.resolve import same_person, stems
from ingest.model import Document

Known = dict[str, dict[str, Any]]

_SEPARATORS = re.compile(r"[\s\-–]+")  # what a known name's pattern allows between its words


def stands(pristine: Document, extracted: Document, seen: Known, now: Known) -> bool:
    """Whether ``pristine`` (segmented, not extracted), extracted with ``now`` as ``known``, gives
    ``extracted``, which is what it gave with ``seen``."""
    if seen == now and list(seen) == list(now):
        return True
    fellesskap = pristine.fellesskap or "ukjent"  # as ingest.extract.state names it
    return (
        _persons(extracted, seen) == _persons(extracted, now)
        and _committees(fellesskap, extracted, seen) == _committees(fellesskap, extracted, now)
        and _initiatives(fellesskap, pristine, seen) == _initiatives(fellesskap, pristine, now)
    )


def _persons(extracted: Document, known: Known) -> list[tuple[str, bool, str | None]]:
    """For every way the document wrote a person's name: whether its id is registered, and the first
    registered person it is the same person as."""
    registered = [(k, v["label"]) for k, v in known.items() if v.get("type") == "person"]
    names = sorted({name for e in extracted.entities if e.type == "person" for name in (e.label, *e.aliases)})
    return [
        (
            name,
            ids.person(name) in known,
            next((k for k, label in registered if same_person(name, label)), None),
        )
        for name in names
    ]


def _committees(
    fellesskap: str, extracted: Document, known: Known
) -> tuple[frozenset[str], list[tuple[str, str, tuple[tuple[str, bool], ...]]]]:
    """The committees a name of the document can be matched with (``EntityTable._committee_variant``):
    a registered id it may ask for, and what each of its names would be matched with by its words.

    A name on a topic asks for its id and, for a samarbeidsutvalg, the fagutvalg on the same topic;
    either is what it resolves to, so the ids asked for share a topic with a committee of the
    document. Only a working group's name may resolve to another topic's id: for those kinds every
    registered id counts."""
    prefix = ids.committee(fellesskap, "")  # every committee of the helsefellesskap: committee/<it>/…
    own = {e.id: e for e in extracted.entities}
    topics = {_topic(i[len(prefix) :]) for i in own if i.startswith(prefix)} - {None}
    asked = frozenset(
        k
        for k in known
        if k.startswith(prefix)
        and (
            (topic := _topic(k[len(prefix) :])) is None
            or topic in topics
            or _kind(k[len(prefix) :]) in VARIANT_KINDS
        )
    )
    # A working group's name is matched against the registered ones of its kind in order, the first
    # that shares enough words winning; the document's own committees are in that order too, and may
    # win before it: what counts is every one of them met before the first registered match.
    # Of the document's own, only a working group can match (one named by a working group's name:
    # its id says so, or it is registered as one and is a candidate for that).
    own_committees = {i for i, e in own.items() if e.type == "committee"}
    own_groups: dict[str, tuple[set[str], list[set[str]]]] = {
        i: (
            {str(_kind(i[len(prefix) :])), str(own[i].attrs.get("kind"))} & set(VARIANT_KINDS),
            [set(stems(n)) for n in (own[i].label, *own[i].aliases)],
        )
        for i in own_committees
    }
    candidates = [
        (k, v) for k, v in known.items() if own_groups.get(k, (set(), []))[0] or _variant(v, fellesskap)
    ]
    spellings = sorted({n for i in own_committees for n in (own[i].label, *own[i].aliases)})
    matched = [
        (kind, label, _met(candidates, own_groups, kind, set(stems(label))))
        for kind in VARIANT_KINDS
        for label in spellings
    ]
    return asked, matched


def _met(
    candidates: list[tuple[str, dict[str, Any]]],
    own: dict[str, tuple[set[str], list[set[str]]]],
    kind: str,
    mine: set[str],
) -> tuple[tuple[str, bool], ...]:
    """Every candidate that may match a name of ``kind`` with these words, in order, up to the first
    registered working group that does. One of the document's own (``own``: its kinds and the words
    of its spellings) matches by its registered entry, or by its entry in the document's table,
    which a spelling of it labels: it is passed on, with whether its registered entry matches."""
    met = []
    for key, info in candidates:
        matches = info.get("kind") == kind and _shares(mine, set(info.get("stems", [])))
        if key in own:
            kinds, spellings = own[key]
            kinds = kinds or ({kind} if _variant(info, str(info.get("fellesskap"))) else set())
            # Its kind in the table may have been any a name gave it: a working group's, of any kind.
            if matches or (kinds and any(_shares(mine, words) for words in spellings)):
                met.append((key, matches))
            continue
        if matches:
            met.append((key, True))
            break
    return tuple(met)


def _shares(mine: set[str], theirs: set[str]) -> bool:
    """``EntityTable._committee_variant``'s test: two words or more in common, all of one name's."""
    shared = mine & theirs
    return len(shared) >= 2 and shared in (mine, theirs)


def _variant(info: dict[str, Any], fellesskap: str) -> bool:
    return (
        info.get("type") == "committee"
        and info.get("fellesskap") == fellesskap
        and info.get("kind") in VARIANT_KINDS
    )


def _kind(rest: str) -> str | None:
    """The kind of a committee on a topic, from its id's last part (``fagutvalg-legevakt``)."""
    return next((kind for kind in ON_A_TOPIC if rest.startswith(f"{kind}-")), None)


def _topic(rest: str) -> str | None:
    kind = _kind(rest)
    return rest[len(kind) + 1 :] if kind else None


def _initiatives(
    fellesskap: str, pristine: Document, known: Known
) -> tuple[frozenset[str], list[tuple[str, ...]]]:
    """The registered initiatives of the helsefellesskap the document's text holds; and where two of
    them would match the same words (equal give or take case and separators), their order, which
    decides between them."""
    labels = dict.fromkeys(
        v["label"]
        for v in known.values()
        if v.get("type") == "initiative" and v.get("fellesskap") == fellesskap
    )
    if not labels:
        return frozenset(), []
    # Whatever text the extraction matches a known name in comes from the document's strings; a name
    # none of them holds, give or take case and the separators between its words, finds nothing.
    text = _compact("\n".join(_strings(pristine.to_dict())))
    present: dict[str, list[str]] = {}
    for label in labels:
        if (compact := _compact(label)) in text:
            present.setdefault(compact, []).append(label)
    ties = [tuple(group) for _, group in sorted(present.items()) if len(group) > 1]
    return frozenset(label for group in present.values() for label in group), ties


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text.lower())


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
