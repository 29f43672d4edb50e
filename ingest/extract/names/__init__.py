"""Names that no list knows, read by rule: committees (SSU, Fagutvalg for X, Arbeidsgruppe for X,
Helsesamarbeidet X), initiatives («quoted», "prosjektet X", teams and pathways, bold items under
an activity heading, names a sentence defines, action items in plan tables) and people with their roles.

Each finder returns :class:`~ingest.extract.recognised.Recognised` spans with a *key* that merges
spelling variants (Ung Arena+ = UngArena+ = UNG Arena +; Fagutvalg HR = Fagutvalg for HR-samarbeid).
Each reads the tables of its :class:`~ingest.extract.names.rules.NameRules`, given as its argument.
"""

from ingest.extract.names.committees import committees
from ingest.extract.names.initiatives import initiatives
from ingest.extract.names.people import people
from ingest.extract.names.plans import action_items, plan_items
from ingest.extract.names.rules import RULE_TABLES, NameRules, data_rules
from ingest.extract.names.words import ends_in_kind, key_of

__all__ = [
    "RULE_TABLES",
    "NameRules",
    "action_items",
    "committees",
    "data_rules",
    "ends_in_kind",
    "initiatives",
    "key_of",
    "people",
    "plan_items",
]
