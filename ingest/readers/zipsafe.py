"""Office files are zip packages: opened here, checked before any library parses a part of them.

A zip states each member's size; a hostile one states small sizes and holds a decompression bomb,
or states huge ones. So before python-docx, odfpy or python-pptx read a byte we check the stated
sizes against the text limit and the compression ratio, then decompress every member once, counting
what comes out (zipfile stops at the stated size and checks the CRC, so a member that lies about its
size fails here, not inside a library). An encrypted Word, Excel or PowerPoint file is no zip at all
but an OLE compound file with an ``EncryptionInfo`` stream: recognised by its first bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ingest.errors import EncryptedDocument, FileTooLarge, IngestError
from ingest.readers.base import Limits

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE directory are UTF-16LE; an encrypted OOXML package has both.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

MAX_MEMBERS = 20_000
# XML compresses some 5-20 times, a table of empty cells up to 100; a member far beyond that is a bomb.
MAX_RATIO = 200
RATIO_FLOOR = 4 * 1_048_576  # small members may compress as they like: they cost nothing
# Markup around text: a package's parts may hold this many times the text limit before we refuse.
PACKAGE_TEXT_FACTOR = 4
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Package:
    """A checked zip package: its members' names and the bytes to give the library."""

    names: frozenset[str]
    data: bytes

    def archive(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.data))

    def read(self, name: str) -> bytes:
        with self.archive() as archive:
            return archive.read(name)


def is_ole(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)


def reject_ole(data: bytes, kind: str) -> None:
    """An OLE compound file where a zip package belongs: encrypted, or the older binary format."""
    if _ENCRYPTION_INFO in data and _ENCRYPTED_PACKAGE in data:
        raise EncryptedDocument(f"password-protected {kind} (encrypted): cannot be read without its password")
    raise IngestError(
        f"not a {kind} but an older binary Office file (.doc/.ppt/.xls): save it as the newer format"
    )


def open_package(data: bytes, kind: str, limits: Limits) -> Package:
    """Check ``data`` as a zip package and every member's size; raises with the reason a person can act on."""
    if is_ole(data[:8]):
        reject_ole(data, kind)
    if not data.startswith(ZIP_MAGIC):
        raise IngestError(f"not a valid {kind}: not a zip package")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_stated(members, kind, limits)
            for member in members:
                _check_actual(archive, member, kind)
            names = frozenset(member.filename for member in members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise IngestError(f"corrupt or truncated {kind}: {exc}") from exc
    except NotImplementedError as exc:  # a compression method zipfile does not have, or zip encryption
        raise IngestError(f"{kind} cannot be unpacked: {exc}") from exc
    return Package(names=names, data=data)


def _limit(limits: Limits) -> int:
    return PACKAGE_TEXT_FACTOR * limits.max_text_bytes


def _check_stated(members: list[zipfile.ZipInfo], kind: str, limits: Limits) -> None:
    if len(members) > MAX_MEMBERS:
        raise FileTooLarge(f"{kind} holds {len(members)} parts, over the limit of {MAX_MEMBERS}")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise EncryptedDocument(f"{kind} with encrypted parts: cannot be read without its password")
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise FileTooLarge(
                f"{kind} part {member.filename} unpacks {member.compress_size:,} bytes to "
                f"{member.file_size:,} (over {MAX_RATIO} times): a zip bomb?"
            )
        total += member.file_size
        if total > _limit(limits):
            raise FileTooLarge(
                f"{kind} unpacks to over {_limit(limits) / 1_048_576:.1f} MB, over the limit for text "
                f"({PACKAGE_TEXT_FACTOR} times HFKG_MAX_TEXT_MB)"
            )


def _check_actual(archive: zipfile.ZipFile, member: zipfile.ZipInfo, kind: str) -> None:
    """Decompress one member, counting: never more than it states (zipfile stops there and then checks
    the CRC, which fails for a member that holds more than it says)."""
    count = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            count += len(chunk)
            if count > member.file_size:  # zipfile's own bound; kept should it ever change
                raise FileTooLarge(
                    f"{kind} part {member.filename} unpacks to more than it states: a zip bomb?"
                )
