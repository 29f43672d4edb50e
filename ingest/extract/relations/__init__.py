"""Typed relations with evidence, read clause by clause (sentence, list item, table row) within passages.

Who is the subject of a unit: the initiative or working group it names, else the one its list item
is led by, else the one its section heading names (with an anaphor such as "prosjektet" or a plan
heading); see :class:`~ingest.extract.relations.clause.Clause`. Each family of relations has its finder
module; :data:`FINDERS` runs them in order (a finder may adopt the last-named initiative as the
unit's subject, and the finders after it see that). Every relation keeps the passage it came from.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.extract.relations.addresses import addresses
from ingest.extract.relations.clause import Clause
from ingest.extract.relations.leadership import leadership
from ingest.extract.relations.membership import municipal_members, trust_members
from ingest.extract.relations.participation import participation
from ingest.extract.relations.steering import steering
from ingest.model import Relation

Finder = Callable[[Clause], list[Relation]]

FINDERS: list[Finder] = [addresses, participation, municipal_members, trust_members, steering, leadership]


def relate_unit(unit: Clause) -> list[Relation]:
    return [relation for finder in FINDERS for relation in finder(unit)]


__all__ = ["FINDERS", "Clause", "Finder", "relate_unit"]
