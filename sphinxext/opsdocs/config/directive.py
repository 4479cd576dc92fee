"""Sphinx glue for the operator's config: ``sample-config`` and build-time config checks."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging

from opsdocs._sphinx import METADATA, PathDirective, warn_problem
from opsdocs.config.check import check_config, read_config_text
from opsdocs.config.sample import sample_config, service_name
from opsdocs.config.schema import config_schema, schema_text
from opsdocs.errors import OpsdocsError
from opsdocs.files import write_text
from opsdocs.settings.directive import read_catalog
from opsdocs.settings.django import django_setting_names
from opsdocs.settings.model import leaves_settings_out

if TYPE_CHECKING:
    from collections.abc import Collection

    from sphinx.application import Sphinx
    from sphinx.config import Config

    from opsdocs.settings.model import SettingsCatalog

logger = logging.getLogger(__name__)


def _filename(argument: str) -> str:
    name = directives.unchanged_required(argument).strip()
    if "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError("a file name without a directory, like example_ida.yml")
    return name


#: A wildcard of a glob pattern.
_MAGIC = re.compile(r"[*?[]")

class SampleConfig(PathDirective):
    """``.. sample-config:: PATH``: the YAML an operator starts from, shown and downloadable.

    ``:check:`` names config files of the settings package (``devstack.yml test.yml``,
    patterns allowed) that are checked against its settings on every build.
    """

    option_spec: ClassVar[dict[str, Any]] = {
        "filename": _filename,
        "check": directives.unchanged_required,
        "config-var": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        # Only problems that leave settings out: the rest are the reference's business.
        catalog = read_catalog(self, self.arguments[0], leaves_settings_out)
        if catalog is None or catalog.incomplete:
            return []  # warned about; a sample without a broken file's settings would mislead
        root = Path(catalog.root)
        self.check_configs(root.parent if root.suffix == ".py" else root, catalog)

        filename = self.options.get("filename") or f"{service_name(catalog.root)}.yml"
        schema_name = f"{filename.rsplit('.', 1)[0]}.schema.json"
        text = sample_config(catalog, schema=schema_name, env_var=self.options.get("config-var"))
        schema = schema_text(config_schema(catalog, strict=self.config.opsdocs_config_strict,
                                           allowed=allowed_keys(self.config)))
        block = nodes.literal_block(text, text, language="yaml",
                                    classes=["opsdocs-sample-config"])
        self.set_source_info(block)
        return [*self.download([(filename, text), (schema_name, schema)]), block]

    def download(self, files: list[tuple[str, str]]) -> list[nodes.Node]:
        """A paragraph linking the sample and its JSON Schema as downloads, through
        Sphinx's own ``:download:``.

        The texts are written under the doctree directory (never into the sources) and
        referred to relative to this document, so Sphinx notes them, copies them to
        ``_downloads`` and every builder renders the links as it renders ``:download:``.
        """
        key = hashlib.sha1(f"{self.env.docname}\0{self.arguments[0]}".encode(),
                           usedforsecurity=False).hexdigest()[:12]
        paragraph = nodes.paragraph("", "", nodes.Text("Download: "),
                                    classes=["opsdocs-sample-config-download"])
        for index, (filename, text) in enumerate(files):
            target = Path(self.env.doctreedir, "_opsdocs", key, filename)
            try:
                write_text(target, text)
                document_dir = Path(self.env.doc2path(self.env.docname)).parent
                relative = os.path.relpath(target, document_dir)
            except (OSError, ValueError) as error:  # ValueError: another drive, on Windows
                logger.warning("cannot offer the sample config as a download: %s", error,
                               location=self.get_location(), type="opsdocs",
                               subtype="download")
                return []
            if index:
                paragraph += nodes.Text(", and its JSON Schema for editors: ")
            paragraph += addnodes.download_reference(
                "", "", nodes.literal(filename, filename, classes=["xref", "download"]),
                refdoc=self.env.docname, refdomain="", reftype="download", refexplicit=True,
                refwarn=False, reftarget=Path(relative).as_posix(),
            )
        # Only HTML can offer a download; other builders show the sample alone.
        only = addnodes.only(expr="html")
        only += paragraph
        self.set_source_info(only)
        return [only]

    def check_configs(self, directory: Path, catalog: SettingsCatalog) -> None:
        patterns = self.options.get("check", "").replace(",", " ").split()
        allowed = allowed_keys(self.config)
        for pattern in patterns:
            if Path(pattern).is_absolute() or Path(pattern).anchor:
                logger.warning(
                    ":check: takes patterns relative to the settings package (%s), not the "
                    "absolute %r: give the config files' place from there", directory, pattern,
                    location=self.get_location(), type="opsdocs", subtype="config-missing",
                )
                continue
            named = directory / pattern
            if not _MAGIC.search(pattern) and os.path.lexists(named):
                matches = [named]  # a folder, a FIFO, a loop: read, to say why it is no file
            else:
                matches = sorted(path for path in directory.glob(pattern) if path.is_file())
            if not matches:
                logger.warning(
                    "no config file matches %r in %s: :check: names files of the settings "
                    "package", pattern, directory, location=self.get_location(),
                    type="opsdocs", subtype="config-missing",
                )
            for path in matches:
                self.env.note_dependency(str(path))
                try:
                    problems = check_config(catalog, read_config_text(path), str(path),
                                            allowed=allowed)
                except OpsdocsError as error:
                    problems = [error.problem]
                for problem in problems:
                    warn_problem(self.env, problem, self.get_location(), name_file=True)


def allowed_keys(config: Config) -> Collection[str]:
    """Keys a config may set beyond the catalog: the configured ones, and Django's own."""
    allowed = set(config.opsdocs_config_allowed_keys)
    if config.opsdocs_config_django_settings:
        allowed |= django_setting_names()
    return allowed


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("opsdocs._sphinx")
    app.add_directive("sample-config", SampleConfig)
    app.add_config_value("opsdocs_config_allowed_keys", [], "env", types=[list, tuple])
    app.add_config_value("opsdocs_config_django_settings", True, "env", types=[bool])
    app.add_config_value("opsdocs_config_strict", True, "env", types=[bool])
    return dict(METADATA)
