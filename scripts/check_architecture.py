"""Check the package's shape: module and function sizes, layered imports, no import cycles.

    python scripts/check_architecture.py [ROOT] [--package procedurekit]

ROOT is the folder holding the package (default: this repository). Prints one
line per problem, ``path:line: code: message``, and exits 1 if there is any.
The rules (docs/architecture.md):

- ``module-too-long``: no module over 500 lines.
- ``function-too-long``: no function or method over 60 lines (from ``def`` to
  its last line; a nested function counts towards its parent too).
- ``import-upward``: imports go only downward through the layers
  core < {compare, cases} < builtins < host < authoring < site < {testing, cli, __main__}.
  Core is every other top-level module or subpackage of the package. Every
  import counts: at module level, inside functions and under TYPE_CHECKING.
  ``from procedurekit import X`` is an import of the submodule X, or of the
  module that defines X when X is one of the lazily exported names of the
  package's ``_LAZY`` table. The package's own ``__init__`` is the public
  facade: its re-exports span the layers, so its own imports are not checked;
  importing a name it defines itself (``__version__``) is an import of core.
- ``import-sibling``: compare and cases do not import each other.
- ``import-cycle``: no cycle among the imports that run when a module is
  imported (module level, outside ``if TYPE_CHECKING:``), at any layer.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

# Named subpackages/modules by layer, lowest first; any other top-level name is core (layer 0).
LAYERS: tuple[tuple[str, ...], ...] = (
    (),
    ("compare", "cases"),
    ("builtins",),
    ("host",),
    ("authoring",),
    ("site",),
    ("testing", "cli", "serve", "__main__"),
)
LAYER_NAMES = ("core", "compare/cases", "builtins", "host", "authoring", "site", "testing/cli/serve/__main__")
SIBLINGS = frozenset({"compare", "cases"})


@dataclass(frozen=True, order=True)
class Problem:
    """One offence: where it is, its code and what to do about it."""

    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}: {self.message}"


@dataclass(frozen=True)
class Import:
    """An import of *target* (a module of the package) at *line* of a module."""

    target: str
    line: int
    runtime: bool  # runs when the importing module is imported (module level, not under TYPE_CHECKING)


@dataclass
class Module:
    name: str
    path: Path
    rel: str
    tree: ast.Module
    lines: int
    imports: list[Import] = field(default_factory=list)


def discover(root: Path, package: str) -> dict[str, Module]:
    """Every module of *package* under *root*, parsed, by dotted name."""
    modules: dict[str, Module] = {}
    base = root / package
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if "__pycache__" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        modules[".".join(parts)] = Module(".".join(parts), path, rel, ast.parse(text, filename=rel),
                                          len(text.splitlines()))
    return modules


def lazy_exports(modules: dict[str, Module], package: str) -> dict[str, str]:
    """The package's ``_LAZY`` table (exported name -> defining module), read from its ``__init__``."""
    init = modules.get(package)
    if init is None:
        return {}
    for node in init.tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in targets):
            try:
                table = ast.literal_eval(value)
            except ValueError:
                return {}
            return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}
    return {}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _children(node: ast.AST) -> list[ast.AST]:
    """The statements (and handlers, match cases) nested directly in a compound statement."""
    found: list[ast.AST] = []
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        children = getattr(node, name, None)
        if isinstance(children, list):
            found += [c for c in children if isinstance(c, ast.AST)]
    return found


def _import_nodes(body: Sequence[ast.AST], runtime: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """(node, runtime) for every import statement in *body*, however deeply nested."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, runtime
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _import_nodes(node.body, False)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _import_nodes(node.body, False)
            yield from _import_nodes(node.orelse, runtime)
        else:
            yield from _import_nodes(_children(node), runtime)


class _Resolver:
    def __init__(self, modules: dict[str, Module], package: str) -> None:
        self.modules = modules
        self.package = package
        self.lazy = lazy_exports(modules, package)

    def existing(self, dotted: str) -> str | None:
        """*dotted* or its nearest enclosing module of the package; None outside the package."""
        parts = dotted.split(".")
        if parts[0] != self.package:
            return None
        while parts:
            if ".".join(parts) in self.modules:
                return ".".join(parts)
            parts.pop()
        return None

    def targets(self, module: Module, node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [t for alias in node.names if (t := self.existing(alias.name))]
        base = node.module or ""
        if node.level:
            here = module.name.split(".")
            is_package = module.path.name == "__init__.py"
            anchor = here if is_package else here[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, *([base] if base else [])])
        found = []
        for alias in node.names:
            if f"{base}.{alias.name}" in self.modules:
                found.append(f"{base}.{alias.name}")
            elif base == self.package and alias.name in self.lazy:
                found.append(self.existing(self.lazy[alias.name]) or self.package)
            elif (t := self.existing(base)) is not None:
                found.append(t)
        return found


def collect_imports(modules: dict[str, Module], package: str) -> None:
    """Fill each module's imports of other modules of the package."""
    resolver = _Resolver(modules, package)
    for module in modules.values():
        for node, runtime in _import_nodes(module.tree.body, True):
            for target in resolver.targets(module, node):
                if target != module.name:
                    module.imports.append(Import(target, node.lineno, runtime))


def top_name(module: str, package: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str, package: str) -> int:
    """The layer of a module: 0 (core) unless its top-level name is one of LAYERS."""
    top = top_name(module, package)
    for rank, names in enumerate(LAYERS):
        if top in names:
            return rank
    return 0


def check_sizes(modules: dict[str, Module], max_module_lines: int = MAX_MODULE_LINES,
                max_function_lines: int = MAX_FUNCTION_LINES) -> list[Problem]:
    problems = []
    for module in modules.values():
        if module.lines > max_module_lines:
            problems.append(Problem(module.rel, 1, "module-too-long",
                                    f"{module.name} is {module.lines} lines (limit {max_module_lines}): split it"))
        for name, node in _functions(module.tree.body, ""):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > max_function_lines:
                problems.append(Problem(module.rel, node.lineno, "function-too-long",
                                        f"{name} is {length} lines (limit {max_function_lines})"))
    return problems


def _functions(body: Sequence[ast.AST], prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(qualified name, node) of every function and method, nested ones included."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"{prefix}{node.name}", node
            yield from _functions(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, f"{prefix}{node.name}.")
        else:
            yield from _functions(_children(node), prefix)


def check_layers(modules: dict[str, Module], package: str) -> list[Problem]:
    problems = []
    for module in modules.values():
        if module.name == package:
            continue  # the public facade: lazy re-exports from every layer
        here, here_top = layer_of(module.name, package), top_name(module.name, package)
        for imp in module.imports:
            there, there_top = layer_of(imp.target, package), top_name(imp.target, package)
            if there > here:
                problems.append(Problem(module.rel, imp.line, "import-upward",
                                        f"{module.name} ({LAYER_NAMES[here]}) imports {imp.target} "
                                        f"({LAYER_NAMES[there]}), a higher layer: move the shared code down "
                                        "or pass what is needed in"))
            elif here_top != there_top and {here_top, there_top} == SIBLINGS:
                problems.append(Problem(module.rel, imp.line, "import-sibling",
                                        f"{module.name} imports {imp.target}: compare and cases must not "
                                        "import each other; move what both need into core"))
    return problems


def check_cycles(modules: dict[str, Module]) -> list[Problem]:
    """One problem per strongly connected group of modules importing each other at import time."""
    graph = {name: sorted({i.target for i in m.imports if i.runtime and i.target in modules})
             for name, m in modules.items()}
    problems = []
    for group in _strongly_connected(graph):
        if len(group) < 2:
            continue
        cycle = _a_cycle(graph, group)
        first = modules[cycle[0]]
        line = next(i.line for i in first.imports if i.runtime and i.target == cycle[1])
        message = " -> ".join(cycle)
        if len(group) > len(cycle) - 1:  # more modules than this one cycle import each other
            message += f" ({len(group)} modules in cycles: {', '.join(sorted(group))})"
        problems.append(Problem(first.rel, line, "import-cycle",
                                message + ": move what they share into a module they can both import"))
    return problems


def _strongly_connected(graph: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit on deep import chains)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(graph[node])):
                nxt = graph[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def _a_cycle(graph: dict[str, list[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module, as a closed path (first == last)."""
    start = min(group)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in graph[node]:
                if nxt not in group:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start, start]  # unreachable for a strongly connected group of two or more


def check(root: Path, package: str = "procedurekit", *, max_module_lines: int = MAX_MODULE_LINES,
          max_function_lines: int = MAX_FUNCTION_LINES) -> list[Problem]:
    """Every problem in the package *package* under *root*, sorted by path and line."""
    modules = discover(root, package)
    collect_imports(modules, package)
    return sorted([*check_sizes(modules, max_module_lines, max_function_lines),
                   *check_layers(modules, package), *check_cycles(modules)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the folder holding the package (default: this repository)")
    parser.add_argument("--package", default="procedurekit")
    args = parser.parse_args(argv)
    if not (args.root / args.package).is_dir():
        print(f"{args.root / args.package}: no such package folder", file=sys.stderr)
        return 2
    problems = check(args.root, args.package)
    for problem in problems:
        print(problem)
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.code] = counts.get(problem.code, 0) + 1
    summary = ", ".join(f"{n} {code}" for code, n in sorted(counts.items()))
    print(f"{len(problems)} problem(s): {summary}" if problems else "architecture: no problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
