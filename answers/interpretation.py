"""How a question was read, said to people in bokmål ("Spørsmålet er lest som: hvilke tiltak retter
seg mot Skrøpelige eldre (pasientgruppe)"): what ``/ask`` returns as ``interpretation``.

The words are the registry's (kinds/data/kinds.json): the asked kind's label, the relation's label
read from the asked kind's side (its inverse where the asked kind is the relation's object:
"hvilke kommuner deltar i Vitality", not "involverer"), the anchors with their type.
"""

from __future__ import annotations

from answers.plan import Part, Plan
from kinds import registry

ANCHORS_SAID = 4
WORDS_SAID = 8
HOW = {"graph": "svar fra kunnskapsgrafen", "reading": "svar lest ut av teksten"}


def interpretation(plan: Plan, how: str | None) -> str:
    """The plan in plain words; ``how`` the answers were found ("graph", "reading"; None: none)."""
    if not plan.parts:
        words = " ".join(plan.content_words)
        return f"ikke et spørsmål, søketreff for «{words}»" if words else "ikke et spørsmål"
    kinds = registry()
    asked = " og ".join(_part(part) for part in plan.parts)
    anchors = ", ".join(f"{a.name} ({kinds.type_label(a.type).lower()})" for a in plan.anchors[:ANCHORS_SAID])
    if anchors and not any(_relations(part) for part in plan.parts):
        asked += " knyttet til"  # no relation word: what the question is about, said neutrally
    said = " ".join(x for x in (asked, anchors) if x)
    if plan.period:
        said += f" i perioden {plan.period[0]}–{plan.period[1]}"
    elif plan.years:
        said += " i " + " og ".join(str(y) for y in plan.years)
    notes = []
    if plan.content_words:
        notes.append("søkeord: " + " ".join(plan.content_words[:WORDS_SAID]))
    if how in HOW:
        notes.append(HOW[how])
    return " · ".join([said, *notes])


def _part(part: Part) -> str:
    """One asked thing with its relation: "hvilke tiltak retter seg mot", "hvem er møteleder for",
    "én kommune som er pilot for" (one asked for: no article, since the registry has no genders)."""
    kinds = registry()
    relation = " / ".join(_relations(part))
    if part.asks == "person":
        return " ".join(x for x in ("hvem", relation) if x)
    if part.asks in kinds.types:
        label = kinds.type_label(part.asks, plural=part.plural).lower()
        if part.plural:
            return " ".join(x for x in ("hvilke", label, relation) if x)
        return " ".join(x for x in ("én", label, "som" if relation else "", relation) if x)
    if part.asks in kinds.values:
        return kinds.values[part.asks].labels["nb"].lower()
    return "tekst som svarer"


def _relations(part: Part) -> list[str]:
    """The relations asked about, each read from the asked kind's side; none for a value (a date, a
    number), which is no end of a relation."""
    kinds = registry()
    if part.asks not in kinds.types:
        return []
    out = []
    for name in part.predicates[:2]:
        predicate = kinds.predicates.get(name)
        if predicate is not None:
            asked_is_object = part.asks in predicate.range and part.asks not in predicate.domain
            out.append(predicate.label("in" if asked_is_object else "out"))
    return out
