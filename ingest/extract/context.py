"""Heading context: what the headings above a passage name. The nearest heading that names an
initiative or a working group gives the passage its subject (a case titled by a proper name, a
numbered sub-heading under "Tiltak", a short title the text calls a project); the nearest that names
patient groups gives its groups."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.cases import case_heading
from ingest.extract.catalogue import field_labels, vocab
from ingest.extract.entities import EntityTable
from ingest.extract.names import data_rules, ends_in_kind, key_of
from ingest.extract.recognised import COLLABORATION, Recognised, is_subject

_INITIATIVE_CUE = r"prosjekt|tiltak|pilot|etabler|ordning|tilbud|tilbod|modell|oppstart|utprøving|utprøvast"
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+(?P<name>\S.*)$")
_TITLE_BREAK = re.compile(r"\s+[–-]\s+|:\s")


@dataclass(slots=True)
class Context:
    """What the headings above a passage name."""

    subject: str | None = None
    groups: list[str] = field(default_factory=list)
    committee: str | None = None  # a named collaboration the passage is under


def heading_context(
    section: tuple[str, ...],
    text: str,
    names_of: Callable[[str], list[Recognised]],
    table: EntityTable,
) -> Context:
    """The context of a passage with ``text`` under the headings ``section`` (``names_of``: the names
    recognised in a heading)."""
    context = Context()
    for heading in reversed(section):
        found = names_of(heading)
        if context.subject is None:
            subject = next((f for f in found if is_subject(f)), None)
            if subject is None:
                context.subject = _named_by_heading(section, heading, found, text, table)
            else:
                context.subject = subject.entity_id
                if subject.type == "committee" and subject.kind == COLLABORATION:
                    context.committee = subject.entity_id
        if not context.groups:
            context.groups = [f.entity_id for f in found if f.type == "patient_group"]
    return context


def _named_by_heading(
    section: tuple[str, ...], heading: str, found: list[Recognised], text: str, table: EntityTable
) -> str | None:
    """An initiative a heading names that no rule recognised: a numbered measure under an activity
    heading, a case titled by a name, or a short title (where the text speaks of a project)."""
    listed = _activity_heading_name(section, heading)
    if listed:
        return table.resolve(_initiative(listed, key_of(listed)))
    title = _case_title_name(heading)
    if not (title or (not found and _short_title(heading))):
        return None
    name = title or heading
    key = key_of(name)
    match = next((e.id for e in table.of_type("initiative") if key_of(e.label) == key), None)
    cue = r"prosjekt" if not title else _INITIATIVE_CUE
    if match is None and re.search(cue, text[:400], re.I):
        match = table.resolve(_initiative(name, key))
    return match


def _initiative(name: str, key: str) -> Recognised:
    return Recognised("initiative", "prosjekt", name, key, 0, len(name), source="heading")


def _case_title_name(heading: str) -> str | None:
    """A case whose title is a proper name ("PS 5/2024 Barnekoordinator Midt-Troms", "Sak 3/24 TeleNord –
    digital heimeoppfølging"): the name, when its body then speaks of a project or a pilot."""
    if not case_heading().match(heading):
        return None
    title = _TITLE_BREAK.split(case_heading().sub("", heading), maxsplit=1)[0].strip(" .")
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
    kind = len(words) >= 2 and ends_in_kind(data_rules(), words[-1])
    return title if (proper or kind) and title[:1].isupper() else None


def _activity_heading_name(section: tuple[str, ...], heading: str) -> str | None:
    """A numbered sub-heading under a heading about measures ("3 Tiltak …" > "3.2 ROP-team Øvre
    Romerike"): the sub-heading names one of them."""
    match = _NUMBERED_HEADING.match(heading)
    if match is None or heading not in section:
        return None
    outer = section[: section.index(heading)]
    activity = [a.lower() for a in vocab()["activity_headings"]]
    if not any(any(a in h.lower() for a in activity) for h in outer):
        return None
    name = _TITLE_BREAK.split(match.group("name"), maxsplit=1)[0].strip(" .")
    if not 1 <= len(name.split()) <= 8 or not name[:1].isupper():
        return None
    lowered = name.lower()
    if any(lowered.startswith(w) for w in vocab()["section_words"]):
        return None
    return name


def _short_title(heading: str) -> bool:
    """A heading that may name an initiative: short, not numbered, not a common section title."""
    words = heading.split()
    lowered = heading.lower()
    if any(lowered.startswith(w) for w in vocab()["section_words"]) or any(
        lowered == w or lowered.startswith(w + " ") for w in field_labels()
    ):
        return False  # "Saksliste", "Til stades og forfall": parts of a paper, not names
    return 1 <= len(words) <= 4 and not re.match(r"^\d", heading) and not heading.endswith((":", "?"))
