"""Benchmark: reading and rendering a large commands file, and refusing crafted ones.

Generates a commands file of ``--commands`` commands in five groups (a third of them
``django:`` management commands read statically, the rest with arguments, settings,
examples and cron schedules), then times

* reading and validating it (:func:`opsdocs.operations.reader.read_manual`), best of ``--repeat``;
* a full Sphinx HTML build, in a subprocess, of a page holding ``.. operations-manual::``
  of it, beside the same build of an empty page (the fixed cost of starting Sphinx);
* refusing a "billion laughs" document (10**9 values once expanded) and a file just over
  the size limit, with the peak memory the refusal took.

Run from the repository root::

    .venv/bin/python benchmarks/bench_operations.py
    .venv/bin/python benchmarks/bench_operations.py --commands 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bench_settings import best_of

from opsdocs.errors import OpsdocsError
from opsdocs.operations.reader import manual_from_text, read_manual
from opsdocs.reading import COMMANDS_FILE

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / "_generated" / "operations"
GROUPS = ("web", "worker", "schema", "maintenance", "ad-hoc")
DJANGO_COMMANDS = ("migrate", "clearsessions", "showmigrations", "check", "collectstatic",
                   "createsuperuser", "changepassword", "dumpdata", "loaddata", "flush")


def commands_file(count: int) -> str:
    lines = ["version: 1", "description: |", "  A generated manual.", "groups:"]
    per_group = max(1, count // len(GROUPS))
    number = 0
    for group in GROUPS:
        lines += [f"  - name: {group}", "    commands:"]
        for _ in range(per_group):
            number += 1
            if number % 3 == 0:
                django = DJANGO_COMMANDS[number % len(DJANGO_COMMANDS)]
                lines += [f"      - name: {django}-{number}", f"        django: {django}",
                          f"        schedule: \"{number % 60} {number % 24} * * *\""]
                continue
            lines += [
                f"      - name: task-{number}",
                f"        summary: Task number {number}.",
                "        description: |",
                f"          Does *thing* {number}; see :opscommand:`task-{max(1, number - 1)}`.",
                f"        command: run-task --number {number}",
                "        when: on-demand",
                "        safe_to_rerun: true",
                "        options:",
                "          - name: --limit",
                "            value: N",
                "            description: At most N items.",
                "            default: 10",
                "        environment: [SERVICE_CFG_PATH]",
                "        examples:",
                f"          - command: run-task --number {number} --limit 1",
            ]
    return "\n".join(lines) + "\n"


def billion_laughs(width: int = 1000) -> str:
    many = lambda alias: "[" + ", ".join([alias] * width) + "]"  # noqa: E731
    return (f"version: 1\ns: &s {many('A')}\nc: &c {{name: x, command: x, settings: *s}}\n"
            f"cs: &cs {many('*c')}\ng: &g {{name: web, commands: *cs}}\ngroups: {many('*g')}\n")


def build(src: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
                   check=True)
    return time.perf_counter() - start


def refusal(text: str) -> tuple[float, float, str]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        manual_from_text(text, "crafted.yml")
        check = "accepted!"
    except OpsdocsError as error:
        check = error.problem.check
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args()

    src = args.workdir / "src"
    shutil.rmtree(args.workdir, ignore_errors=True)
    (src / "empty").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["opsdocs"]\nexclude_patterns = ["empty"]\n')
    (src / "empty" / "conf.py").write_text('extensions = ["opsdocs"]\n')
    (src / "empty" / "index.rst").write_text("Empty\n=====\n")
    text = commands_file(args.commands)
    (src / "commands.yml").write_text(text)
    (src / "index.rst").write_text("Manual\n======\n\n.. operations-manual:: commands.yml\n")

    manual = read_manual(src / "commands.yml")
    count = sum(1 for _ in manual.commands)
    assert not manual.problems, manual.problems[:3]
    read = best_of(args.repeat, lambda: read_manual(src / "commands.yml"))
    full = build(src, args.workdir / "out")
    empty = build(src / "empty", args.workdir / "out-empty")
    laughs = refusal(billion_laughs())
    huge = refusal("version: 1\n#" + "x" * COMMANDS_FILE.limit + "\n")

    print(f"commands file: {count} commands, {len(text) / 1024:.0f} KiB")
    print(f"read + validate (best of {args.repeat}):   {read * 1000:8.1f} ms "
          f"({read / count * 1e6:.0f} us per command)")
    print(f"sphinx html build of the manual:    {full * 1000:8.1f} ms")
    print(f"sphinx html build of an empty page: {empty * 1000:8.1f} ms")
    print(f"billion laughs ({len(billion_laughs()) / 1024:.0f} KiB, 10**9 values): "
          f"refused as {laughs[2]!r} in {laughs[0] * 1000:.0f} ms, peak {laughs[1]:.1f} MiB")
    print(f"file over {COMMANDS_FILE.limit // 2**20} MiB: refused as {huge[2]!r} in "
          f"{huge[0] * 1000:.1f} ms, peak {huge[1]:.1f} MiB")


if __name__ == "__main__":
    main()
