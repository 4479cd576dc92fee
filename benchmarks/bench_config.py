"""Benchmark: the sample config, the config check and the Dockerfile reader at scale.

Builds in memory a settings catalog of ``--settings`` settings (a tenth required; ``str``,
``int``, ``bool``, ``float``, ``list[str]``, ``dict[str, int]`` and computed defaults, in
sections), then times, best of ``--repeat``:

* ``sample_config`` of the catalog;
* ``check_config`` of a config setting every one of them (a filled-in sample with every
  default uncommented), and of the same config with a typo in every tenth key;
* ``check_config`` of hostile YAML: "billion laughs" aliases (10**10 values if expanded),
  a flow list just under the 1 MiB limit, and 1 MiB of keys that each miss a setting by
  one letter (a "did you mean" for every one);
* ``parse_dockerfile`` of a Dockerfile of ``--settings`` instructions in 10 stages.

Run from the repository root::

    .venv/bin/python benchmarks/bench_config.py
    .venv/bin/python benchmarks/bench_config.py --settings 20000

Target: each under a second for 5,000 settings; hostile YAML stopped, not run away.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from typing import Any

from opsdocs.config.check import check_config
from opsdocs.config.sample import sample_config
from opsdocs.dockerfile.reader import parse_dockerfile
from opsdocs.settings.model import SettingsCatalog
from opsdocs.settings.reader import catalog_from_sources

KINDS = (
    ("str", '"value-{n}"', "text-{n}"),
    ("int", "{n}", "{n}"),
    ("bool", "False", "true"),
    ("float", "{n}.5", "{n}.25"),
    ("list[str]", '["a-{n}", "b-{n}"]', "[x, y]"),
    ("dict[str, int]", '{{"a": {n}, "b": 2}}', "{{a: 1}}"),
    ("int", "60 * {n}", "{n}"),  # computed: a note in the sample
)


def generate(count: int) -> tuple[SettingsCatalog, str]:
    """A catalog of *count* settings, and a config that sets every one of them."""
    required, defaults, config = ['"""Required."""'], ['"""Defaults."""'], []
    for n in range(count):
        annotation, value, yaml_value = KINDS[n % len(KINDS)]
        name = f"AREA{n // 100}_SETTING_{n}"
        lines = required if n % 10 == 0 else defaults
        if n % 100 == 0:
            lines.append(f"\n# ---- Area {n // 100} ----")
        lines.append(f"\n#: Setting number {n}, of type ``{annotation}``.")
        lines.append(f"{name}: {annotation}" if lines is required
                     else f"{name}: {annotation} = {value.format(n=n)}")
        config.append(f"{name}: {yaml_value.format(n=n)}")
    catalog = catalog_from_sources("/bench/service/settings", {
        "required.py": "\n".join(required) + "\n", "defaults.py": "\n".join(defaults) + "\n"})
    return catalog, "\n".join(config) + "\n"


def dockerfile(count: int) -> str:
    lines = ["# syntax=docker/dockerfile:1", "", "# Base version.", "ARG BASE=3.12"]
    per_stage = max(count // 10, 1)
    for n in range(count):
        if n % per_stage == 0:
            lines += ["", f"# Stage {n // per_stage}.", f"FROM python:${{BASE}} AS s{n}"]
        lines += [f"# Argument {n}.", f"ARG A{n}={n}", f"ENV E{n}=value-{n} \\",
                  f"    F{n}=other"]
    return "\n".join(lines) + "\n"


def misspelt_keys(catalog: SettingsCatalog, size: int) -> str:
    """Keys each one letter off a setting's name, *size* bytes of them at most."""
    names = [setting.name for setting in catalog]
    lines, total, n = [], 0, 0
    while True:
        name = names[n * 7919 % len(names)]
        at = n * 31 % len(name)
        line = f"{name[:at]}{'QXZ'[n % 3]}{name[at + 1:]}: 1\n"
        if total + len(line) > size:
            return "".join(lines)
        lines.append(line)
        total += len(line)
        n += 1


def best(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    catalog, config = generate(args.settings)
    typos = re.sub(r"^(AREA\d+_SETTING_\d*0):", r"\1X:", config, flags=re.MULTILINE)
    laughs = "\n".join(
        ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 10)]
    ) + "\n"
    big = "l: [" + ", ".join(["1"] * (340 * 1024)) + "]\n"  # just under the 1 MiB limit
    near_misses = misspelt_keys(catalog, 1024 * 1024 - 1)
    docker = dockerfile(args.settings)

    rows = []
    seconds, sample = best(lambda: sample_config(catalog), args.repeat)
    rows.append(("sample_config", seconds, f"{len(sample.splitlines())} lines"))
    for label, text in (("check_config, all valid", config), ("check_config, typos", typos),
                        ("check_config, billion laughs", laughs),
                        (f"check_config, {len(big) // 1024} KiB flow list", big),
                        (f"check_config, {len(near_misses) // 1024} KiB near-miss keys",
                         near_misses)):
        seconds, problems = best(lambda text=text: check_config(catalog, text, "c.yml"),
                                 args.repeat)
        kinds = sorted({p.check for p in problems})
        rows.append((label, seconds, f"{len(problems)} problems {kinds}"))
    seconds, parsed = best(lambda: parse_dockerfile(docker, "Dockerfile"), args.repeat)
    rows.append(("parse_dockerfile", seconds,
                 f"{len(parsed.stages)} stages, {sum(1 for _ in parsed.all_args())} ARGs"))

    print(f"{len(catalog)} settings, best of {args.repeat}")
    width = max(len(label) for label, _, _ in rows)
    for label, seconds, note in rows:
        print(f"{label:<{width}}  {seconds * 1000:9.1f} ms  {note}")


if __name__ == "__main__":
    main()
