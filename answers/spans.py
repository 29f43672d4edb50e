"""Typed spans in a piece of text: people's names, organisations, dates, numbers, sums of money,
frequencies, case numbers and the names a text gives a thing, each with its offsets (:data:`FINDERS`,
one finder a kind). Kinds of text, not sentences: the patterns are in ``answers/data/reading.json``
and the names in ``ingest/data``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from answers.plan import reading_data
from ingest.cases import case_mentions
from ingest.resources import health_trust_rows, is_given_name, trust_short_forms
from ingest.segment.dates import MONTHS, find_dates
from kinds import registry


@dataclass(frozen=True, slots=True)
class Span:
    kind: str  # a key of FINDERS: person | organisation | date | number | amount | frequency | …
    label: str
    start: int
    end: int
    value: str = ""  # normalised value (ISO date, digits)


_NAME_TOKEN = r"(?:[A-ZÆØÅ][a-zæøåéèüöäA-ZÆØÅ]*(?:-[A-ZÆØÅ][a-zæøåéèüöä]+)?|[A-ZÆØÅ]\.)"
_NAME = re.compile(rf"(?<![\wæøåÆØÅ-]){_NAME_TOKEN}(?:[ \u00a0]{_NAME_TOKEN}){{1,3}}(?![\wæøåÆØÅ])")
_LOWER_PARTICLES = {"von", "van", "de", "af"}


_LISTED = re.compile(rf"^(?:[^\n:]{{0,40}}:\s*|v/\s*)?({_NAME_TOKEN}(?: {_NAME_TOKEN}){{1,2}})(?=\s*(?:,|$))")


def persons(text: str) -> list[Span]:
    """People's names: two to four capitalised words, the first a given name; or, where a line
    lists a person ("Bovild Tjønn, Bydelsdirektør, Bydel Bjerke"), a name-shaped run that opens it."""
    out: list[Span] = []
    for match in _NAME.finditer(text):
        span = _person_in(text, match)
        if span is not None:
            out.append(span)
    for span in _listed(text):
        if not any(o.start < span.end and span.start < o.end for o in out):
            out.append(span)
    return sorted(out, key=lambda s: s.start)


def _person_in(text: str, match: re.Match[str]) -> Span | None:
    """The person's name in a run of capitalised words, from its first given name on."""
    tokens = match.group().replace("\u00a0", " ").split(" ")
    # A name may start later in the run ("Rådmann Arne Myrland"): start at the first given name.
    first = next(
        (i for i in range(len(tokens) - 1) if is_given_name(tokens[i]) and not tokens[i].isupper()), None
    )
    if first is None:
        return None
    rest = tokens[first:]
    if len(rest) < 2 or rest[-1].endswith("."):
        return None
    if any(t.isupper() and len(t) > 2 for t in rest[1:]):
        rest = rest[: next(i for i, t in enumerate(rest) if i and t.isupper() and len(t) > 2)]
        if len(rest) < 2:
            return None
    start = match.start() + len(" ".join(tokens[:first])) + (1 if first else 0)
    label = " ".join(rest)
    # "Sakshandsamar: Odd Arve Rakstad Arkivsak nr.: …": a label after the name is no part of it.
    while len(rest) > 2 and re.match(r"\s*(?:nr\.?\s*)?:", text[start + len(label) :]):
        rest = rest[:-1]
        label = " ".join(rest)
    return Span("person", label, start, start + len(label))


def _listed(text: str) -> list[Span]:
    match = _LISTED.match(text)
    if not match:
        return []
    tokens = match.group(1).split()
    start = match.start(1)
    roles = set(reading_data()["role_words"]) | {w for p in registry().predicates.values() for w in p.words}
    while tokens and tokens[0].lower() in roles:  # "Samhandlingskoordinator Sissel Bitustøyl"
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
    if len(tokens) < 2:
        return []
    stop = set(reading_data()["not_name_words"])
    if any(t.lower() in stop or t.endswith(".") or (t.isupper() and len(t) > 1) for t in tokens):
        return []
    label = " ".join(tokens)
    return [Span("person", label, start, start + len(label))]


@cache
def _organisation_patterns() -> list[re.Pattern[str]]:
    patterns = [re.compile(p, re.I) for p in reading_data()["organisation_patterns"]]
    names = []
    for row in health_trust_rows():
        names.append(row["navn"])
        names.append(re.sub(r"\s+HF$", "", row["navn"]))
    for forms in trust_short_forms().values():
        names += [f for f in forms if len(f) > 5]
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    patterns.insert(0, re.compile(rf"(?<![\wæøå])(?:{alternatives})(?![\wæøå])", re.I))
    acronyms = sorted(
        {f for forms in trust_short_forms().values() for f in forms if 2 < len(f) <= 5}, key=len, reverse=True
    )
    if acronyms:
        patterns.append(re.compile(rf"(?<![\wæøå])(?:{'|'.join(re.escape(a) for a in acronyms)})(?![\wæøå])"))
    return patterns


_PLACE = r"[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)*"
_HOSPITALS_IN = re.compile(
    rf"\b(?:sjukehusa|sykehusene|sjukehus|sykehus|sjukehuset|sykehuset|lokalsjukehusa|lokalsykehusene)\s+(?:i|på)\s+"
    rf"({_PLACE}(?:\s*,\s*{_PLACE})*(?:\s+(?:og|and)\s+{_PLACE})?)"
)


def organisations(text: str) -> list[Span]:
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    # "sjukehusa i Haugesund, Stord og Odda": each place names a hospital.
    for match in _HOSPITALS_IN.finditer(text):
        for place in re.finditer(_PLACE, match.group(1)):
            start = match.start(1) + place.start()
            out.append(Span("organisation", place.group(), start, start + len(place.group())))
            taken.append((start, start + len(place.group())))
    out += _first_matches("organisation", _organisation_patterns(), text, taken)
    return sorted(out, key=lambda s: s.start)


def _first_matches(
    kind: str,
    patterns: list[re.Pattern[str]],
    text: str,
    taken: list[tuple[int, int]],
    group: int | str = 0,
) -> list[Span]:
    """Matches of the patterns (their ``group``: the whole match, or the part a label leads to), an
    earlier pattern winning where two overlap (and ``taken`` is taken)."""
    out = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start, end = match.span(group)
            if any(start < e and end > s for s, e in taken):
                continue
            taken.append((start, end))
            out.append(Span(kind, match.group(group).strip(), start, end))
    return out


_MONTH_NAMES = {**MONTHS, **reading_data()["months_en"]}
_DAY_MONTH = re.compile(
    r"(?<![\w.])(\d{1,2})\.?\s+("
    + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
    + r")\b\.?(?:\s+(\d{4}))?",
    re.I,
)
_MONTH_DAY = re.compile(
    r"\b("
    + "|".join(sorted(reading_data()["months_en"], key=len, reverse=True))
    + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b,?(?:\s+(\d{4}))?",
    re.I,
)


_MONTH_YEAR = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\s+((?:19|20)\d\d)(?!\d)",
    re.I,
)


def dates(text: str) -> list[Span]:
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    for match in _DAY_MONTH.finditer(text):
        month = _MONTH_NAMES[match.group(2).lower()]
        value = f"{match.group(3) or '0000'}-{month:02d}-{int(match.group(1)):02d}"
        out.append(Span("date", match.group().strip().rstrip(",."), match.start(), match.end(), value))
        taken.append((match.start(), match.end()))
    for match in _MONTH_DAY.finditer(text):
        if not any(match.start() < e and match.end() > s for s, e in taken):
            out.append(Span("date", match.group().strip().rstrip(","), match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in _MONTH_YEAR.finditer(text):
        if not any(match.start() < e and match.end() > s for s, e in taken):
            value = f"{match.group(2)}-{_MONTH_NAMES[match.group(1).lower()]:02d}-00"
            out.append(Span("date", match.group().strip(), match.start(), match.end(), value))
            taken.append((match.start(), match.end()))
    for start, day in find_dates(text):
        if any(s <= start < e for s, e in taken):
            continue
        digits = re.match(r"[\d.\-]+", text[start:])
        end = start + (len(digits.group()) if digits else 0)
        out.append(Span("date", text[start:end].rstrip("."), start, end, day.isoformat()))
    return sorted(out, key=lambda s: s.start)


_DIGITS = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:[  .]\d{3})+|\d+(?:,\d+)?)(?:\s?%)?(?![\w/]|\.\d)")


def numbers(text: str) -> list[Span]:
    """Numbers in digits or words, with the word after them as their unit (the noun counted)."""
    words = reading_data()["number_words"]
    not_numbers = set(reading_data()["not_number_words"])
    out = []
    for match in _DIGITS.finditer(text):
        value = match.group(1)
        if re.fullmatch(r"(19|20)\d\d", value):
            continue  # a year
        out.append(Span("number", match.group().strip(), match.start(), match.end(), value))
    for match in re.finditer(
        r"(?<![\wæøå])(" + "|".join(sorted(words, key=len, reverse=True)) + r")(?![\wæøå])", text, re.I
    ):
        word = match.group(1).lower()
        if word in not_numbers:
            continue  # "en", "to", "ni" are mostly no numbers; digits stand for them
        out.append(Span("number", match.group(1), match.start(), match.end(), str(words[word])))
    return sorted(out, key=lambda s: s.start)


def unit_after(text: str, span: Span) -> str:
    match = re.match(r"\s*([\wæøå-]+)", text[span.end :])
    return match.group(1).lower() if match else ""


_AMOUNT = re.compile(
    r"(?:(?:kr\.?|NOK)\s*(\d{1,3}(?:[  .]\d{3})+|\d+(?:,\d+)?)(?:\s*(?:mill(?:ioner|\.)?|millionar|mrd\.?))?"
    r"|(\d{1,3}(?:[  .]\d{3})+|\d+(?:,\d+)?)\s*(?:mill(?:ioner|\.)?\s*)?(?:kroner|kr\b|NOK))",
    re.I,
)


def amounts(text: str) -> list[Span]:
    """Sums of money: "kr 1 240 000", "612 000 kroner", "2,5 mill. kr"."""
    return [
        Span(
            "amount",
            m.group().strip().rstrip("."),
            m.start(),
            m.end(),
            (m.group(1) or m.group(2)).replace(" ", ""),
        )
        for m in _AMOUNT.finditer(text)
    ]


@cache
def _frequency_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in reading_data()["frequency_patterns"]]


def frequencies(text: str) -> list[Span]:
    out = []
    for pattern in _frequency_patterns():
        for match in pattern.finditer(text):
            out.append(Span("frequency", match.group(), match.start(), match.end()))
    return out


def case_numbers(text: str) -> list[Span]:
    return sorted(_first_matches("case_number", case_mentions(), text, []), key=lambda s: s.start)


@cache
def _archive_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in reading_data()["archive_number_patterns"]]


def archive_numbers(text: str) -> list[Span]:
    """The archive's number of a case paper, as its head gives it ("Arkivsaksnr.: 23/00417",
    "Arkivsak-dok. 22/01234-5", "Vår ref: 2024/1873"): the number alone, once where two patterns
    find it."""
    found = _first_matches("archive_number", _archive_patterns(), text, [], group="num")
    return sorted(found, key=lambda s: s.start)


@cache
def _phone_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in reading_data()["phone_patterns"]]


def phones(text: str) -> list[Span]:
    """Norwegian phone numbers as contact lists write them: "913 42 118", "75 68 20 00", "+47 48207356"."""
    return sorted(_first_matches("phone", _phone_patterns(), text, []), key=lambda s: s.start)


_DEFINED = re.compile(
    r"^\s*(?:[-•*]\s*)?«?([^\s,.:;«»][^,.:;«»]{0,40}?)»?\s+(?:er|var|blir|vert|is|was)\s+(?:en|ei|et|eit|ein|a|an|the|vår|det)\s",
    re.I,
)
_CALLED = re.compile(
    r"(?:kalt|kalla|kalles|heiter|heter|called|named)\s+«?([A-ZÆØÅa-zæøå][\wæøåÆØÅ+-]*(?:\s[A-ZÆØÅ][\wæøåÆØÅ+-]*){0,3})»?"
)
_QUOTED = re.compile(r"«([^»]{2,60})»|\"([^\"]{2,60})\"")


def names(text: str) -> list[Span]:
    """Names a text gives a thing: "eTeam er en samhandlingsmodell …", "kalt Trygg heim", «Heim til kvardag»."""
    out = []
    match = _DEFINED.match(text)
    if (match and len(match.group(1).split()) <= 4 and not match.group(1)[:1].islower()) or (
        match and re.search(r"[A-ZÆØÅ]", match.group(1)[1:])
    ):
        out.append(Span("name", match.group(1).strip(), match.start(1), match.end(1)))
    for pattern in (_CALLED, _QUOTED):
        for m in pattern.finditer(text):
            group = 1 if m.group(1) else 2
            out.append(Span("name", m.group(group).strip(), m.start(group), m.end(group)))
    return out


FINDERS = {
    "person": persons,
    "organisation": organisations,
    "date": dates,
    "number": numbers,
    "frequency": frequencies,
    "case_number": case_numbers,
    "archive_number": archive_numbers,
    "phone": phones,
    "name": names,
    "amount": amounts,
}
