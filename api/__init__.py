"""The ``hfkg`` command line and (later) the HTTP API."""
