"""The bodies of the web UI's pages, in Norwegian (bokmål). Data in, escaped HTML out."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from api.templates import (
    ENTITY_TYPES,
    document_url,
    e,
    entity_url,
    fmt_date,
    predicate_label,
    short,
    snippet_html,
    type_label,
    url,
)
from api.templates.graphics import graph_legend, neighbor_list, neighborhood_svg, timeline_html

FILTERS = ("year", "type", "fellesskap", "committee", "entity_type", "entity")
FACET_TITLES = {"year": "År", "doc_type": "Dokumenttype", "fellesskap": "Helsefellesskap",
                "committee": "Utvalg", "entity_type": "Enhetstype"}
FACET_PARAM = {"doc_type": "type"}
FACET_SHOWN = 8
EXAMPLE_QUESTIONS = [
    "Hvilke tiltak retter seg mot skrøpelige eldre?",
    "Hvilke kommuner deltar i Vitality?",
    "Hvilken kommune er pilotkommune for Ung Arena+?",
    "Hvem var møteleder for SSU-møtet 29.02.24 i Vestfold?",
    "Hvilke fagutvalg finnes i Helsefellesskapet i Vestfold?",
]


def search_form(q: str = "", kind: str = "passage", *, hidden: dict[str, str] | None = None, big: bool = False) -> str:
    kinds = "".join(f'<option value="{v}"{" selected" if v == kind else ""}>{label}</option>'
                    for v, label in (("passage", "Tekst i dokumentene"), ("decision", "Saker og vedtak")))
    keep = "".join(f'<input type="hidden" name="{e(k)}" value="{e(v)}">' for k, v in (hidden or {}).items() if v)
    return f"""<form class="search-form{' big' if big else ''}" action="/sok" method="get" role="search">
  <div class="field grow"><label for="sok-q">Søk i dokumentene</label>
    <input id="sok-q" type="search" name="q" value="{e(q)}" placeholder="f.eks. fagutvalg for fastleger" autocomplete="off"></div>
  <div class="field"><label for="sok-kind">Søk i</label><select id="sok-kind" name="kind">{kinds}</select></div>
  {keep}<button type="submit" class="primary">Søk</button>
</form>"""


def ask_form(q: str = "", *, big: bool = False) -> str:
    return f"""<form class="ask-form{' big' if big else ''}" action="/spor" method="get">
  <div class="field grow"><label for="spor-q">Still et spørsmål</label>
    <input id="spor-q" type="text" name="q" value="{e(q)}" placeholder="Hvilke tiltak retter seg mot skrøpelige eldre?" autocomplete="off" required></div>
  <button type="submit" class="primary">Spør</button>
</form>"""


def home(stats: dict[str, Any]) -> str:
    examples = "".join(f'<li><a href="{e(url("/spor", q=q))}">{e(q)}</a></li>' for q in EXAMPLE_QUESTIONS)
    types = "".join(
        f'<li><a href="{e(url("/enheter", type=t))}"><span class="num">{n}</span> {e(type_label(t, plural=True))}</a></li>'
        for t, n in stats["types"].items())
    return f"""<section class="hero">
  <h1>Finn vedtak, tiltak og sammenhenger i helsefellesskapene</h1>
  <p class="lead">Søk i handlingsplaner, årsmeldinger, innkallinger og referater fra {stats["documents"]} dokumenter,
  eller spør med vanlige ord. Alle svar viser til dokumentet og siden de kommer fra.</p>
  {search_form(big=True)}
</section>
<div class="columns">
  <section class="card" aria-labelledby="spor-tittel"><h2 id="spor-tittel">Spør</h2>{ask_form()}
    <h3 class="small-heading">Eksempler</h3><ul class="plain-list examples">{examples}</ul></section>
  <section class="card" aria-labelledby="utforsk-tittel"><h2 id="utforsk-tittel">Utforsk kunnskapsgrafen</h2>
    <ul class="type-grid">{types}</ul>
    <p><a href="/dokumenter">Alle {stats["documents"]} dokumenter</a></p></section>
</div>"""


# -- search -------------------------------------------------------------------------------------
def search_page(params: dict[str, str], result: dict[str, Any] | None, names: dict[str, dict[str, str]],
                per_page: int) -> str:
    q, kind = params.get("q", ""), params.get("kind", "passage")
    active = {k: params[k] for k in FILTERS if params.get(k)}
    form = search_form(q, kind, hidden=active)
    if result is None:
        return f'<h1 class="visually-hidden">Søk</h1>{form}<p class="muted">Skriv noen ord, eller velg et filter.</p>'
    chips = "".join(
        f'<li><span>{e(FACET_TITLES.get("doc_type" if k == "type" else k, "Enhet"))}: '
        f'{e(names.get(k, {}).get(v, v))}</span> <a href="{e(url("/sok", **{**params, k: None, "side": None}))}" '
        f'aria-label="Fjern filteret {e(names.get(k, {}).get(v, v))}">×</a></li>'
        for k, v in active.items())
    facets = "".join(_facet(name, counts, params, names) for name, counts in result["facets"].items()
                     if any(key for key in counts))
    total = result["total"]
    hits = "".join(_hit(hit) for hit in result["hits"])
    did = ""
    if result.get("did_you_mean"):
        did = (f'<p class="did-you-mean">Mente du <a href="{e(url("/sok", **{**params, "q": result["did_you_mean"]}))}">'
               f'{e(result["did_you_mean"])}</a>?</p>')
    what = "saker" if kind == "decision" else "treff"
    summary = f'<p class="result-count" role="status">{total} {what}{" for «" + e(q) + "»" if q else ""}</p>'
    body = hits or '<p class="empty-state">Ingen treff. Prøv andre ord eller fjern et filter.</p>'
    return f"""<h1 class="visually-hidden">Søkeresultater</h1>{form}
{f'<ul class="chips" aria-label="Valgte filtre">{chips}</ul>' if chips else ''}
<div class="with-sidebar">
  <aside class="facets" aria-label="Avgrens søket">{facets}</aside>
  <section class="results" aria-label="Treff">{summary}{did}<ol class="hits">{body}</ol>{_pager(params, total, per_page)}</section>
</div>"""


def _facet(name: str, counts: dict[str, int], params: dict[str, str], names: dict[str, dict[str, str]]) -> str:
    param = FACET_PARAM.get(name, name)
    chosen = params.get(param)
    items = []
    for value, count in list(counts.items())[:30]:
        if not value:
            continue
        label = names.get(param, {}).get(value, value)
        if param == "entity_type":
            label = type_label(value)
        elif param == "type":
            label = value.capitalize()
        selected = chosen == value
        target = url("/sok", **{**params, param: None if selected else value, "side": None})
        mark = ' aria-current="true" class="selected"' if selected else ""
        items.append(f'<li><a href="{e(target)}"{mark}>'
                     f'<span class="facet-label">{e(label)}</span><span class="count">{count}</span></a></li>')
    if not items:
        return ""
    shown, rest = items[:FACET_SHOWN], items[FACET_SHOWN:]
    more = (f'<details><summary>Vis {len(rest)} til</summary><ul>{"".join(rest)}</ul></details>' if rest else "")
    return (f'<section class="facet"><h2>{e(FACET_TITLES.get(name, name))}</h2>'
            f'<ul>{"".join(shown)}</ul>{more}</section>')


def _hit(hit: dict[str, Any]) -> str:
    link = document_url(hit["doc_id"], hit.get("passage_id"))
    when = fmt_date(hit.get("date")) or (str(hit["year"]) if hit.get("year") else "")
    if hit.get("kind") == "decision":
        title = " ".join(x for x in ("Sak", hit.get("number") or "", hit["title"]) if x)
        meta = [hit.get("body"), hit.get("document_title"), when, f"s. {hit['page']}" if hit.get("page") else None]
        extra = ""
        if hit.get("conclusion"):
            extra = (f'<p class="conclusion"><strong>{e(hit.get("conclusion_label") or "Konklusjon")}:</strong> '
                     f'{e(short(hit["conclusion"], 420))}</p>')
    else:
        title = hit["title"]
        meta = [(hit.get("doc_type") or "").capitalize(), hit.get("fellesskap_name"), when,
                f"s. {hit['page']}" if hit.get("page") else None]
        extra = ""
    section = f'<p class="section-path">{e(hit["section"])}</p>' if hit.get("section") else ""
    entities = "".join(f'<li><a class="tag tag-{e(x.get("type"))}" href="{e(entity_url(x["id"]))}">{e(x["label"])}</a></li>'
                       for x in hit.get("entities", [])[:6])
    return f"""<li class="hit">
  <h2 class="hit-title"><a href="{e(link)}">{e(title)}</a></h2>
  <p class="meta">{" · ".join(e(m) for m in meta if m)}</p>{section}
  <p class="snippet">{snippet_html(hit.get("snippet"))}</p>{extra}
  {f'<ul class="tags" aria-label="Enheter i treffet">{entities}</ul>' if entities else ''}
</li>"""


def _pager(params: dict[str, str], total: int, per_page: int) -> str:
    current = max(1, int(params.get("side") or 1))
    pages = (total + per_page - 1) // per_page
    if pages <= 1:
        return ""
    prev = (f'<a rel="prev" href="{e(url("/sok", **{**params, "side": current - 1}))}">← Forrige</a>'
            if current > 1 else "")
    nxt = (f'<a rel="next" href="{e(url("/sok", **{**params, "side": current + 1}))}">Neste →</a>'
           if current < pages else "")
    return f'<nav class="pager" aria-label="Sider">{prev}<span>Side {current} av {pages}</span>{nxt}</nav>'


# -- ask ----------------------------------------------------------------------------------------
def ask_page(q: str, response: dict[str, Any] | None, communities: dict[str, str] | None = None) -> str:
    form = ask_form(q, big=True)
    if response is None:
        examples = "".join(f'<li><a href="{e(url("/spor", q=x))}">{e(x)}</a></li>' for x in EXAMPLE_QUESTIONS)
        return (f'<h1>Spør</h1><p class="lead">Still spørsmål om tiltak, kommuner, utvalg, møter og vedtak. '
                f'Svarene hentes fra kunnskapsgrafen, med kildene de bygger på.</p>{form}'
                f'<h2 class="small-heading">Prøv for eksempel</h2><ul class="plain-list examples">{examples}</ul>')
    answers = "".join(_answer(a, communities or {}) for a in response["answers"])
    hits = ""
    if response["hits"]:
        heading = "Relevante saker og avsnitt" if response["answers"] else "Ingen svar i kunnskapsgrafen – søketreff"
        hits = f'<section class="fallback"><h2>{heading}</h2><ol class="hits">{"".join(_hit(h) for h in response["hits"])}</ol></section>'
    count = len(response["answers"])
    status = (f'{count} svar' if count else "Fant ingen svar i kunnskapsgrafen.")
    return f"""<h1>Spør</h1>{form}
<p class="interpretation"><span class="muted">Tolket som:</span> <code>{e(response["interpretation"])}</code></p>
<p class="result-count" role="status">{status}</p>
<ol class="answers">{answers}</ol>{hits}"""


EVIDENCE_SHOWN = 2


def _answer(answer: dict[str, Any], communities: dict[str, str]) -> str:
    evidence = []
    for item in answer["evidence"]:
        link = document_url(item["doc_id"], item.get("passage_id")) if item.get("doc_id") else None
        where = f'{item.get("title") or "Dokument"}{", s. " + str(item["page"]) if item.get("page") else ""}'
        cite = f'<a class="evidence-link" href="{e(link)}">{e(where)}</a>' if link else e(where)
        evidence.append(f'<li><blockquote>{e(short(item.get("text"), 360))}</blockquote><p class="cite">— {cite}</p></li>')
    detail = answer.get("detail") or {}
    extra = ""
    if detail.get("meeting"):
        extra = f'<p class="meta">Møte: <a href="{e(entity_url(detail["meeting_id"]))}">{e(detail["meeting"])}</a></p>'
    elif detail.get("conclusion"):
        extra = f'<p class="conclusion"><strong>Konklusjon:</strong> {e(short(detail["conclusion"], 420))}</p>'
    label = (f'<a href="{e(entity_url(answer["id"]))}">{e(answer["label"])}</a>'
             if answer.get("id") and answer["type"] != "decision" else e(answer["label"]))
    # Ids like initiative/ostfold/x carry their helsefellesskap: tells apart two tiltak of one name.
    parts = (answer.get("id") or "").split("/")
    where = communities.get(parts[1], "") if len(parts) == 3 else ""
    if where and not extra:
        extra = f'<p class="meta">{e(where)}</p>'
    shown, rest = evidence[:EVIDENCE_SHOWN], evidence[EVIDENCE_SHOWN:]
    more = (f'<details class="more-evidence"><summary>Vis {len(rest)} kilde{"r" if len(rest) != 1 else ""} til'
            f'</summary><ul class="evidence">{"".join(rest)}</ul></details>' if rest else "")
    return f"""<li class="answer card">
  <h2 class="answer-title">{label} <span class="badge badge-{e(answer["type"])}">{e(type_label(answer["type"]))}</span></h2>{extra}
  <ul class="evidence" aria-label="Kilder">{"".join(shown)}</ul>{more}
</li>"""


# -- documents ----------------------------------------------------------------------------------
def documents_page(docs: list[dict[str, Any]]) -> str:
    rows = []
    for d in docs:
        dup = ' <span class="badge">duplikat</span>' if d.get("duplicate_of") else ""
        rows.append(f'<tr><td><a href="{e(document_url(d["doc_id"]))}">{e(d["title"])}</a>{dup}</td>'
                    f'<td>{e((d.get("doc_type") or "").capitalize())}</td><td>{e(d.get("fellesskap") or "")}</td>'
                    f'<td>{e(fmt_date(d.get("date")) or d.get("year") or "")}</td><td class="num">{e(d.get("pages"))}</td>'
                    f'<td class="num">{e(d.get("agenda_items"))}</td></tr>')
    return f"""<h1>Dokumenter</h1><p class="lead">{len(docs)} dokumenter er lest inn.</p>
<div class="table-wrap"><table><caption class="visually-hidden">Innleste dokumenter</caption>
<thead><tr><th scope="col">Tittel</th><th scope="col">Type</th><th scope="col">Helsefellesskap</th><th scope="col">Dato</th>
<th scope="col" class="num">Sider</th><th scope="col" class="num">Saker</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>"""


def document_page(doc: dict[str, Any], labels: dict[str, str]) -> str:
    facts = [("Type", (doc.get("doc_type") or "").capitalize()), ("Helsefellesskap", doc.get("fellesskap")),
             ("Dato", fmt_date(doc.get("date"))), ("År", ", ".join(str(y) for y in doc.get("years") or [])),
             ("Sider", doc.get("pages")), ("Kilde", doc.get("source"))]
    dl = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in facts if v not in (None, ""))
    if doc.get("duplicate_of"):
        dl += (f'<div><dt>Duplikat av</dt><dd><a href="{e(document_url(doc["duplicate_of"]))}">'
               f'{e(labels.get(doc["duplicate_of"], doc["duplicate_of"]))}</a></dd></div>')
    toc = ['<li><a href="#moter">Møter og saker</a></li>'] if doc["meetings"] else []
    toc += [f'<li><a href="#side-{p["page"]}">Side {p["page"]}</a></li>' for p in doc["passages_by_page"]]
    if doc["entities"]:
        toc.append('<li><a href="#enheter">Enheter</a></li>')
    types = {x["id"]: x["type"] for x in doc["entities"]}
    names = {x["id"]: x["label"] for x in doc["entities"]}
    return f"""<nav class="breadcrumb" aria-label="Brødsmuler"><a href="/dokumenter">Dokumenter</a> ›</nav>
<h1>{e(doc["title"])}</h1>
<dl class="facts">{dl}</dl>
<div class="with-sidebar doc-layout">
  <nav class="toc" aria-label="Innhold i dokumentet"><h2>Innhold</h2><ul>{"".join(toc)}</ul></nav>
  <div class="doc-body">{_meetings(doc)}{_pages(doc, types, names)}{_doc_entities(doc)}</div>
</div>"""


def _meetings(doc: dict[str, Any]) -> str:
    if not doc["meetings"]:
        return ""
    out = ['<section id="moter" aria-labelledby="moter-tittel"><h2 id="moter-tittel">Møter og saker</h2>']
    for meeting in doc["meetings"]:
        head = " · ".join(x for x in (meeting.get("body"), fmt_date(meeting.get("date")), meeting.get("time"),
                                       meeting.get("place")) if x)
        people = "".join(f"<div><dt>{k}</dt><dd>{e(v)}</dd></div>" for k, v in
                         (("Møteleder", meeting.get("chair")), ("Referent", meeting.get("minute_taker"))) if v)
        rows = []
        for item in meeting["agenda_items"]:
            title = (f'<a href="{e(document_url(doc["doc_id"], item["passage_id"]))}">{e(item["title"])}</a>'
                     if item.get("passage_id") else e(item["title"]))
            conclusion = ""
            if item.get("conclusion"):
                conclusion = (f'<span class="label">{e(item.get("conclusion_label") or "Konklusjon")}:</span> '
                              f'{e(short(item["conclusion"], 600))}')
            rows.append(f'<tr><th scope="row" class="nowrap">{e(item.get("number") or "–")}</th><td>{title}</td>'
                        f'<td>{e((item.get("kind") or "").capitalize())}</td><td>{conclusion}</td></tr>')
        table = (f'<div class="table-wrap"><table class="agenda"><caption>Saksliste</caption><thead><tr>'
                 f'<th scope="col">Saksnr.</th><th scope="col">Tittel</th><th scope="col">Type</th>'
                 f'<th scope="col">Konklusjon / vedtak</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
                 if rows else "")
        out.append(f'<article class="meeting card"><h3>{e(head or "Møte")}</h3>'
                   f'{f"<dl class=facts>{people}</dl>" if people else ""}{table}</article>')
    out.append("</section>")
    return "".join(out)


def _pages(doc: dict[str, Any], types: dict[str, str], names: dict[str, str]) -> str:
    out = []
    for group in doc["passages_by_page"]:
        parts = [f'<section class="page" id="side-{group["page"]}" aria-labelledby="side-{group["page"]}-t">'
                 f'<h2 id="side-{group["page"]}-t" class="page-heading">Side {group["page"]}</h2>']
        section: list[str] | None = None
        for p in group["passages"]:
            if p["section"] != section and p["section"]:
                parts.append(f'<h3 class="section-path">{" › ".join(e(s) for s in p["section"])}</h3>')
            section = p["section"]
            parts.append(f'<p class="passage passage-{e(p["kind"])}" id="{e(p["passage_id"])}" tabindex="-1">'
                         f'{marked_text(p["text"], p["mentions"], types, names)}</p>')
        parts.append("</section>")
        out.append("".join(parts))
    return "".join(out)


def marked_text(text: str, mentions: list[dict[str, Any]], types: dict[str, str], names: dict[str, str]) -> str:
    """The passage with each entity mention as a link to the entity; overlapping mentions are skipped."""
    out, position = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = m["start"], m["end"]
        if start < position or end > len(text) or start >= end:
            continue
        kind = types.get(m["entity_id"], "entity")
        out.append(e(text[position:start]))
        out.append(f'<a class="ent ent-{e(kind)}" href="{e(entity_url(m["entity_id"]))}" '
                   f'title="{e(names.get(m["entity_id"], m["entity_id"]))} – {e(type_label(kind))}">{e(text[start:end])}</a>')
        position = end
    out.append(e(text[position:]))
    return "".join(out)


def _doc_entities(doc: dict[str, Any]) -> str:
    if not doc["entities"]:
        return ""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for x in doc["entities"]:
        groups[x["type"]].append(x)
    order = list(ENTITY_TYPES)
    blocks = []
    for kind in sorted(groups, key=lambda t: order.index(t) if t in order else 99):
        links = "".join(f'<li><a class="tag tag-{e(kind)}" href="{e(entity_url(x["id"]))}">{e(x["label"])}'
                        f'<span class="count">{x["mentions"]}</span></a></li>' for x in groups[kind])
        blocks.append(f'<h3 class="small-heading">{e(type_label(kind, plural=True))}</h3><ul class="tags">{links}</ul>')
    return f'<section id="enheter" aria-labelledby="enheter-t"><h2 id="enheter-t">Enheter i dokumentet</h2>{"".join(blocks)}</section>'


# -- entities -----------------------------------------------------------------------------------
def entities_page(type_: str | None, q: str, total: int, items: list[dict[str, Any]], offset: int, limit: int) -> str:
    options = '<option value="">Alle typer</option>' + "".join(
        f'<option value="{k}"{" selected" if k == type_ else ""}>{e(v[1])}</option>' for k, v in ENTITY_TYPES.items())
    rows = "".join(f'<tr><td><a href="{e(entity_url(x["id"]))}">{e(x["label"])}</a></td>'
                   f'<td>{e(type_label(x["type"]))}</td><td class="num">{x["mentions"]}</td></tr>' for x in items)
    pager = ""
    if total > limit:
        prev = (f'<a rel="prev" href="{e(url("/enheter", type=type_, q=q, fra=max(0, offset - limit)))}">← Forrige</a>'
                if offset > 0 else "")
        nxt = (f'<a rel="next" href="{e(url("/enheter", type=type_, q=q, fra=offset + limit))}">Neste →</a>'
               if offset + limit < total else "")
        pager = f'<nav class="pager" aria-label="Sider">{prev}<span>{offset + 1}–{min(total, offset + limit)} av {total}</span>{nxt}</nav>'
    return f"""<h1>Enheter</h1>
<form class="filter-form" action="/enheter" method="get">
  <div class="field"><label for="enhet-type">Type</label><select id="enhet-type" name="type">{options}</select></div>
  <div class="field grow"><label for="enhet-q">Navn inneholder</label><input id="enhet-q" type="search" name="q" value="{e(q)}"></div>
  <button type="submit" class="primary">Vis</button>
</form>
<p class="result-count" role="status">{total} enheter</p>
<div class="table-wrap"><table><caption class="visually-hidden">Enheter</caption><thead><tr><th scope="col">Navn</th>
<th scope="col">Type</th><th scope="col" class="num">Omtaler</th></tr></thead><tbody>{rows}</tbody></table></div>{pager}"""


def entity_page(entity: dict[str, Any], timeline: list[dict[str, Any]], hood: dict[str, Any]) -> str:
    facts = []
    if entity.get("aliases"):
        facts.append(("Også kalt", ", ".join(entity["aliases"][:12])))
    for key, value in (entity.get("attributes") or {}).items():
        if key in ("fellesskap",):
            continue
        facts.append((ATTRIBUTE_NAMES.get(key, key), value))
    facts.append(("Omtalt i", f'{entity.get("mentions", 0)} avsnitt'))
    dl = "".join(f"<div><dt>{e(k)}</dt><dd>{e(fmt_date(str(v)))}</dd></div>" for k, v in facts)
    relations = _relations(entity["relations"])
    search_link = url("/sok", entity=entity["id"])
    graph = (f'{neighborhood_svg(hood)}{graph_legend(hood)}'
             f'<details><summary>Vis naboene som liste</summary>{neighbor_list(hood)}</details>'
             if len(hood["nodes"]) > 1 else '<p class="muted">Ingen relasjoner til andre enheter.</p>')
    return f"""<nav class="breadcrumb" aria-label="Brødsmuler"><a href="{e(url("/enheter", type=entity.get("type")))}">{e(type_label(entity.get("type"), plural=True))}</a> ›</nav>
<h1>{e(entity["label"])} <span class="badge badge-{e(entity.get("type"))}">{e(type_label(entity.get("type")))}</span></h1>
<dl class="facts">{dl}</dl>
<p><a class="button" href="{e(search_link)}">Søk i avsnitt som nevner {e(entity["label"])}</a></p>
<section aria-labelledby="nabo-t" class="card graph-card"><h2 id="nabo-t">Nabolag</h2>{graph}</section>
<div class="columns entity-columns">
  <section aria-labelledby="rel-t" class="card"><h2 id="rel-t">Relasjoner</h2>{relations}</section>
  <section aria-labelledby="tid-t" class="card"><h2 id="tid-t">Tidslinje</h2>{timeline_html(timeline)}</section>
</div>"""


ATTRIBUTE_NAMES = {"kind": "Art", "municipalityNumber": "Kommunenummer", "county": "Fylke", "date": "Dato",
                   "formerName": "Tidligere navn", "place": "Sted", "number": "Saksnummer", "conclusion": "Konklusjon"}


def _relations(relations: list[dict[str, Any]]) -> str:
    if not relations:
        return '<p class="muted">Ingen relasjoner.</p>'
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in relations:
        groups[predicate_label(r["predicate"], r["direction"])].append(r)
    blocks = []
    for name, items in groups.items():
        links = "".join(
            f'<li><a href="{e(entity_url(r["id"]))}">{e(r["label"])}</a> <span class="muted">{e(type_label(r.get("type")))}'
            f' · {r["evidence_count"]} belegg</span></li>' for r in sorted(items, key=lambda r: r["label"].lower()))
        blocks.append(f'<h3 class="small-heading">{e(name.capitalize())}</h3><ul class="plain-list">{links}</ul>')
    return "".join(blocks)


def error_page(status: int, message: str) -> str:
    title = {404: "Fant ikke siden", 400: "Ugyldig forespørsel"}.get(status, "Noe gikk galt")
    return (f'<h1>{e(title)}</h1><p class="lead">{e(message)}</p>'
            f'<p><a href="/">Til forsiden</a> · <a href="/sok">Søk</a></p>')
