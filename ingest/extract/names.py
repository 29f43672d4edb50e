"""Names that no list knows, read by rule: committees (SSU, Fagutvalg for X, Arbeidsgruppe for X,
Helsesamarbeidet X), initiatives («quoted», "prosjektet X", teams and pathways, bold items under
an activity heading, action items in plan tables) and people with their roles.

Each finder returns :class:`Candidate` objects with a *key* that merges spelling variants
(Ung Arena+ = UngArena+ = UNG Arena +; Fagutvalg HR = Fagutvalg for HR-samarbeid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.resources import bodies, is_given_name, json_data


@dataclass(slots=True)
class Candidate:
    type: str  # committee | initiative | person
    kind: str  # fagutvalg, arbeidsgruppe, SSU, prosjekt, team, ...
    label: str
    key: str
    start: int
    end: int
    role: str | None = None  # for people: leads, chairs, ...


@cache
def vocab() -> dict:
    return json_data("extraction.json")


@cache
def _stop() -> frozenset[str]:
    return frozenset(w.lower() for w in vocab()["name_stop_words"])


@cache
def _committee_stop() -> frozenset[str]:
    """Stop words for committee topics: initiative words may be part of a working group's name."""
    return _stop() - {w.lower() for w in vocab()["initiative_triggers"]}


_INNER = {"og", "for", "med", "av", "om", "uten", "i", "til", "under"}
_QUOTE = re.compile(r"«([^«»]{2,80})»|\"([^\"]{2,80})\"|“([^”]{2,80})”")
_WORD = re.compile(r"[\wæøåÆØÅ+][\wæøåÆØÅ+'’/-]*(?:\.[\wæøåÆØÅ]+)*")
_ACRONYM = re.compile(r"\(([A-ZÆØÅ][A-ZÆØÅ0-9]{1,7})\)")


def key_of(text: str) -> str:
    """A spelling-insensitive key: case, spaces, hyphens and a trailing 'team' do not matter."""
    text = text.lower().replace("«", "").replace("»", "").replace('"', "")
    text = re.sub(r"[-\s]+team(et)?$", "", text.strip())
    text = re.sub(r"[\s\-–/]+", "", text)
    return text.strip(".,:;")


def _take_name(
    text: str,
    start: int,
    *,
    max_tokens: int,
    allow_lower: bool,
    inner: frozenset[str] | set[str] = _INNER,
    stop: frozenset[str] | None = None,
    title_case_only_first: bool = False,
    proper_names: bool = False,
) -> tuple[int, int] | None:
    """The span of a name starting at ``start``: tokens up to a stop word, inner connectors allowed.

    With ``proper_names``, a name that starts with a capital takes lower-case words only right after
    a connector ("Sammen for barna", not "Sammen for barna retter").
    """
    stop = stop if stop is not None else _stop()
    capitalised = False
    after_connector = False
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start)]
    end = None
    cursor = start
    taken = 0
    for index, (s, e, word) in enumerate(tokens):
        gap = text[cursor:s]
        if any(ch in gap for ch in '.,;:()!?\n|«»"') or len(gap) > 2:
            break
        lower = word.lower()
        if taken == 0 and lower in stop and not (proper_names and word[0].isupper() and lower not in _INNER):
            return None  # ("Sammen for barna" after "prosjektet" is a name, "prosjektet som ..." is not)
        if taken == 0:
            capitalised = word[0].isupper() and proper_names
        if lower in stop and not (taken == 0 and proper_names and word[0].isupper()):
            if lower in inner and index + 1 < len(tokens) and tokens[index + 1][2].lower() not in stop:
                cursor = e
                taken += 1
                after_connector = True
                continue
            break
        follows_connector, after_connector = after_connector, False
        if not allow_lower and not (word[0].isupper() or word[0].isdigit()):
            break
        # A capitalised name takes lower-case words only after a connector: "Sammen for barna".
        if capitalised and taken > 0 and word[0].islower() and not follows_connector:
            break
        if title_case_only_first and taken > 0 and (word[0].isupper() or re.search(r"(te|de|ert)$", lower)):
            break  # a committee topic is a noun phrase: a past-tense verb ends it
        end = cursor = e
        taken += 1
        if taken >= max_tokens:
            break
    if end is None:
        return None
    return start + (len(text[start:end]) - len(text[start:end].lstrip())), end


def _matches(pattern: str, text: str, flags: int) -> list[re.Match[str]]:
    """Every match, also one that starts inside the greedy tail of the previous one
    ("Fagutvalg for legevakt og Fagutvalg for rehabilitering")."""
    compiled = re.compile(pattern, flags)
    out = []
    position = 0
    while (match := compiled.search(text, position)) is not None:
        out.append(match)
        position = match.start() + 1
    return out


def committees(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    for body in bodies():
        for match in body.pattern.finditer(text):
            found.append(
                Candidate(
                    "committee",
                    body.short,
                    f"{body.name} ({body.short})",
                    body.short.lower(),
                    match.start(),
                    match.end(),
                )
            )
    drop = set(vocab()["committee_key_drop"])
    synonyms = vocab()["committee_key_synonyms"]
    for rule in vocab()["committee_rules"]:
        for match in _matches(
            rule["pattern"], text, re.I if rule["kind"] != "interkommunalt samarbeid" else 0
        ):
            if "name" in match.groupdict() and match.group("name"):
                label = " ".join(match.group("name").split())
                found.append(
                    Candidate("committee", rule["kind"], label, key_of(label), match.start(), match.end())
                )
                continue
            topic_start = match.start("topic")
            broad = rule["kind"] in ("arbeidsgruppe", "underutvalg")
            groups = match.groupdict()
            bare = rule["kind"] == "fagutvalg" and not groups.get("for") and not groups.get("def")
            if bare and not match.group("topic")[:1].isupper():
                continue  # "fagutvalg etc.": without "for" only a capitalised topic names one
            long_topic = (
                rule["kind"] == "samarbeidsutvalg"
            )  # "for eldre og personar med fleire kroniske sjukdomar"
            span = _take_name(
                text,
                topic_start,
                max_tokens=10 if broad else (2 if bare else 8 if long_topic else 4),
                allow_lower=True,
                inner=_INNER if broad else {"og", "med", "for", "i"} if long_topic else {"og"},
                stop=_committee_stop(),
                title_case_only_first=not broad,
            )
            if span is None:
                continue
            if bare:
                words_in = text[span[0] : span[1]].split()
                if len(words_in) == 2 and words_in[1].lower().strip("-") not in vocab()["committee_key_drop"]:
                    span = (span[0], span[0] + len(words_in[0]))
            topic = " ".join(text[span[0] : span[1]].split()).strip("«» ")
            words = [w for w in re.split(r"[\s-]+", topic.lower()) if w and w not in drop and w != "for"]
            if not words:
                continue
            key = synonyms.get(" ".join(words), " ".join(words))
            key = " ".join(synonyms.get(w, w) for w in key.split())
            head = {
                "fagutvalg": "Fagutvalg",
                "samarbeidsutvalg": "Faglig samarbeidsutvalg",
                "arbeidsgruppe": "Arbeidsgruppe",
                "underutvalg": "Underutvalg",
                "fagråd": "Fagråd",
            }[rule["kind"]]
            if groups.get("head") and len(groups["head"].split()) == 1:
                head = groups["head"].upper()  # "FSU psykisk helse og rus", as the lists write it
            elif groups.get("head"):
                # The name as the document writes it ("Fagleg samarbeidsutval" in nynorsk), in its
                # indefinite form.
                adjective, noun = groups["head"].lower().split()
                adjective = re.sub(r"(?<=fagl[ei]g)e$", "", adjective)  # det faglige -> faglig
                noun = re.sub(r"utvalget$", "utvalg", re.sub(r"utvalet$", "utval", noun))
                head = f"{adjective.capitalize()} {noun}"
            joiner = (
                " for "
                if re.match(
                    r"\s*for\s", text[match.end(0) - len(match.group("topic")) - 5 : topic_start] + " "
                )
                or " for " in match.group(0)[: len(head) + 6].lower()
                else " "
            )
            label = f"{head}{joiner}{topic}"
            kind = rule["kind"]
            acronym = _ACRONYM.match(text, span[1] + 1) or _ACRONYM.match(text, span[1])
            cand = Candidate("committee", kind, label, f"{rule['kind']}:{key}", match.start(), span[1])
            found.append(cand)
            if acronym:
                found.append(Candidate("committee", kind, label, cand.key, acronym.start(1), acronym.end(1)))
    return found


def initiatives(text: str, emphasis: list[str], section: list[str]) -> list[Candidate]:
    found: list[Candidate] = []
    triggers = sorted(vocab()["initiative_triggers"], key=len, reverse=True)
    trigger_re = re.compile(
        r"(?<![\wæøå])(" + "|".join(re.escape(t) for t in triggers) + r")(?![\wæøå])", re.I
    )
    for match in _QUOTE.finditer(text):
        inner = next(g for g in match.groups() if g)
        before = text[max(0, match.start() - 40) : match.start()]
        near = trigger_re.search(" ".join(before.split()[-3:]))
        starts_with_trigger = trigger_re.match(inner)
        if not (near or starts_with_trigger) or len(inner.split()) > 8:
            continue
        label = " ".join(inner.split()).strip(" .,")
        found.append(Candidate("initiative", "prosjekt", label, key_of(label), match.start(), match.end()))
    heads = sorted(vocab()["initiative_prefix_heads"], key=len, reverse=True)
    head_re = re.compile(
        r"(?<![\wæøå-])(" + "|".join(re.escape(h) for h in heads) + r")\s+(?=[^\s«\"])", re.I
    )
    for match in head_re.finditer(text):
        start = match.end()
        span = _take_name(text, start, max_tokens=6, allow_lower=True, proper_names=True)
        if span is None:
            continue
        name = " ".join(text[span[0] : span[1]].split())
        words = name.split()
        if not name[0].isupper():
            # "prosjektet kombinerer …": one lower-case word after the head is a verb or a noun, not a
            # name, and neither is a run that starts with a verb (present -er/-ar, past -et/-te/-de).
            if len(words) == 1 or re.search(r"(et|te|de|er|ar)$", words[0]):
                continue
        label = name[0].upper() + name[1:] if not name[0].isupper() else name
        found.append(Candidate("initiative", "prosjekt", label, key_of(name), span[0], span[1]))
    found += _defined_initiatives(text)
    quoted = [(c.start, c.end) for c in found]
    for pattern in vocab()["team_patterns"]:
        for match in re.finditer(pattern, text):
            words = match.group(0).split()
            while len(words) > 1 and words[-1].lower() in _stop():
                words.pop()
            label = " ".join(words)
            if any(
                a <= match.start() and match.end() <= b and (a, b) != (match.start(), match.end())
                for a, b in quoted
            ):
                continue  # "FACT" inside «FACT Dalane»: the whole name is already there
            found.append(Candidate("initiative", "team", label, key_of(label), match.start(), match.end()))
    activity = [a.lower() for a in vocab()["activity_headings"]]
    in_activity = any(any(a in s.lower() for a in activity) for s in section)
    for bold in emphasis:
        bold = bold.strip(" :•-")
        if not bold or len(bold.split()) > 6:
            continue
        position = text.find(bold)
        if position < 0:
            continue
        line_start = text.rfind("\n", 0, position) + 1
        leads_item = re.match(r"^\s*(?:-\s*)?$", text[line_start:position]) is not None
        prosjekt = re.match(r"(?i)prosjekt\s+(\S.*)", bold)
        if prosjekt:
            label = prosjekt.group(1)
        elif in_activity and leads_item:
            label = bold
        else:
            continue
        found.append(
            Candidate("initiative", "prosjekt", label, key_of(label), position, position + len(bold))
        )
    return found


DEFINITE = "et|en|a|ene|ane"  # definite and plural endings: teamet, modellen, ordninga, teamene, modellane


@cache
def _kind_suffixes() -> str:
    """The kinds of initiative a word can end in (team, prosjekt, modell, tilbod …), as alternatives."""
    return "|".join(re.escape(x) for x in vocab()["initiative_kind_suffixes"])


def ends_in_kind(word: str, endings: str = "") -> bool:
    """Whether ``word`` ends in a kind of initiative ("Samhandlingsteam"), or in one of ``endings``
    after it ("Teamet")."""
    tail = rf"(?:{endings})?" if endings else ""
    return re.search(rf"(?:{_kind_suffixes()}){tail}$", word.lower()) is not None


@cache
def _definition_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    v = vocab()
    kind_word = rf"[\wæøå-]*(?:{_kind_suffixes()})(?:{DEFINITE})?(?![\wæøå])"
    # A name: «quoted», capitalised words ("TeleNord", "Akutteam Nord-Troms"), or a phrase that ends in
    # a kind of initiative ("Mobilt geriatrisk team").
    name = (
        r"(?:«(?P<quoted>[^«»]{2,60})»|(?P<name>[A-ZÆØÅ][\wæøåÆØÅ+-]*"
        r"(?:\s+(?:[A-ZÆØÅ][\wæøåÆØÅ+-]*|og|for|i|på)){0,4})"
        rf"|(?P<phrase>[A-ZÆØÅ][\wæøå-]*(?:\s+[a-zæøå][\wæøå-]*){{0,3}}\s+{kind_word}))"
    )
    participle = "|".join(v["copula_participles"])
    copula = (
        rf"(?:^|(?<=[.!?:]\s)|(?<=\n)){name}\s+(?:{'|'.join(v['copulas'])})\s+"
        rf"(?:(?:{participle})\s+(?:som\s+)?)?(?:{'|'.join(v['articles'])})\s+(?:[\wæøå-]+\s+){{0,3}}?{kind_word}"
    )
    abbreviation = (
        rf"(?P<context>(?:{kind_word})(?:\s+[\wæøåÆØÅ-]+){{0,6}}?)\s*"
        r"\((?P<abbr>[A-ZÆØÅ][A-ZÆØÅ0-9]+(?:-[A-ZÆØÅ0-9]+)?(?:\s+[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)?)\)"
    )
    return re.compile(copula), re.compile(abbreviation, re.I), frozenset(v["not_initiatives"])


_CELL_NAME = re.compile(
    r"(?:(?<=\| )|(?<=^\| ))(?P<name>[A-ZÆØÅ][\wæøåÆØÅ+-]*(?:\s+[\wæøåÆØÅ+()-]+){0,7}):\s+[a-zæøå]"
)
_ITEM_NAME = re.compile(
    r"(?m)^(?:-\s+)?(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[A-ZÆØÅ][\wæøåÆØÅ-]*){0,3}):\s+[a-zæøå]"
)
_LEADER_OF = re.compile(
    r"\b(?i:prosjektleder|prosjektleiar|prosjektkoordinator)\s+(?:for|i)\s+"
    r"(?P<name>«[^«»]{2,60}»|[A-ZÆØÅ][\wæøåÆØÅ+-]*(?:\s+(?:[A-ZÆØÅ][\wæøåÆØÅ+-]*|[a-zæøå]{1,9})){0,4}?)"
    r"\s+(?:er|var|blir|vert)\s+[A-ZÆØÅ]"
)


def _defined_initiatives(text: str) -> list[Candidate]:
    """Names a sentence defines as an initiative: "«Valdresmodellen» er et integrert ambulant tilbud",
    "TeleNord er et innovasjonsprosjekt"; and abbreviations given to one: "Felles inntaksteam for barn
    og unge (FIT-BU)"."""
    copula, abbreviation, never = _definition_patterns()
    stop = _stop()
    found = []
    for match in copula.finditer(text):
        group = next(g for g in ("quoted", "name", "phrase") if match.group(g))
        label = " ".join(match.group(group).split()).strip(" .,")
        if not label or label.lower() in stop or label.split()[0].lower() in stop or len(label) < 3:
            continue
        if (
            group == "name"
            and len(label.split()) == 1
            and label[1:].islower()
            and ends_in_kind(label, DEFINITE)
        ):
            continue  # "Tiltaket er eit …", "Teamet er …": a common noun, not a name
        found.append(
            Candidate("initiative", "prosjekt", label, key_of(label), match.start(group), match.end(group))
        )
    # A plan table's cell that opens with a name and a colon ("Heim til kvardag: trygg utskriving …").
    for match in _CELL_NAME.finditer(text):
        label = " ".join(match.group("name").split())
        words = label.split()
        if (
            words[0].lower() not in stop
            and label.lower() not in stop
            and (len(words) >= 2 or re.search(r".[A-ZÆØÅ]", label))
        ):
            found.append(
                Candidate(
                    "initiative", "prosjekt", label, key_of(label), match.start("name"), match.end("name")
                )
            )
    # "- ROP-team Vesterålen: for personer med …": a list item that names a kind of initiative and says
    # what it is.
    for match in _ITEM_NAME.finditer(text):
        label = " ".join(match.group("name").split())
        first = label.split()[0]
        if ends_in_kind(first, "et|en|a") and first.lower() not in stop:
            found.append(
                Candidate(
                    "initiative", "prosjekt", label, key_of(label), match.start("name"), match.end("name")
                )
            )
    # "Prosjektleiar for Heim til kvardag er Bjarte Rykkje": what a project leader leads is a project.
    for match in _LEADER_OF.finditer(text):
        label = " ".join(match.group("name").split())
        if label.split()[0].lower() not in stop and len(label) >= 3:
            found.append(
                Candidate(
                    "initiative", "prosjekt", label, key_of(label), match.start("name"), match.end("name")
                )
            )
    for match in abbreviation.finditer(text):
        abbr = " ".join(match.group("abbr").split())
        if abbr.split()[0] in never or not any(ch.isupper() for ch in match.group("abbr")[1:]):
            continue
        found.append(
            Candidate("initiative", "prosjekt", abbr, key_of(abbr), match.start("abbr"), match.end("abbr"))
        )
    return found


def action_items(cell: str) -> list[tuple[int, int, str]]:
    """Numbered action items in a plan cell ('i. Etablere ... ii. Innføre ...'): (start, end, name)."""
    parts = list(re.finditer(r"(?:(?<=\s)|^)(?:[ivx]{1,4}|[a-h])[.)]\s+", cell))
    items: list[tuple[int, int, str]] = []
    bounds = [
        (m.end(), parts[i + 1].start() if i + 1 < len(parts) else len(cell)) for i, m in enumerate(parts)
    ]
    if not bounds:
        bounds = [(0, len(cell))]
    verbs = sorted(vocab()["action_verbs"], key=len, reverse=True)
    verb_re = re.compile(r"^(?:" + "|".join(re.escape(v) for v in verbs) + r")(?:/\s*\w+)?\s+", re.I)
    for start, end in bounds:
        item = cell[start:end].strip()
        verb = verb_re.match(item)
        if not verb:
            continue
        name = item[verb.end() :]
        if _QUOTE.search(name) or any(re.search(p, name) for p in vocab()["team_patterns"]):
            continue  # the quote and team rules name these better
        name = re.split(r"\s+[-–]\s+|\s*\(|,|\n", name)[0].strip(" .")
        nouns = sorted(vocab()["action_nouns"], key=len, reverse=True)
        name = re.sub(r"^(?:" + "|".join(re.escape(n) for n in nouns) + r")\s+", "", name, flags=re.I)
        name = re.sub(r"^(?:et|en|ei|ein|eit|prosjekt(?:et)?)\s+", "", name, flags=re.I)
        if len(name.split()) > 6:
            name = re.split(r"\s+som\s+", name)[0]
        if not name or not 2 <= len(name.split()) <= 6:
            continue
        offset = start + item.find(name) if name in item else start
        items.append((offset, offset + len(name), name[0].upper() + name[1:]))
    return items


_ROLE_NAME = r"((?:[A-ZÆØÅ][a-zæøåé]+|[A-ZÆØÅ]\.)(?:[ -](?:[A-ZÆØÅ][a-zæøåé]+|[A-ZÆØÅ]\.)){1,3})"


def people(text: str) -> list[Candidate]:
    """People named with a role: 'Prosjektleder Kari Marthinsen', 'Anne Hansen, som har ledet ...'."""
    found: list[Candidate] = []
    roles = vocab()["roles"]
    for role, words in roles.items():
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        for match in re.finditer(
            rf"(?i:\b(?:{alternation}))(?:\s*:\s*|\s+)(?:er\s+|var\s+|v/\s*)?{_ROLE_NAME}", text
        ):
            name = match.group(1)
            if is_given_name(name.split()[0]):
                found.append(
                    Candidate("person", role, name, key_of(name), match.start(1), match.end(1), role)
                )
        # "Lill-Tove Rasmussen, prosjektleder, Nordlandssykehuset HF"
        for match in re.finditer(rf"{_ROLE_NAME}\s*,\s*(?i:(?:{alternation}))\b", text):
            name = match.group(1)
            if is_given_name(name.split()[0]):
                found.append(
                    Candidate("person", role, name, key_of(name), match.start(1), match.end(1), role)
                )
    for match in re.finditer(rf"{_ROLE_NAME},?\s+som\s+har\s+(?:ledet|leia|leda)", text):
        name = match.group(1)
        if is_given_name(name.split()[0]):
            found.append(
                Candidate("person", "leads", name, key_of(name), match.start(1), match.end(1), "leads")
            )
    return found
