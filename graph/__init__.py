"""The RDF knowledge graph of the ingested documents: the vocabulary (vocab), each document as RDF
(build), the backends behind one interface (base: the embedded Oxigraph store in store, a SPARQL
server in remote), the questions it answers (queries, evidence, labels, entity_pages, views) and the
read-only SPARQL endpoint (sparql_endpoint, sparql, sparql_pool, sparql_worker)."""
