"""RDF knowledge graph (vocabulary, store, queries) built from ingested documents."""
