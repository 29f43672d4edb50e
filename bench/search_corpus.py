"""The generated corpus of bench/search.py: passages recombined from sentences of the real corpus
(``corpus/``, else ``../shared/corpus``) with varied helsefellesskap, municipalities, committees, years
and document types; minutes also get agenda items (decisions)."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

from ingest.model import AgendaItem, Document, Meeting, Passage

FELLESSKAP = [
    ("vestfold", "Helsefelleskapet i Vestfold", ["Larvik", "Sandefjord", "Tønsberg", "Færder", "Horten"]),
    ("ostfold", "Helsefellesskapet Østfold", ["Fredrikstad", "Sarpsborg", "Halden", "Moss", "Indre Østfold"]),
    (
        "vestre-viken",
        "Helsefellesskapet i Vestre Viken",
        ["Drammen", "Asker", "Bærum", "Kongsberg", "Ringerike"],
    ),
    ("agder", "Helsefellesskapet i Agder", ["Kristiansand", "Arendal", "Grimstad", "Lillesand", "Mandal"]),
    ("telemark", "Helsefellesskapet i Telemark", ["Skien", "Porsgrunn", "Notodden", "Bamble", "Kragerø"]),
    (
        "innlandet",
        "Helsefellesskapet Innlandet",
        ["Hamar", "Lillehammer", "Gjøvik", "Elverum", "Kongsvinger"],
    ),
    ("forde", "Helsefellesskapet Helse Førde", ["Førde", "Sogndal", "Florø", "Stryn", "Askvoll"]),
    ("bergen", "Helsefellesskapet Helse Bergen", ["Bergen", "Askøy", "Voss", "Os", "Øygarden"]),
    ("stavanger", "Helsefellesskapet Helse Stavanger", ["Stavanger", "Sandnes", "Sola", "Klepp", "Time"]),
    ("fonna", "Helsefellesskapet Helse Fonna", ["Haugesund", "Stord", "Karmøy", "Odda", "Tysvær"]),
    ("more", "Helsefellesskapet Møre og Romsdal", ["Ålesund", "Molde", "Kristiansund", "Volda", "Ulstein"]),
    (
        "st-olav",
        "Helsefellesskapet St. Olavs hospital",
        ["Trondheim", "Malvik", "Orkland", "Melhus", "Stjørdal"],
    ),
    (
        "nord-trondelag",
        "Helsefellesskapet Nord-Trøndelag",
        ["Levanger", "Steinkjer", "Namsos", "Verdal", "Inderøy"],
    ),
    ("nordland", "Helsefellesskapet Nordlandssykehuset", ["Bodø", "Vågan", "Vestvågøy", "Steigen", "Meløy"]),
    (
        "helgeland",
        "Helsefellesskapet Helgeland",
        ["Mo i Rana", "Mosjøen", "Sandnessjøen", "Brønnøysund", "Alstahaug"],
    ),
    ("unn", "Helsefellesskapet UNN", ["Tromsø", "Harstad", "Narvik", "Senja", "Balsfjord"]),
    ("finnmark", "Helsefellesskapet Finnmark", ["Alta", "Hammerfest", "Vadsø", "Kirkenes", "Karasjok"]),
    ("ahus", "Helsefellesskapet Ahus", ["Lillestrøm", "Lørenskog", "Ullensaker", "Nittedal", "Rælingen"]),
    ("oslo", "Helsefellesskapet Oslo", ["Oslo", "Alna", "Grorud", "Stovner", "Bjerke"]),
]
BODIES = [
    "SSU",
    "FSU",
    "LSU",
    "Partnerskapsmøtet",
    "Fagutvalg for akuttkjeden",
    "Fagutvalg for fastleger",
    "AU",
]
DOC_TYPES = ["referat", "handlingsplan", "årsmelding", "innkalling", "saksfremlegg", "presentasjon"]
NAMES = ["Larvik", "Vestfold", "SiV", "Sykehuset i Vestfold"]


def corpus_sentences(corpus: Path) -> list[str]:
    sentences: list[str] = []
    for path in sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.md")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
        text = re.sub(r"[#*|•]+", " ", text)
        for paragraph in re.split(r"\n\s*\n|\t", text):
            paragraph = " ".join(paragraph.split())
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])", paragraph):
                if len(sentence.split()) >= 6 and "...." not in sentence:
                    sentences.append(sentence)
    if not sentences:
        raise SystemExit(f"no sentences found in {corpus}")
    return sentences


def generate(sentences: list[str], passages: int, seed: int = 7) -> Iterator[Document]:
    rng = random.Random(seed)
    per_doc = 20
    for number in range((passages + per_doc - 1) // per_doc):
        fid, fname, towns = FELLESSKAP[number % len(FELLESSKAP)]
        year = rng.randint(2019, 2025)
        doc_type = rng.choice(DOC_TYPES)
        body = rng.choice(BODIES)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        replacements = {
            "Larvik": rng.choice(towns),
            "Vestfold": fname.split()[-1],
            "SiV": f"{fid.upper()} HF",
            "Sykehuset i Vestfold": f"sykehuset i {fname.split()[-1]}",
        }

        def text(k: int) -> str:
            chosen = " ".join(rng.choice(sentences) for _ in range(k))
            for old, new in replacements.items():
                chosen = chosen.replace(old, new)
            return chosen

        doc_id = f"bench-{number:06d}"
        doc = Document(
            doc_id,
            f"{doc_type.capitalize()} {body} {fname} {year}",
            doc_type,
            f"{doc_id}.pdf",
            fid,
            fname,
            date=date,
            years=[year],
            pages=per_doc,
        )
        count = min(per_doc, passages - number * per_doc)
        doc.passages = [
            Passage(
                f"{doc_id}-{i}",
                doc_id,
                i + 1,
                [body, text(1)[:60]],
                text(rng.randint(1, 3)),
                0,
                0,
                rng.choice(["paragraph", "paragraph", "list", "table_row"]),
            )
            for i in range(count)
        ]
        if doc_type == "referat":
            items = [
                AgendaItem(
                    f"{year}.{rng.randint(1, 60)}",
                    text(1)[:80],
                    "beslutning",
                    conclusion=text(1),
                    conclusion_label="Konklusjon",
                    page=i + 1,
                    passage_id=f"{doc_id}-{i}",
                    text=text(2),
                )
                for i in range(min(5, count))
            ]
            doc.meetings = [Meeting(body, date, agenda_items=items)]
        yield doc


def entity_map(docs: list[Document], seed: int = 11) -> dict[str, list[dict[str, str]]]:
    rng = random.Random(seed)
    out: dict[str, list[dict[str, str]]] = {}
    for doc in docs:
        for p in doc.passages:
            if rng.random() < 0.3:
                body = rng.choice(BODIES)
                out[p.passage_id] = [
                    {"id": f"committee/{body.lower()}", "label": body, "type": "committee"},
                    {"id": "initiative/vitality", "label": "Vitality", "type": "initiative"},
                ]
    return out
