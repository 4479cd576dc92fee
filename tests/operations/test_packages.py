"""Packages and modules found on disk without importing them."""

from __future__ import annotations

from opsdocs.operations.packages import module_file, package_directories


def test_package_directories_on_a_given_path(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    assert package_directories("pkg.sub", [str(tmp_path)]) == [tmp_path / "pkg" / "sub"]
    assert package_directories("pkg.nope", [str(tmp_path)]) == []
    assert package_directories("no_such_package_anywhere") == []


def test_module_file_follows_relative_and_absolute_imports(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "base.py").write_text("")
    here = tmp_path / "pkg" / "sub" / "cmd.py"
    assert module_file("base", 2, here, [str(tmp_path)]) == tmp_path / "pkg" / "base.py"
    assert module_file("", 2, here, [str(tmp_path)]) == tmp_path / "pkg" / "__init__.py"
    assert module_file("pkg.base", 0, here, [str(tmp_path)]) == tmp_path / "pkg" / "base.py"
    assert module_file("pkg", 0, here, [str(tmp_path)]) == tmp_path / "pkg" / "__init__.py"
    assert module_file("pkg.nope", 0, here, [str(tmp_path)]) is None
