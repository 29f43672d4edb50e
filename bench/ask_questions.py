"""The questions of bench/ask.py: templates of every kind in bokmål, nynorsk and English, filled
with names read from the corpus's graph (helsefellesskap with their municipalities and committees,
initiatives with a leader, a pilot or participants, meetings with a chair and a minute-taker, agenda
items with their year and who is responsible), so that every question hits real content."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from api.services import Services
from api.settings import Settings
from graph.queries import GraphQueries

LANGUAGES = ("nb", "nn", "en")

# The patient groups of the catalogue (ingest/data), as each language names them.
GROUPS = {
    "skropelige-eldre": ("skrøpelige eldre", "skrøpelege eldre", "frail elderly"),
    "barn-og-unge": ("barn og unge", "born og unge", "children and young people"),
    "flere-kroniske-lidelser": (
        "personer med flere kroniske lidelser",
        "personar med fleire kroniske lidingar",
        "people with multiple chronic conditions",
    ),
    "psykisk-helse-rus": (
        "personer med alvorlige psykiske lidelser og rusproblemer",
        "personar med alvorlege psykiske lidingar og rusproblem",
        "people with severe mental illness and substance use (psykisk helse og rus)",
    ),
}

# kind -> its variants, each one question as (bokmål, nynorsk, English); the questions of a kind take
# the variants in turn. The slots are filled from Names: {community}, {initiative}, {body}, {date},
# {topic}, {year}, {group}.
TEMPLATES: dict[str, list[tuple[str, str, str]]] = {
    "leader": [
        (
            "Hvem leder {initiative} i {community}?",
            "Kven leiar {initiative} i {community}?",
            "Who leads {initiative} in {community}?",
        )
    ],
    "chair": [
        (
            "Hvem var møteleder for {body}-møtet {date} i {community}?",
            "Kven var møteleiar for {body}-møtet {date} i {community}?",
            "Who chaired the {body} meeting on {date} in {community}?",
        )
    ],
    "minute_taker": [
        (
            "Hvem var referent i {body} {date}?",
            "Kven skreiv referat frå {body}-møtet {date}?",
            "Who took minutes at the {body} meeting on {date}?",
        )
    ],
    "members": [
        (
            "Hvilke kommuner er med i {community}?",
            "Kva kommunar er med i {community}?",
            "Which municipalities are members of {community}?",
        ),
        (
            "Hvilke kommuner deltar i {initiative}?",
            "Kva kommunar deltek i {initiative}?",
            "Which municipalities take part in {initiative}?",
        ),
    ],
    "pilot": [
        (
            "Hvilken kommune er pilotkommune for {initiative}?",
            "Kva kommune er pilotkommune for {initiative}?",
            "Which municipality is the pilot for {initiative}?",
        )
    ],
    "date": [
        (
            "Når ble saken om {topic} behandlet i {year}?",
            "Når vart saka om {topic} handsama i {year}?",
            "When was the item on {topic} discussed in {year}?",
        )
    ],
    "count": [
        (
            "Hvor mange kommuner er med i {community}?",
            "Kor mange kommunar er med i {community}?",
            "How many municipalities are members of {community}?",
        ),
        (
            "Hvor mange fastleger skal være med i fagutvalget for fastleger i {community}?",
            "Kor mange fastlegar skal sitje i fagutvalet for fastlegar i {community}?",
            "How many GPs sit on the committee for GPs (fagutvalg for fastleger) in {community}?",
        ),
    ],
    "case_number": [
        (
            "Hvilket saksnummer hadde saken om {topic} i {year}?",
            "Kva saksnummer hadde saka om {topic} i {year}?",
            "Which case number did the item on {topic} have in {year}?",
        )
    ],
    "decision": [
        (
            "Hva ble vedtatt om {topic} i {year}?",
            "Kva vart vedteke om {topic} i {year}?",
            "What was decided about {topic} in {year}?",
        )
    ],
    "responsible": [
        (
            "Hvem er ansvarlig for saken om {topic} i {year}?",
            "Kven er ansvarleg for saka om {topic} i {year}?",
            "Who is responsible for the item on {topic} in {year}?",
        )
    ],
    "committees": [
        (
            "Hvilke fagutvalg har {community}?",
            "Kva fagutval har {community}?",
            "Which committees does {community} have?",
        )
    ],
    "initiatives_for_group": [
        (
            "Hvilke tiltak retter seg mot {group} i {community}?",
            "Kva tiltak finst for {group} i {community}?",
            "Which initiatives address {group} in {community}?",
        )
    ],
    "free": [
        (
            "Hva er hensikten med {initiative}?",
            "Kva er målet med {initiative}?",
            "What is the purpose of {initiative}?",
        ),
        (
            "Hvordan følges {initiative} opp i {community}?",
            "Korleis blir {initiative} følgt opp i {community}?",
            "How is {initiative} followed up in {community}?",
        ),
    ],
}


# -- names from the corpus -----------------------------------------------------------------------
@dataclass
class Names:
    """Slot values for each kind, each a list of dicts, read from the graph of the corpus."""

    by_kind: dict[str, list[dict[str, str]]]

    def slots(self, kind: str, template: str) -> list[dict[str, str]]:
        if kind == "members" and "{initiative}" in template:
            return self.by_kind["participants"]
        return self.by_kind[kind]


def read_names(data: Path) -> Names:
    """What the questions name, from the corpus's graph (opened here, closed before the timing)."""
    with Services(Settings.from_env(str(data))) as services:
        q = GraphQueries(services.graph)
        labels, types = q.labels(), q.types()
        edges = q.relation_edges()

        def ends(
            predicate: str, subject_type: str | None = None, object_type: str | None = None
        ) -> list[tuple[str, str]]:
            return sorted(
                {
                    (s, o)
                    for s, p, o in edges
                    if p == predicate
                    and (subject_type is None or types.get(s) == subject_type)
                    and (object_type is None or types.get(o) == object_type)
                }
            )

        def community_of(iri: str) -> str:  # initiative/<community>/..., meeting/<community>/...
            return labels.get(q.iri("health_community/" + q.eid(iri).split("/")[1]), "")

        members: dict[str, int] = {}
        for _, o in ends("memberOf", "municipality", "health_community"):
            members[o] = members.get(o, 0) + 1
        with_committees = {o for _, o in ends("partOf", "committee", "health_community")}
        communities = [
            {"community": labels[c]}
            for c in sorted(members, key=lambda c: (-members[c], c))
            if members[c] >= 3 and c in with_committees and c in labels
        ]

        def initiatives(
            predicate: str, object_type: str | None = None, *, subject_side: bool = True
        ) -> list[dict[str, str]]:
            seen, out = set(), []
            for s, o in ends(predicate, None if subject_side else "person", object_type):
                iri = s if subject_side else o
                if types.get(iri) != "initiative" or iri not in labels or labels[iri].lower() in seen:
                    continue
                seen.add(labels[iri].lower())
                out.append({"initiative": labels[iri], "community": community_of(iri)})
            return out

        def meetings(predicate: str) -> list[dict[str, str]]:
            out = []
            for meeting in sorted({o for _, o in ends(predicate, "person", "meeting")}):
                parts = q.eid(meeting).split("/")  # meeting/<community>/<body>/<yyyy-mm-dd>
                if len(parts) == 4 and re.fullmatch(r"\d{4}-\d\d-\d\d", parts[3]):
                    y, m, d = parts[3].split("-")
                    out.append(
                        {"body": parts[2].upper(), "date": f"{d}.{m}.{y}", "community": community_of(meeting)}
                    )
            return out

        def topics(decisions: set[str]) -> list[dict[str, str]]:
            seen, out = set(), []
            for iri in sorted(decisions):
                match = re.fullmatch(r"Sak (\d{4})\.\d+ (.+?)[.?]?", labels.get(iri, ""))
                if not match:
                    continue
                year, topic = match.groups()
                words = topic.split()
                if not 2 <= len(words) <= 6 or re.match(r"(?i)godkjenning av innkalling|referat", topic):
                    continue
                topic = topic[0].lower() + topic[1:] if not words[0].isupper() else topic
                if (topic, year) not in seen:
                    seen.add((topic, year))
                    out.append({"topic": topic, "year": year})
            return out

        groups = [
            {"group": key, "community": community_of(s)}
            for s, o in ends("addresses", "initiative", "patient_group")
            for key in [q.eid(o).split("/")[-1]]
            if key in GROUPS
        ]
        groups = [g for i, g in enumerate(groups) if g not in groups[:i]]
        involving = initiatives("involves", "municipality")
        every = initiatives("initiativeOf")
        decided = topics({s for s, _ in ends("decidedBy", "decision")})
        by_kind = {
            "leader": initiatives("leads", "initiative", subject_side=False),
            "chair": meetings("chairs"),
            "minute_taker": meetings("takesMinutes"),
            "members": communities,
            "participants": involving,
            "pilot": initiatives("pilotedIn", "municipality"),
            "date": decided[1::3],
            "count": communities[1:] + communities[:1],
            "case_number": decided[2::3],
            "decision": decided[0::3],
            "responsible": topics({o for _, o in ends("responsibleFor", "person", "decision")})[::-1],
            "committees": communities[2:] + communities[:2],
            "initiatives_for_group": groups,
            "free": every[::-1],
        }
    return Names(by_kind)


@dataclass
class Question:
    kind: str
    language: str
    text: str


def questions(names: Names, per_language: int) -> Iterator[Question]:
    """``per_language`` distinct questions a kind and language, the names taken in turn."""
    seen: set[str] = set()
    for kind, variants in TEMPLATES.items():
        for li, language in enumerate(LANGUAGES):
            templates = [v[li] for v in variants]
            made = 0
            for variant in range(per_language * 4):  # a name that repeats a question is passed over
                if made == per_language:
                    break
                template = templates[variant % len(templates)]
                pool = names.slots(kind, template)
                if not pool:
                    continue
                slots = dict(pool[(li * per_language + variant) % len(pool)])
                if "group" in slots:
                    slots["group"] = GROUPS[slots["group"]][li]
                text = template.format(**slots)
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                yield Question(kind, language, text)
