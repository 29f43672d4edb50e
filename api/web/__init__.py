"""The web UI: server-rendered pages over the same read model as the JSON API, without JavaScript.

routes.py       the pages (/, /sok, /spor, /dokumenter, /enheter): reads, then renders
views.py        what each page shows, gathered as plain data for its template
neighbourhood.py  the layout of an entity's neighbourhood picture (positions, lines, legend)
labels.py       the names the pages give things (the registry's labels of kinds and relations)
links.py        the pages' addresses
render.py       the one Jinja2 environment (autoescape on) and its filters
templates/      base.html, one template per page, macros/ for the pieces the pages share
static/         the stylesheet and the icon, served at /static
"""
