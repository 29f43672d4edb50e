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
