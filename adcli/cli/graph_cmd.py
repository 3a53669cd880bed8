"""``adcli graph``: the autograd graph of a value, as a tree, Graphviz, SVG, PNG or JSON."""

from __future__ import annotations

import sys

import click

from adcli.cli.see_common import console, inspect_or_exit, target_options

EPILOG = """\b
Examples:
  adcli graph 'mean(3*(x+2)**2)' -b 'x=ones(2,2)'
  adcli graph samples/seeds/seed_000_variable_tutorial.adc --of out
  adcli graph 'sum(sin(x)*x)' -b 'x=[1., 2.]' --format svg -o graph.svg
  adcli graph 'sum(x @ w)' -b 'x=ones(2,3)' -b 'w=ones(3,4)' --format json
  adcli graph --untrusted --timeout 5 samples/see/mlp.py --depth 3
\b
TARGET is a file (.adc, .py, .ipynb) or an expression. For an expression with a scalar
value, backward runs first, so every node shows the gradient that flowed through it.
\b
Formats: text (a tree, the default), dot (Graphviz source), svg (laid out by adcli, or by
Graphviz's dot when it is on PATH), png (Graphviz or matplotlib), json (nodes and edges).
\b
Modes:
  trusted (the default): bounded by steps, graph nodes, elements and work per op, with
    no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  --untrusted (or ADCLI_UNTRUSTED=1): also a wall-clock bound (--timeout, default 10 s)
    and an address-space limit on the process.
\b
Exit status: 0 shown, 1 an error in TARGET, 2 a usage error or a missing tool, 3 a bug.
"""


@click.command("graph", epilog=EPILOG)
@target_options
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "dot", "svg", "png", "json"]),
              default="text", show_default=True, help="The output format.")
@click.option("-o", "--out", "out_path", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of stdout (png needs it on a terminal).")
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="Show only the nodes this many edges from the value (big graphs).")
@click.option("--max-shown", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Refuse graphs with more nodes than this (use --depth).")
@click.option("--layout", type=click.Choice(["auto", "builtin", "graphviz"]), default="auto",
              show_default=True,
              help="svg/png: Graphviz's dot when on PATH (auto), or adcli's own layout.")
def graph_command(target: str, bindings, of, untrusted: bool, fmt: str, out_path,
                  depth, max_shown: int, layout: str, **limit_values) -> None:
    """Show the autograd graph of FILE|EXPR: every node's op, source, shape, value, grad."""
    from adcli.errors import AdcliError
    from adcli.see import model

    result = inspect_or_exit(target, bindings, of, untrusted, limit_values, "adcli graph")
    if result.value is None:
        click.echo("adcli graph: no tensor with a graph was found; name one with --of NAME",
                   err=True)
        sys.exit(1)
    names = result.inspector.names()
    if result.name and result.name != target and hasattr(result.value, "_grad_fn"):
        names.setdefault(id(result.value._grad_fn), result.name)
    from adcli.see.inspect import is_file_target

    try:
        graph = model.build(result.value, names, depth=depth, max_nodes=max_shown,
                            title=result.name if result.name != target else target)
        graph.expr = not is_file_target(target)
        if graph.expr:
            for n in graph.nodes:
                n.line = None
    except AdcliError as exc:
        click.echo(f"adcli graph: {exc.kind}: {exc}", err=True)
        sys.exit(1)
    try:
        data = _render(graph, fmt, layout, out_path)
    except AdcliError as exc:  # a missing tool
        click.echo(f"adcli graph: {exc}", err=True)
        sys.exit(2)
    if data is None:
        return
    if out_path:
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(out_path, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(data)
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            raise click.UsageError("--format png writes binary data: give -o FILE.png")
        sys.stdout.buffer.write(data)
        return
    sys.stdout.write(data)



def _render(graph, fmt: str, layout: str, out_path):
    if fmt == "text":
        renderable = __import__("adcli.see.formats.text", fromlist=["render"]).render(graph)
        if out_path:
            from rich.console import Console

            with open(out_path, "w", encoding="utf-8") as f:
                Console(file=f, color_system=None, width=120).print(renderable)
            return None
        console().print(renderable)
        return None
    if fmt == "json":
        import json

        return json.dumps(graph.to_json()) + "\n"
    from adcli.see.formats import dot, png

    if fmt == "dot":
        return dot.render(graph)
    use_dot = layout == "graphviz" or (layout == "auto" and png.graphviz() is not None)
    if layout == "graphviz" and png.graphviz() is None:
        raise png.MissingTool("--layout graphviz needs Graphviz's `dot` program on PATH")
    if fmt == "svg":
        if use_dot:
            return png.run_dot(dot.render(graph), "svg").decode("utf-8")
        from adcli.see.formats import svg

        return svg.render(graph)
    return png.render(graph, use_graphviz=use_dot)
