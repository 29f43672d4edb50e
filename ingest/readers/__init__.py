"""One small module per input format behind one contract (see :mod:`ingest.readers.base`)."""

from ingest.readers.base import Reader, read_file, reader_for

__all__ = ["Reader", "read_file", "reader_for"]
