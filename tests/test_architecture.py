"""The package keeps its shape: small modules and functions, imports only downward, no cycles.

The checks live in scripts/check_architecture.py (run it to see every
offender); docs/architecture.md explains the layers. The checker itself is
tested on small synthetic packages below.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "check_architecture.py"


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_architecture", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building the classes
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


@pytest.fixture(scope="module")
def problems():
    return checker.check(ROOT, "procedurekit")


def _report(found) -> str:
    return "\n" + "\n".join(str(p) for p in found)


# -- the package as it is -------------------------------------------------------------------------

def test_no_module_over_500_lines(problems):
    found = [p for p in problems if p.code == "module-too-long"]
    assert not found, _report(found)


def test_no_function_over_60_lines(problems):
    found = [p for p in problems if p.code == "function-too-long"]
    assert not found, _report(found)


def test_imports_go_only_downward(problems):
    found = [p for p in problems if p.code in ("import-upward", "import-sibling")]
    assert not found, _report(found)


def test_no_import_cycles(problems):
    found = [p for p in problems if p.code == "import-cycle"]
    assert not found, _report(found)


def test_the_checker_sees_the_whole_package():
    modules = checker.discover(ROOT, "procedurekit")
    assert {"procedurekit", "procedurekit.durations", "procedurekit.hookspecs"} <= set(modules)
    layers = {checker.layer_of(name, "procedurekit") for name in modules}
    assert layers == set(range(len(checker.LAYERS))), "every layer has modules"


# -- the checker, on synthetic packages ------------------------------------------------------------

def tree(root: Path, files: dict[str, str]) -> Path:
    """A package under *root* from {relative path: source}; every folder gets an __init__.py."""
    for rel, text in {"procedurekit/__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(root).parents:
            init = root / folder / "__init__.py"
            if folder != Path(".") and not init.exists():
                init.write_text("")
        path.write_text(text)
    return root


def codes(root: Path, **limits) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in checker.check(root, "procedurekit", **limits)]


def test_module_length_limit(tmp_path):
    tree(tmp_path, {"procedurekit/big.py": "x = 1\n" * 501, "procedurekit/fits.py": "x = 1\n" * 500})
    found = checker.check(tmp_path)
    assert [(p.path, p.code) for p in found] == [("procedurekit/big.py", "module-too-long")]
    assert "501 lines (limit 500)" in str(found[0])


def _function(name: str, lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 2))
    return f"{indent}def {name}():\n{body}{indent}    return 0\n"


def test_function_length_limit_names_path_line_and_length(tmp_path):
    source = ("import os\n\n"
              + _function("fits", 60) + "\n"
              + _function("too_long", 61) + "\n"
              + "class Thing:\n" + _function("method", 62, "    ") + "\n"
              + "def outer():\n" + _function("inner", 61, "    ") + "    return inner\n")
    tree(tmp_path, {"procedurekit/mod.py": source})
    found = [str(p) for p in checker.check(tmp_path)]
    assert found == [
        "procedurekit/mod.py:64: function-too-long: too_long is 61 lines (limit 60)",
        "procedurekit/mod.py:127: function-too-long: Thing.method is 62 lines (limit 60)",
        "procedurekit/mod.py:190: function-too-long: outer is 63 lines (limit 60)",
        "procedurekit/mod.py:191: function-too-long: outer.inner is 61 lines (limit 60)",
    ]


def test_the_layers_in_order():
    order = ["procedurekit.model", "procedurekit.model.items", "procedurekit.durations",
             "procedurekit.compare.diff", "procedurekit.cases.engine", "procedurekit.builtins.chairing",
             "procedurekit.host.library", "procedurekit.authoring.render", "procedurekit.site.build",
             "procedurekit.testing", "procedurekit.cli", "procedurekit.cli.schedule", "procedurekit.__main__"]
    ranks = [checker.layer_of(name, "procedurekit") for name in order]
    assert ranks == [0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6]


UPWARD = {
    # every way of importing the host layer from a core module
    "procedurekit/core_a.py": "import procedurekit.host.library\n",
    "procedurekit/core_b.py": "def f():\n    from procedurekit.host import library\n",
    "procedurekit/core_c.py": ("from typing import TYPE_CHECKING\n"
                               "if TYPE_CHECKING:\n    from procedurekit.host.library import Library\n"),
    "procedurekit/core_d.py": "from procedurekit import host\n",
    "procedurekit/core_e.py": "from procedurekit import Library\n",
    "procedurekit/model/items.py": "from ..host import library\n",
    # cases is below builtins
    "procedurekit/cases/engine.py": "from procedurekit.builtins import chairing\n",
}


def test_upward_imports_fail_naming_both_modules(tmp_path):
    tree(tmp_path, {
        "procedurekit/__init__.py": ('__version__ = "1"\n_LAZY = {"Library": "procedurekit.host.library"}\n'
                                     "from typing import TYPE_CHECKING\n"
                                     "if TYPE_CHECKING:\n    from procedurekit.host.library import Library\n"),
        "procedurekit/host/library.py": "from procedurekit import durations\n",
        "procedurekit/builtins/chairing.py": "",
        "procedurekit/durations.py": "",
        **UPWARD,
    })
    found = checker.check(tmp_path)
    assert sorted((p.path, p.line) for p in found) == [
        ("procedurekit/cases/engine.py", 1),
        ("procedurekit/core_a.py", 1),
        ("procedurekit/core_b.py", 2),
        ("procedurekit/core_c.py", 3),
        ("procedurekit/core_d.py", 1),
        ("procedurekit/core_e.py", 1),
        ("procedurekit/model/items.py", 1),
    ]
    assert {p.code for p in found} == {"import-upward"}
    by_path = {p.path: p.message for p in found}
    assert by_path["procedurekit/core_e.py"].startswith(
        "procedurekit.core_e (core) imports procedurekit.host.library (host)")
    assert by_path["procedurekit/core_d.py"].startswith("procedurekit.core_d (core) imports procedurekit.host (host)")
    assert by_path["procedurekit/cases/engine.py"].startswith(
        "procedurekit.cases.engine (compare/cases) imports procedurekit.builtins.chairing (builtins)")


def test_downward_imports_pass(tmp_path):
    tree(tmp_path, {
        "procedurekit/__init__.py": '__version__ = "1"\n_LAZY = {"Case": "procedurekit.model"}\n',
        "procedurekit/model/__init__.py": "from procedurekit.model.items import Item\n",
        "procedurekit/model/items.py": "from procedurekit import durations\nItem = 1\n",
        "procedurekit/durations.py": "",
        "procedurekit/cases/engine.py": "from procedurekit import Case\nfrom procedurekit.cases import records\n",
        "procedurekit/cases/records.py": "from ..model import items\n",
        "procedurekit/compare/diff.py": "from procedurekit.model import Item\n",
        "procedurekit/builtins/floor.py": "from procedurekit.compare import diff\n",
        "procedurekit/host/library.py": ("from procedurekit.builtins import floor\n"
                                         "def schedule():\n    from procedurekit.cases import engine\n"),
        "procedurekit/authoring/render.py": "from procedurekit.host.library import schedule\n",
        "procedurekit/cli/__init__.py": ("from procedurekit import __version__\n"
                                         "from procedurekit.authoring import render\n"
                                         "from procedurekit import testing\n"),
        "procedurekit/testing.py": "from procedurekit.host import library\n",
        "procedurekit/__main__.py": "from procedurekit.cli import main\n",
    })
    assert checker.check(tmp_path) == []


def test_compare_and_cases_do_not_import_each_other(tmp_path):
    tree(tmp_path, {
        "procedurekit/compare/diff.py": "from procedurekit.cases.engine import schedule\n",
        "procedurekit/cases/engine.py": "def schedule():\n    from procedurekit.compare import diff\n",
    })
    found = checker.check(tmp_path)
    assert [(p.path, p.line, p.code) for p in found] == [
        ("procedurekit/cases/engine.py", 2, "import-sibling"),
        ("procedurekit/compare/diff.py", 1, "import-sibling"),
    ]
    assert "procedurekit.compare.diff imports procedurekit.cases.engine" in found[1].message


def test_the_package_facade_may_re_export_every_layer(tmp_path):
    tree(tmp_path, {
        "procedurekit/__init__.py": ("_LAZY = {'Library': 'procedurekit.host.library'}\n"
                                     "from typing import TYPE_CHECKING\n"
                                     "if TYPE_CHECKING:\n    from procedurekit.host.library import Library\n"),
        "procedurekit/host/library.py": "import procedurekit\n",
    })
    assert checker.check(tmp_path) == []


def test_cycles_are_reported_with_their_path(tmp_path):
    tree(tmp_path, {
        "procedurekit/a.py": "import procedurekit.b\n",
        "procedurekit/b.py": "x = 1\nfrom procedurekit import c\n",
        "procedurekit/c.py": "from procedurekit.a import thing\n",
        "procedurekit/d.py": "from procedurekit import e\n",
        "procedurekit/e.py": "from . import d\n",
    })
    found = checker.check(tmp_path)
    assert [(p.path, p.line, p.code) for p in found] == [
        ("procedurekit/a.py", 1, "import-cycle"),
        ("procedurekit/d.py", 1, "import-cycle"),
    ]
    assert found[0].message.startswith("procedurekit.a -> procedurekit.b -> procedurekit.c -> procedurekit.a:")
    assert found[1].message.startswith("procedurekit.d -> procedurekit.e -> procedurekit.d:")


def test_a_cycle_inside_a_layer_and_through_a_package_init(tmp_path):
    tree(tmp_path, {
        "procedurekit/host/__init__.py": "from procedurekit.host.library import Library\n",
        "procedurekit/host/library.py": "from procedurekit.host import plugins\nLibrary = 1\n",
        "procedurekit/host/plugins.py": "from procedurekit.host import Library\n",
    })
    found = checker.check(tmp_path)
    assert [p.code for p in found] == ["import-cycle"]
    assert found[0].message.startswith(
        "procedurekit.host -> procedurekit.host.library -> procedurekit.host.plugins -> procedurekit.host")


def test_imports_that_do_not_run_at_import_time_make_no_cycle(tmp_path):
    tree(tmp_path, {
        "procedurekit/a.py": "import procedurekit.b\n",
        "procedurekit/b.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import procedurekit.a\n"
                              "def f():\n    import procedurekit.a\n"),
    })
    assert checker.check(tmp_path) == []


def test_the_script_prints_each_problem_and_exits_1(tmp_path):
    bad = tree(tmp_path / "bad", {"procedurekit/durations.py": "from procedurekit.cli import main\n",
                                  "procedurekit/cli.py": "main = 1\n"})
    done = subprocess.run([sys.executable, str(SCRIPT), str(bad)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "procedurekit/durations.py:1: import-upward: procedurekit.durations (core) imports procedurekit.cli "
        "(testing/cli/serve/__main__), a higher layer: move the shared code down or pass what is needed in"]
    assert "1 problem(s): 1 import-upward" in done.stderr

    good = tree(tmp_path / "good", {"procedurekit/cli.py": "from procedurekit import durations\n",
                                    "procedurekit/durations.py": ""})
    done = subprocess.run([sys.executable, str(SCRIPT), str(good)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "")


def test_strongly_connected_groups_match_reachability():
    import random

    rng = random.Random(20240301)
    for _ in range(200):
        nodes = [f"m{i}" for i in range(rng.randint(1, 9))]
        graph = {n: sorted({rng.choice(nodes) for _ in range(rng.randint(0, 3))} - {n}) for n in nodes}

        def reach(start):
            seen, todo = set(), [start]
            while todo:
                for nxt in graph[todo.pop()]:
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            return seen

        reachable = {n: reach(n) for n in nodes}
        expected = {frozenset({n} | {m for m in nodes if m in reachable[n] and n in reachable[m]}) for n in nodes}
        groups = checker._strongly_connected(graph)
        assert {frozenset(g) for g in groups} == expected and sum(map(len, groups)) == len(nodes)
        for group in groups:
            if len(group) > 1:
                cycle = checker._a_cycle(graph, group)
                assert cycle[0] == cycle[-1] and all(b in graph[a] for a, b in zip(cycle, cycle[1:]))
