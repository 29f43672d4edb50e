"""The served side: the ``hfkg`` command line, the HTTP JSON API and the web UI."""
