"""The toggles model: dates, choices, names compared, what a toggle shows."""

from __future__ import annotations

from datetime import date

import pytest

from opsdocs.toggles.model import Toggle, field_value, parse_date, same_name, split_choices


@pytest.mark.parametrize(("text", "strict", "loose"), [
    ("2024-08-01", date(2024, 8, 1), date(2024, 8, 1)),
    (" 2024-08-01 ", date(2024, 8, 1), date(2024, 8, 1)),
    ("2024-8-1", None, date(2024, 8, 1)),
    ("2024-02-30", None, None),
    ("2023-10", None, None),
    ("Teak", None, None),
    (None, None, None),
])
def test_dates_are_yyyy_mm_dd(text, strict, loose):
    assert parse_date(text) == strict
    assert parse_date(text, strict=False) == loose


@pytest.mark.parametrize("text", [None, "", " None ", "None.", "n/a", "N/A.", "NA", "-"])
def test_words_for_nothing_are_no_value(text):
    assert field_value(text) is None


def test_choices_split_as_code_annotations_splits_them():
    assert split_choices("temporary, opt_in open_edx,vip") == (
        "temporary", "opt_in", "open_edx", "vip")


@pytest.mark.parametrize(("published", "registered", "implementation", "same"), [
    ("settings.ENABLE_X", "ENABLE_X", "DjangoSetting", True),
    ("FEATURES['ENABLE_X']", "ENABLE_X", "DjangoSetting", True),
    ('FEATURES["ENABLE_X"]', "FEATURES['ENABLE_X']", "SettingDictToggle", True),
    ("ENABLE_X", "ENABLE_Y", "SettingToggle", False),
    ("settings.x.flag", "x.flag", "WaffleFlag", False),
    ("Model.enabled", "Model", "ConfigurationModel", True),
    ("Model", "Model", "ConfigurationModel", True),
    ("Modelling", "Model", "ConfigurationModel", False),
    ("a.flag", "a.flag ", "WaffleFlag", True),
])
def test_names_compared(published, registered, implementation, same):
    assert same_name(published, registered, implementation) is same


def test_what_a_toggle_shows_comes_from_the_code_then_its_block():
    toggle = Toggle("x", "f.py", 3, implementation="WaffleFlag", registered="x", default="False",
                    fields=(("toggle_name", "x"), ("toggle_implementation", "CourseWaffleFlag"),
                            ("toggle_default", "True"), ("toggle_use_cases", "temporary"),
                            ("toggle_target_removal_date", "2020-01-01"),
                            ("toggle_warning", "None"), ("toggle_warnings", "Careful.")),
                    annotation_line=1)
    assert (toggle.shown_implementation, toggle.shown_default) == ("WaffleFlag", "False")
    assert toggle.implementation_differs and not toggle.published_differs
    assert toggle.warnings == ("Careful.",)
    assert toggle.past_due(date(2020, 1, 2)) and not toggle.past_due(date(2020, 1, 1))
    alone = Toggle("y", "f.py", 1, fields=(("toggle_implementation", "WaffleFlag"),),
                   annotation_line=1)
    assert (alone.shown_implementation, alone.known, alone.implementation_differs) == (
        "WaffleFlag", True, False)
