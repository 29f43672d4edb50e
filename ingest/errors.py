"""Errors raised below ``api/``; the CLI maps them to report lines and exit codes, the API to statuses."""


class HfkgError(Exception):
    """Base of every error the library raises on purpose."""


class IngestError(HfkgError):
    """A file could not be ingested; the message is the reason shown to the user."""


class UnsupportedFormat(IngestError):
    """No reader handles this kind of file."""


class FileTooLarge(IngestError):
    """The file is over the configured size limit."""


class EncryptedDocument(IngestError):
    """The file is protected by a password we do not have."""


class EmptyDocument(IngestError):
    """The file holds no text: empty, or a scan without a text layer."""


class NotFound(HfkgError):
    """A requested document or entity does not exist."""


class QueryError(HfkgError):
    """A query could not be understood or is not allowed."""


class StoreUnreadable(HfkgError):
    """A store of the data directory (the manifest, the search index, the graph) cannot be read.

    Never a reason to delete anything: whoever meets it stops and says which store and what to do.
    """

    def __init__(self, store: str, message: str) -> None:
        super().__init__(message)
        self.store = store


class ManifestUnreadable(StoreUnreadable):
    """``manifest.sqlite`` is empty, not a database, damaged, or not an hfkg manifest."""

    def __init__(self, message: str) -> None:
        super().__init__("manifest", message)


class DocumentDamaged(HfkgError):
    """A document the manifest names has no readable file in ``docs/`` (missing, truncated, not JSON)."""

    def __init__(self, doc_id: str, message: str) -> None:
        super().__init__(message)
        self.doc_id = doc_id


class UnfinishedChange(HfkgError):
    """A change was begun while another one is still in the journal (it must be finished or undone first)."""


class RepairRefused(HfkgError):
    """``check --repair`` would take away more than the manifest accounts for: the manifest looks wrong."""
