"""The tests of today's suite that already existed at an older commit, to time the same tests
then and now (a suite that grew is slower for that alone).

Run: .venv/bin/python bench/suite_ids.py a52752f > /tmp/ids.txt
     .venv/bin/pytest -q -n 2 $(cat /tmp/ids.txt)

Reads the test files of the commit with `git show` and ast (no checkout of it): every function
`test_*` at the top of a module or in a class `Test*` gives its node id without parameters,
`path::name` or `path::Class::name`. Prints those of them that today's suite still has (by file,
not parameter by parameter: a test parametrised anew counts whole), one a line, and on standard
error how many of the commit's there were and how many are gone.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_functions(revision: str) -> list[str]:
    """`path::name` and `path::Class::name` of every test function of the commit."""
    found = []
    for path in _git("ls-tree", "-r", "--name-only", revision).splitlines():
        name = path.rsplit("/", 1)[-1]
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        tree = ast.parse(_git("show", f"{revision}:{path}"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("test_"):
                    found.append(f"{path}::{node.name}")
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                found += [
                    f"{path}::{node.name}::{item.name}"
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name.startswith("test_")
                ]
    return found


def present(node_id: str) -> bool:
    """Whether today's file still defines the function (or method) of `node_id`."""
    path, *names = node_id.split("::")
    file = ROOT / path
    if not file.is_file():
        return False
    tree = ast.parse(file.read_text())
    body = tree.body
    for name in names[:-1]:
        classes = [n for n in body if isinstance(n, ast.ClassDef) and n.name == name]
        if not classes:
            return False
        body = classes[0].body
    return any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == names[-1] for n in body
    )


def main() -> int:
    revision = sys.argv[1] if len(sys.argv) > 1 else "a52752f"
    then = test_functions(revision)
    kept = [node_id for node_id in then if present(node_id)]
    print("\n".join(kept))
    print(
        f"{len(then)} test functions at {revision}, {len(then) - len(kept)} gone", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
