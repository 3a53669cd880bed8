"""The output formats of a graph (adcli/see/model.py): text (a rich tree), dot, svg,
png and json. A new format is one module here with a ``render(graph, ...)``."""
