"""What one file says: where blocks stand, what they document, what is kept of them."""

from __future__ import annotations

from tests.toggles.tree import block, by_name, code, read


def test_a_configuration_model_is_a_toggle_when_a_block_documents_it(tmp_path):
    catalog = read(tmp_path, {"app/models.py": code("""\
        class ExportConfig(ConfigurationModel):
            \"\"\"
            Exports.

            .. toggle_name: ExportConfig.enabled
            .. toggle_implementation: ConfigurationModel
            .. toggle_default: False
            .. toggle_description: Turns exports on, then each course chooses
              its format.
            .. toggle_use_cases: opt_in
            \"\"\"

        # .. toggle_name: StackedConfig.enabled
        # .. toggle_implementation: ConfigurationModel
        @decorated
        class StackedConfig(models.StackedConfigurationModel):
            pass

        class CacheConfig(ConfigurationModel):
            \"\"\"Not a toggle: no block documents it.\"\"\"
        """)})
    assert [(t.name, t.implementation, t.registered, t.line, t.annotation_line)
            for t in catalog] == [
        ("ExportConfig.enabled", "ConfigurationModel", "ExportConfig", 1, 5),
        ("StackedConfig.enabled", "ConfigurationModel", "StackedConfig", 16, 13)]
    assert catalog.toggles[0].description == "Turns exports on, then each course chooses its format."
    assert catalog.toggles[0].field_lines[:3] == (("toggle_name", 5), ("toggle_implementation", 6),
                                                 ("toggle_default", 7))


def test_where_blocks_stand(tmp_path):
    found = by_name(read(tmp_path, {"app/toggles.py": "".join([
        block("app.one"), block("app.two"),
        "TWO = WaffleFlag('app.two', __name__)\n\n",
        block("app.apart"), "\n\nAPART = WaffleFlag('app.apart', __name__)\n",
        code("""\
            FLAGS = {
                'x': 1,
                # .. toggle_name: app.item
                'item': WaffleFlag(
                    'app.item', __name__),
            }
            """),
        block("app.made"),
        code("""\
            @cache
            def made():
                return WaffleFlag('app.made', __name__)
            """)])}))
    assert {name: (t.implementation, t.line) for name, t in found.items()} == {
        "app.one": (None, 1),  # a block alone: the next one follows it at once
        "app.two": ("WaffleFlag", 13),
        "app.apart": ("WaffleFlag", 23),  # blank lines between: still its block
        "app.item": ("WaffleFlag", 27),
        "app.made": ("WaffleFlag", 38),  # over the function that makes it
    }
    assert not found["app.apart"].published_differs


def test_a_name_followed_by_a_pragma_is_the_name(tmp_path):
    (toggle,) = read(tmp_path, {"envs/common.py": code("""\
        FEATURES = {
            # .. toggle_name: FEATURES['X']  # lint-amnesty, pylint: disable=annotation-missing-token
            'X': True,
        }
        """)}).toggles
    assert toggle.name == "FEATURES['X']"
    assert not toggle.published_differs


def test_fields_the_incumbent_drops_are_kept(tmp_path):
    (toggle,) = read(tmp_path, {"app/toggles.py": code("""\
        # .. toggle_name: app.kept
        # .. toggle_description: The first line,
        #  then a line indented by one space only,
        #     then one indented more.
        # .. toggle_warnings: Plural, as some blocks write it.
        FLAG = WaffleFlag('app.kept', __name__)
        """)}).toggles
    assert toggle.description == ("The first line, then a line indented by one space only, "
                                  "then one indented more.")
    assert toggle.warnings == ("Plural, as some blocks write it.",)


def test_the_code_is_never_run(tmp_path):
    marker = tmp_path / "ran"
    catalog = read(tmp_path, {"app/toggles.py": code(f"""\
        open({str(marker)!r}, "w").close()
        import sys; sys.exit(1)
        FLAG = WaffleFlag(__import__('os').getcwd(), __name__)
        """)})
    assert not marker.exists()
    assert [t.pattern for t in catalog] == ["{__import__('os').getcwd()}"]
