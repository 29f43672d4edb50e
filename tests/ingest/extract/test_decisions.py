"""A case is one decision whichever paper tells of it: the SSU notice of 29.02.24 lists "Sak 2024.6" on its
agenda and the case paper bundled with it sets it out; both name the same decision (issue 13: one case was
shown as two, "Sak 2024.6 Samhandlingsdata…" and "Sak 2024.6 Styringsdata…")."""

from __future__ import annotations

from collections import defaultdict

from ingest import ids
from ingest.extract.names.committees import body_label
from ingest.store import DocumentStore


def test_a_case_of_a_meeting_is_one_decision_across_its_papers(corpus_store: DocumentStore) -> None:
    by_number: dict[str, set[str]] = defaultdict(set)
    papers: dict[str, set[str]] = defaultdict(set)
    for doc_id in corpus_store.doc_ids():
        doc = corpus_store.document(doc_id)
        for entity in doc.entities:
            if entity.type == "decision" and entity.attrs.get("number"):
                by_number[entity.attrs["number"]].add(entity.id)
                papers[entity.id].add(doc_id)
    # FSU's case 2024.6 of 25.01.24 is another body's case; SSU's is one decision, not one per paper.
    assert by_number["2024.6"] == {
        "decision/vestfold/ssu/2024-02-29/2024-6",
        "decision/vestfold/fsu/2024-01-25/2024-6",
    }, by_number["2024.6"]
    assert len(papers["decision/vestfold/ssu/2024-02-29/2024-6"]) == 2  # the notice and the case paper


def test_a_case_without_a_dated_meeting_is_keyed_by_its_paper() -> None:
    assert ids.decision("18a91a857807f2a9", "Sak 12/24") == "decision/18a91a857807f2a9/sak-12-24"
    meeting = ids.meeting("helgeland", "OSU", "2024-05-02")
    assert ids.meeting_decision(meeting, "12/24") == "decision/helgeland/osu/2024-05-02/12-24"


def test_a_body_whose_short_form_is_its_name_is_named_once() -> None:
    assert body_label("Partnerskapsmøte", "Partnerskapsmøte") == "Partnerskapsmøte"
    assert body_label("Strategisk samarbeidsutvalg", "SSU") == "Strategisk samarbeidsutvalg (SSU)"


def test_the_people_a_meeting_names_are_mentioned_where_it_names_them(corpus_store: DocumentStore) -> None:
    """Chairs, minute-takers, the present and the absent had relations but no mentions, so the entity
    register showed them with "0" mentions."""
    unmentioned = []
    for doc_id in corpus_store.doc_ids():
        doc = corpus_store.document(doc_id)
        mentioned = {m.entity_id for m in doc.mentions}
        unmentioned += [
            (doc_id, e.label) for e in doc.entities if e.type == "person" and e.id not in mentioned
        ]
    assert not unmentioned, unmentioned
