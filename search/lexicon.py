"""Norwegian word knowledge for the search layer, loaded from the data files in ``search/data``.

Everything language-specific lives in those files (stop words, nynorsk forms, abbreviations,
synonyms, nouns the stemmer would mangle); this module only parses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

# Inflections of the protected nouns: bokmål endings follow the base form (fastlege-r, -n, -ne),
# nynorsk endings replace its final e (fastleg-ar, -ane).
_BASE_ENDINGS = ("", "r", "n", "ne", "s", "ns", "rs", "nes")
_STEM_ENDINGS = ("ar", "ane", "ars", "anes")


def _lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines; tabs kept, other surrounding whitespace stripped."""
    out: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip(" \r\n")
        if line and not line.startswith("#"):
            out.append(line)
    return out


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of ``search/data``, parsed."""

    stopwords: frozenset[str]
    word_forms: dict[str, str]  # nynorsk word -> bokmål word
    part_forms: tuple[tuple[str, str], ...]  # nynorsk fragment -> bokmål fragment, longest first
    end_forms: dict[str, str]  # nynorsk word ending -> bokmål ending
    inflections: tuple[str, ...]
    protected: dict[str, str]  # inflected form of a protected noun -> its base form
    equivalences: tuple[tuple[str, ...], ...]  # groups of phrases that mean the same
    alternations: tuple[tuple[str, str], ...]  # stem ending -> alternative ending
    decision_words: frozenset[str]

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Lexicon:
        word_forms, part_forms, end_forms = _nynorsk_forms(data_dir / "nynorsk.tsv")
        return cls(
            stopwords=frozenset(w.lower() for w in _lines(data_dir / "stopwords.txt")),
            word_forms=word_forms,
            part_forms=tuple(sorted(part_forms, key=lambda pair: -len(pair[0]))),
            end_forms=end_forms,
            inflections=tuple(sorted({"", *_lines(data_dir / "inflections.txt")}, key=len)),
            protected=_protected_forms(data_dir / "protected_nouns.txt"),
            equivalences=_equivalences(data_dir / "abbreviations.tsv", data_dir / "synonyms.tsv"),
            alternations=_alternations(data_dir / "alternations.tsv"),
            decision_words=frozenset(w.lower() for w in _lines(data_dir / "decision_words.txt")),
        )


def _nynorsk_forms(path: Path) -> tuple[dict[str, str], list[tuple[str, str]], dict[str, str]]:
    """nynorsk.tsv's (whole words, fragments, word endings), each nynorsk -> bokmål."""
    word_forms: dict[str, str] = {}
    part_forms: list[tuple[str, str]] = []
    end_forms: dict[str, str] = {}
    for line in _lines(path):
        scope, nynorsk, bokmal = (cell.strip().lower() for cell in line.split("\t"))
        if scope == "word":
            word_forms[nynorsk] = bokmal
        elif scope == "part":
            part_forms.append((nynorsk, bokmal))
        elif scope == "end":
            end_forms[nynorsk] = bokmal
        else:
            raise ValueError(f"nynorsk.tsv: unknown scope {scope!r}")
    return word_forms, part_forms, end_forms


def _protected_forms(path: Path) -> dict[str, str]:
    """Every inflected form of the protected nouns -> its base form."""
    protected: dict[str, str] = {}
    for noun in _lines(path):
        base = noun.lower()
        stem = base[:-1] if base.endswith("e") else base
        for ending in _BASE_ENDINGS:
            protected[base + ending] = base
        for ending in _STEM_ENDINGS:
            protected[stem + ending] = base
    return protected


def _equivalences(abbreviations: Path, synonyms: Path) -> tuple[tuple[str, ...], ...]:
    """Groups of phrases that mean the same: an abbreviation with its expansions, a synonym line."""
    groups: list[tuple[str, ...]] = []
    for line in _lines(abbreviations):
        abbreviation, expansions = line.split("\t", 1)
        group = [abbreviation.strip().lower()]
        group += [e.strip().lower() for e in expansions.split("|") if e.strip()]
        groups.append(tuple(group))
    for line in _lines(synonyms):
        groups.append(tuple(w.strip().lower() for w in line.split("|") if w.strip()))
    return tuple(groups)


def _alternations(path: Path) -> tuple[tuple[str, str], ...]:
    """Stem ending -> the alternative ending the index may hold instead."""
    alternations: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, _, target = line.partition("\t")
        alternations.append((source.strip(), target.strip()))
    return tuple(alternations)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()
