"""`hfkg ask` latency: questions of every kind, in bokmål, nynorsk and English, against `hfkg search`
of the same words in the same run.

The data is the generated corpus of bench/corpus_gen.py (the bundled documents and 470 generated
files, some 1,000 documents, in all three stores; built once and kept in bench/.cache/). The names in
the questions are read from that corpus's graph in a pass of their own (helsefellesskap with their
municipalities and committees, initiatives with a leader, a pilot or participants, meetings with a
chair and a minute-taker, agenda items with their year and who is responsible), so every question
hits real content. Then the stores are opened afresh, twice:

* ask: one ``Answerer``, built as ``hfkg ask`` builds it (api/cli/stores.py ``asker``), asks each question
  once. The questions are all distinct and nothing caches answers in-process, so each is uncached;
  what does warm up over the run is what a server keeps too (the graph's label and name tables, the
  search index's posting caches). One warm-up question, not counted, pays for the one-time tables
  and is reported apart.
* search: ``services.search.search(<the question's content words>, limit=10)`` right after each
  question, on Services of its own, so neither side warms the other's caches.

Prints JSON (p50/p95 per kind, per language and overall, for ask and search, and the ratio
ask/search), a table on stderr, and writes bench/results/ask.json. Exits 1 when the overall p95 of
ask is above 300 ms.

    python bench/ask.py                        # 470 generated files, 2 questions a kind and language
    python bench/ask.py --docs 40 --per-language 1
    python bench/ask.py --profile slowest      # then profile the slowest kind (cProfile; or a kind, or all)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is in bench/, next to bench/api.py and bench/graph.py: drop bench/ from the path so that
# "api" and "graph" are the packages, not those scripts.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from answers import Answerer  # noqa: E402
from answers.plan import content_words  # noqa: E402
from api.cli.stores import asker as _asker  # noqa: E402
from api.services import Services  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.corpus_gen import built  # noqa: E402
from bench.graph import percentile  # noqa: E402
from graph.queries import GraphQueries  # noqa: E402

TARGET_P95_MS = 300.0
RESULTS = ROOT / "bench" / "results" / "ask.json"
LANGUAGES = ("nb", "nn", "en")
WARM_UP = "Hva er et helsefellesskap?"

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


# -- timing --------------------------------------------------------------------------------------
def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def stats(ask: list[float], search: list[float]) -> dict[str, Any]:
    def pair(values: list[float]) -> dict[str, float]:
        return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 0.95), 1)}

    a, s = pair(ask), pair(search)
    return {
        "n": len(ask),
        "ask": a,
        "search": s,
        "ratio_p50": round(a["p50_ms"] / max(s["p50_ms"], 0.1), 1),
        "ratio_p95": round(a["p95_ms"] / max(s["p95_ms"], 0.1), 1),
    }


def run(data: Path, asked: list[Question]) -> tuple[list[dict[str, Any]], dict[str, float]]:
    settings = Settings.from_env(str(data))
    with Services(settings) as ask_services, Services(settings) as search_services:
        answerer: Answerer = _asker(ask_services)
        stop = answerer.graph.stop_words()
        warm = {
            "ask_ms": round(timed(lambda: answerer.ask(WARM_UP))[0], 1),
            "search_ms": round(
                timed(lambda: search_services.search.search("helsefellesskap", limit=10))[0], 1
            ),
        }
        rows = []
        for question in asked:
            words = " ".join(content_words(question.text, stop)) or question.text
            ask_ms, response = timed(lambda: answerer.ask(question.text))
            search_ms, found = timed(lambda: search_services.search.search(words, limit=10))
            answers = response["answers"]
            rows.append(
                {
                    "kind": question.kind,
                    "language": question.language,
                    "question": question.text,
                    "search_words": words,
                    "ask_ms": round(ask_ms, 2),
                    "search_ms": round(search_ms, 2),
                    "asks": response["plan"]["asks"],
                    "answers": len(answers),
                    "method": answers[0]["method"] if answers else None,
                    "first_answer": answers[0]["label"] if answers else None,
                    "search_total": found["total"],
                }
            )
    return rows, warm


def profile(data: Path, asked: list[Question], stats_file: Path, top: int = 25) -> dict[str, Any]:
    """cProfile of the given questions on a fresh Answerer (after a warm-up, as in the timing);
    the stats are also written to ``stats_file`` (for ``python -m pstats``)."""
    with Services(Settings.from_env(str(data))) as services:
        answerer = _asker(services)
        answerer.ask(WARM_UP)
        profiler = cProfile.Profile()
        profiler.enable()
        for question in asked:
            answerer.ask(question.text)
        profiler.disable()
    out = io.StringIO()
    ps = pstats.Stats(profiler, stream=out)
    ps.sort_stats("cumulative").print_stats(top)
    ps.sort_stats("tottime").print_stats(top)
    stats_file.parent.mkdir(parents=True, exist_ok=True)
    ps.dump_stats(str(stats_file))
    return {"questions": len(asked), "stats_file": str(stats_file), "text": out.getvalue()}


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{'':24} {'n':>3} {'ask p50':>8} {'ask p95':>8} {'search p50':>10} {'search p95':>10} {'ratio p95':>9}"
    ]
    rows = [*report["by_kind"].items(), *report["by_language"].items(), ("overall", report["overall"])]
    for name, s in rows:
        lines.append(
            f"{name:24} {s['n']:>3} {s['ask']['p50_ms']:>8} {s['ask']['p95_ms']:>8} "
            f"{s['search']['p50_ms']:>10} {s['search']['p95_ms']:>10} {s['ratio_p95']:>9}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs", type=int, default=470, help="generated files (470 split into some 1,000 documents)"
    )
    parser.add_argument(
        "--per-language", type=int, default=2, help="questions a kind and language (default 2)"
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="an existing data directory instead of the generated corpus"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="build the corpus in a temporary folder, not bench/.cache/"
    )
    parser.add_argument(
        "--profile",
        metavar="KIND",
        default=None,
        help="after the timing, profile the questions of KIND ('slowest': the kind of the highest "
        "ask p95; 'all': every question)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="hfkg-bench-ask-"))
    try:
        if args.data:
            data, corpus = args.data, {"data": str(args.data)}
        else:
            data, corpus = built(args.docs, cache=not args.no_cache, where=temp)
        with Services(Settings.from_env(str(data))) as services:
            corpus["documents"] = services.documents.count()
        asked = list(questions(read_names(data), args.per_language))
        rows, warm = run(data, asked)

        def group(key: str) -> dict[str, Any]:
            values = sorted({r[key] for r in rows}, key=[r[key] for r in rows].index)
            return {
                v: stats(
                    [r["ask_ms"] for r in rows if r[key] == v], [r["search_ms"] for r in rows if r[key] == v]
                )
                for v in values
            }

        overall = stats([r["ask_ms"] for r in rows], [r["search_ms"] for r in rows])
        report: dict[str, Any] = {
            "benchmark": "ask",
            "config": {
                "generated_files": args.docs,
                "per_language": args.per_language,
                "languages": list(LANGUAGES),
                "cpus": __import__("os").cpu_count(),
                "uncached": "one Answerer, every question distinct and asked once; no answer cache in-process",
            },
            "corpus": corpus,
            "questions": len(rows),
            "answered": sum(1 for r in rows if r["answers"]),
            "warm_up": warm,
            "overall": overall,
            "by_kind": group("kind"),
            "by_language": group("language"),
            "target_p95_ms": TARGET_P95_MS,
            "meets_target": overall["ask"]["p95_ms"] <= TARGET_P95_MS,
            "rows": rows,
        }
        print(table(report), file=sys.stderr)
        if args.profile:
            kind = args.profile
            if kind == "slowest":
                kind = max(report["by_kind"], key=lambda k: report["by_kind"][k]["ask"]["p95_ms"])
            found = profile(
                data, [q for q in asked if kind in ("all", q.kind)], args.output.with_suffix(".prof")
            )
            print(
                f"\nprofile of {kind!r} ({found['questions']} questions):\n{found.pop('text')}",
                file=sys.stderr,
            )
            report["profile"] = {"kind": kind, **found}
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0 if report["meets_target"] else 1
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
