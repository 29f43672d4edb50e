"""The ``hfkg`` command line: ingest, documents, document, search, ask, eval, entities, entity, export,
check and serve.

parser.py builds the parser; dispatch.py runs a command; one module per command group (ingest.py,
reading.py, evaluate.py, check.py, serve.py); output.py prints; stores.py and client.py are where the
read commands read from (the stores, or the server that owns them: api/reads.py).
"""

from api.cli.dispatch import main

__all__ = ["main"]
