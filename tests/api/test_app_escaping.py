"""HTML and script in document text are shown as text in the UI, never run."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from api.settings import Settings


def test_script_in_a_document_is_escaped_in_every_view(tmp_path: Path) -> None:
    source = tmp_path / "in" / "notat.md"
    source.parent.mkdir()
    source.write_text(
        "Referat\n\nSak 1/24 <script>alert(1)</script> Tiltak for barn og unge i Vestfold.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data")
    with Services(settings, write=True) as services:
        (report,) = list(services.ingestor().run([source]))
    with TestClient(create_app(settings)) as client:
        pages = [client.get(f"/dokumenter/{report.doc_ids[0]}").text, client.get("/sok?q=tiltak").text]
    for page in pages:
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
