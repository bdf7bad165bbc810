"""No import circle between the modules under apps/, and no service importing a task.

Imports inside functions count (they are circles Python merely tolerates); imports under
``if TYPE_CHECKING:`` do not (they never run). Services queue work through a callable their
caller passes, or through a hook the task module registers, so the arrow always points
from tasks to services (docs/architecture.md)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module under apps/ (migrations aside)."""
    found: dict[str, Path] = {}
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that can run: the bodies of ``if TYPE_CHECKING:`` blocks are skipped."""
    for child in ast.iter_child_nodes(tree):
        if _is_type_checking_block(child):
            assert isinstance(child, ast.If)
            for node in child.orelse:
                yield node
                yield from _runtime_nodes(node)
            continue
        yield child
        yield from _runtime_nodes(child)


def _imported(node: ast.AST, *, package: str, modules: dict[str, Path]) -> list[str]:
    """The modules under apps/ one import statement names (a submodule when it names one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in modules]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        base = ".".join(anchor + ([base] if base else []))
    names = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        names.append(submodule if submodule in modules else base)
    return [name for name in names if name in modules]


def _import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            graph[name].update(t for t in _imported(node, package=package, modules=modules) if t != name)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        circles.append(sorted(component))
    return circles


def _is_services(module: str) -> bool:
    """apps.<app>.services, or any module of an apps.<app>.services package."""
    return "services" in module.split(".")[2:]


def test_no_import_circle_between_modules_under_apps():
    circles = _circles(_import_graph())

    assert circles == [], (
        "These modules import each other (inside functions too): pass a callable, register a "
        f"hook, or move the shared part below both: {circles}"
    )


def test_no_service_imports_a_task_module():
    graph = _import_graph()

    offenders = sorted(
        (module, target)
        for module, targets in graph.items()
        if _is_services(module)
        for target in targets
        if target.rsplit(".", 1)[-1] == "tasks"
    )

    assert offenders == [], f"services never import tasks; the caller passes how to queue: {offenders}"


def test_the_circle_finder_sees_a_circle_through_a_function_level_import(tmp_path):
    # given two modules that import each other, one of them only inside a function
    graph = {"a.services": {"a.tasks"}, "a.tasks": {"a.services"}, "a.models": set()}
    tree = ast.parse(
        "def f():\n    from apps.movies import tasks\nif TYPE_CHECKING:\n    import apps.chat.models\n"
    )
    modules = {"apps.movies.tasks": tmp_path, "apps.chat.models": tmp_path}

    # then the circle is found, and only the runtime import is read
    assert _circles(graph) == [["a.services", "a.tasks"]]
    imported = [
        target for node in _runtime_nodes(tree) for target in _imported(node, package="x", modules=modules)
    ]
    assert imported == ["apps.movies.tasks"]
