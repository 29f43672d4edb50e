"""The rule tables the name rules read: the committee rules, stop words, trigger and head words,
team patterns, roles … of ``extraction.json``. The ``hfkg_names`` component loads them in its
``initialize`` (from the data file unless given) and keeps them with ``to_disk``; every name rule
takes them as its argument. Readers outside the components (a heading's context, entity resolution)
read the data file's own, :func:`data_rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ingest.extract.catalogue import vocab

# The tables of extraction.json that the name rules read.
RULE_TABLES = (
    "committee_rules",
    "committee_heads",
    "committee_key_drop",
    "committee_key_synonyms",
    "name_stop_words",
    "initiative_triggers",
    "initiative_prefix_heads",
    "initiative_kind_suffixes",
    "team_patterns",
    "activity_headings",
    "copulas",
    "copula_participles",
    "articles",
    "not_initiatives",
    "action_verbs",
    "action_nouns",
    "roles",
)


class NameRules:
    """The tables, each by its name in ``extraction.json``; hashed by identity, so that what a rule
    compiles from them is cached per set of rules."""

    def __init__(self, tables: Mapping[str, Any]) -> None:
        missing = [name for name in RULE_TABLES if name not in tables]
        if missing:
            raise ValueError(f"name rule tables missing: {missing}")
        self.tables = {name: tables[name] for name in RULE_TABLES}

    def __getitem__(self, name: str) -> Any:
        return self.tables[name]


@cache
def data_rules() -> NameRules:
    """The rules of the data file."""
    return NameRules(vocab())
