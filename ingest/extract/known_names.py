"""Initiatives already named in this helsefellesskap (this document or earlier ones), found wherever
they are mentioned again without a cue: a bare "Vitality" in a list of agenda topics."""

from __future__ import annotations

import re

from ingest.extract.entities import EntityTable
from ingest.extract.names import key_of
from ingest.extract.recognised import Recognised

_Pattern = tuple[re.Pattern[str], str, str]  # the name's pattern, its label and key


class KnownNames:
    def __init__(self, table: EntityTable) -> None:
        self.table = table
        self._names: tuple[str, ...] | None = None
        self._patterns: list[_Pattern] = []

    def find(self, text: str) -> list[Recognised]:
        return [
            Recognised("initiative", "prosjekt", label, key, match.start(), match.end(), source="known_name")
            for pattern, label, key in self._current()
            for match in pattern.finditer(text)
        ]

    def _current(self) -> list[_Pattern]:
        """The patterns of the names known now (built again only when a name was added)."""
        names: dict[str, str] = {}
        for info in self.table.known.values():
            if info.get("type") == "initiative" and info.get("fellesskap") == self.table.fellesskap:
                names.setdefault(info["label"], info["label"])
        for entity in self.table.of_type("initiative"):
            names.setdefault(entity.label, entity.label)
        key = tuple(sorted(names))
        if self._names != key:
            self._names, self._patterns = key, [_pattern(label) for label in names if len(label) >= 4]
        return self._patterns


def _pattern(label: str) -> _Pattern:
    """A name as written, give or take spaces and hyphens between its words; in any case unless it
    is an acronym or one capitalised word ("Vitality" is a name, "vitality" a word)."""
    tokens = re.split(r"[\s\-–]+", label)
    body = r"[\s\-–]*".join(re.escape(t) for t in tokens if t)
    flags = 0 if label.isupper() or (label[:1].isupper() and len(tokens) == 1) else re.I
    return re.compile(rf"(?<![\wæøå]){body}(?![\wæøå+])", flags), label, key_of(label)
