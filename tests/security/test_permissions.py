"""The data directory is its owner's only (issue 10, item 13): it was world-readable (dirs 0755;
manifest, index, graph and uploads 0644), so any local user could read every document, including
uploads the API never shows whole. Files and folders are created owner-only from the start."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.conftest import CORPUS
from tests.security.running_server import cli, request, serving

KEY = "perm-test-key"


def _open_to_others(root: Path) -> list[str]:
    """Every path under ``root`` (itself included) that its group or others may read, write or enter."""
    found = []
    for path in [root, *root.rglob("*")]:
        try:
            mode = stat.S_IMODE(os.lstat(path).st_mode)
        except FileNotFoundError:
            continue  # RocksDB compacts files away while we walk: what is gone is readable by no one
        if mode & 0o077 and not path.is_symlink():
            found.append(f"{oct(mode)} {path.relative_to(root.parent)}")
    return found


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "hfkgtestboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_data_directory_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest = cli(data, "ingest", str(CORPUS / "ostfold-handlingsplan-2023-2024.txt"), umask=0o022)
    assert ingest.returncode == 0, ingest.stderr
    with serving(data, umask=0o022, env={"HFKG_API_KEY": KEY}) as (_, base):
        body, content_type = _multipart(
            "referat.txt", (CORPUS / "vestfold-handlingsplan-2023.txt").read_bytes()
        )
        status, _ = request(
            base + "/documents",
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "X-API-Key": KEY},
        )
        assert status == 201
        assert (data / "server.json").exists() and list((data / "uploads").iterdir())
        assert _open_to_others(data) == []
    assert _open_to_others(data) == []


def test_a_data_directory_an_earlier_version_left_open_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest = cli(data, "ingest", str(CORPUS / "ostfold-handlingsplan-2023-2024.txt"), umask=0o022)
    assert ingest.returncode == 0, ingest.stderr
    for path in [data, *data.rglob("*")]:  # as the earlier version left it
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert cli(data, "documents", umask=0o022).returncode == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700  # the folder closed, nothing inside is reachable
    empty = tmp_path / "not-a-data-directory"
    empty.mkdir(mode=0o755)
    empty.chmod(0o755)
    assert cli(empty, "documents", umask=0o022).returncode == 0
    assert stat.S_IMODE(empty.stat().st_mode) == 0o755  # a folder with no manifest is not ours to change
