"""Committees named by rule: the bodies of ``bodies.tsv`` (SSU, FSU …) and the committee rules of
``extraction.json`` ("Fagutvalg for legevakt", "Arbeidsgruppe for X", "Helsesamarbeidet X")."""

from __future__ import annotations

import re

from ingest.extract.names.rules import NameRules
from ingest.extract.names.words import INNER, NameShape, committee_stop_words, every_match, key_of, take_name
from ingest.extract.recognised import COLLABORATION, Recognised
from ingest.resources import bodies

_ACRONYM = re.compile(r"\(([A-ZÆØÅ][A-ZÆØÅ0-9]{1,7})\)")
_BROAD = ("arbeidsgruppe", "underutvalg")  # kinds whose topic may run long, in lower case


def committees(text: str, rules: NameRules) -> list[Recognised]:
    found = _bodies(text)
    for rule in rules["committee_rules"]:
        flags = re.I if rule["kind"] != COLLABORATION else 0
        for match in every_match(rule["pattern"], text, flags):
            if match.groupdict().get("name"):
                label = " ".join(match.group("name").split())
                found.append(_committee(rule["kind"], label, key_of(label), match.start(), match.end()))
            else:
                found.extend(_on_topic(rule["kind"], match, text, rules))
    return found


def _committee(kind: str, label: str, key: str, start: int, end: int) -> Recognised:
    return Recognised("committee", kind, label, key, start, end, source="committee_rule")


def body_label(name: str, short: str) -> str:
    """ "Strategisk samarbeidsutvalg (SSU)"; a body whose short form is its name is named once
    ("Partnerskapsmøte", not "Partnerskapsmøte (Partnerskapsmøte)")."""
    return name if short.casefold() == name.casefold() else f"{name} ({short})"


def _bodies(text: str) -> list[Recognised]:
    return [
        Recognised(
            "committee",
            body.short,
            body_label(body.name, body.short),
            body.short.lower(),
            match.start(),
            match.end(),
            source="bodies",
        )
        for body in bodies()
        for match in body.pattern.finditer(text)
    ]


def _on_topic(kind: str, match: re.Match[str], text: str, rules: NameRules) -> list[Recognised]:
    """A committee on a topic, and its acronym where one follows in brackets."""
    span = _topic_span(kind, match, text, rules)
    if span is None:
        return []
    topic = " ".join(text[span[0] : span[1]].split()).strip("«» ")
    key = _topic_key(topic, rules)
    if not key:
        return []
    head = _head(kind, match.groupdict().get("head"), rules)
    label = f"{head}{_joiner(match, text, head)}{topic}"
    found = [_committee(kind, label, f"{kind}:{key}", match.start(), span[1])]
    acronym = _ACRONYM.match(text, span[1] + 1) or _ACRONYM.match(text, span[1])
    if acronym:
        found.append(_committee(kind, label, found[0].key, acronym.start(1), acronym.end(1)))
    return found


def _topic_span(kind: str, match: re.Match[str], text: str, rules: NameRules) -> tuple[int, int] | None:
    groups = match.groupdict()
    broad = kind in _BROAD
    # "fagutvalg etc.": without "for" only a capitalised topic names one, of a word or two.
    bare = kind == "fagutvalg" and not groups.get("for") and not groups.get("def")
    if bare and not match.group("topic")[:1].isupper():
        return None
    long_topic = kind == "samarbeidsutvalg"  # "for eldre og personar med fleire kroniske sjukdomar"
    shape = NameShape(
        max_tokens=10 if broad else (2 if bare else 8 if long_topic else 4),
        inner=INNER if broad else frozenset({"og", "med", "for", "i"}) if long_topic else frozenset({"og"}),
        stop=committee_stop_words(rules),
        title_case_only_first=not broad,
    )
    span = take_name(text, match.start("topic"), shape)
    if span is not None and bare:
        words = text[span[0] : span[1]].split()
        if len(words) == 2 and words[1].lower().strip("-") not in rules["committee_key_drop"]:
            span = (span[0], span[0] + len(words[0]))
    return span


def _topic_key(topic: str, rules: NameRules) -> str:
    """The topic's words without those that say nothing ("HR" = "HR-samarbeid"), synonyms merged."""
    drop = set(rules["committee_key_drop"])
    synonyms = rules["committee_key_synonyms"]
    words = [w for w in re.split(r"[\s-]+", topic.lower()) if w and w not in drop and w != "for"]
    key = synonyms.get(" ".join(words), " ".join(words))
    return " ".join(synonyms.get(w, w) for w in key.split())


def _head(kind: str, written: str | None, rules: NameRules) -> str:
    """What the committee's name starts with: its kind's head, or the head as the document writes it."""
    if written and len(written.split()) == 1:
        return written.upper()  # "FSU psykisk helse og rus", as the lists write it
    if written:
        # The name as the document writes it ("Fagleg samarbeidsutval" in nynorsk), in its indefinite form.
        adjective, noun = written.lower().split()
        adjective = re.sub(r"(?<=fagl[ei]g)e$", "", adjective)  # det faglige -> faglig
        noun = re.sub(r"utvalget$", "utvalg", re.sub(r"utvalet$", "utval", noun))
        return f"{adjective.capitalize()} {noun}"
    return str(rules["committee_heads"][kind])


def _joiner(match: re.Match[str], text: str, head: str) -> str:
    topic_start = match.start("topic")
    before_topic = text[match.end(0) - len(match.group("topic")) - 5 : topic_start] + " "
    if re.match(r"\s*for\s", before_topic) or " for " in match.group(0)[: len(head) + 6].lower():
        return " for "
    return " "
