"""``opsdocs upgrade``'s report: what an upgrade means for one config file, as text."""

from __future__ import annotations

import json
from dataclasses import asdict

from opsdocs.config.upgrade import UpgradeReport

UPGRADE_FORMAT = "opsdocs-upgrade"
UPGRADE_VERSION = 1


def upgrade_text(report: UpgradeReport, markup: str) -> str:
    """What an upgrade means for one config file, as ``text``, ``markdown`` or ``json``."""
    if markup == "json":
        return json.dumps({
            "format": UPGRADE_FORMAT, "version": UPGRADE_VERSION, "file": report.file,
            "old": report.old, "new": report.new,
            "items": [asdict(item) for item in report.items],
        }, indent=2) + "\n"
    todo = [item for item in report.items if item.action]
    info = [item for item in report.items if not item.action]
    counts = (f"{len(todo)} thing{'' if len(todo) == 1 else 's'} to do, "
              f"{len(info)} for information")
    title = f"Upgrading {report.file} from {report.old} to {report.new}"
    if markup == "markdown":
        out = [f"## {title}\n\n{counts}.\n"]
        for heading_text, items in (("To do", todo), ("For information", info)):
            if items:
                out.append(f"\n### {heading_text}\n\n")
                out.extend(f"- {_where(item.line)}{_markdown_text(item.message)}\n"
                           for item in items)
        return "".join(out)
    out = [f"{title}: {counts}.\n"]
    for label, items in (("to do", todo), ("information", info)):
        out.extend(f"{report.file}{f':{item.line}' if item.line else ''}: [{label}] "
                   f"{item.message}\n" for item in items)
    return "".join(out)


def _where(line: int | None) -> str:
    return f"line {line}: " if line else ""


def _markdown_text(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
