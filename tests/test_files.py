"""Writing files whole."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from opsdocs.files import write_atomically, write_text


def test_write_text_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "sample.yml"
    write_text(target, "one\n")
    write_text(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["sample.yml"]


def test_a_new_file_is_never_readable_by_others_while_it_is_written(tmp_path):
    seen = []
    target = tmp_path / "config.yml"
    target.write_text("old\n")
    target.chmod(0o600)

    def write(stream):
        temporary = next(p for p in tmp_path.iterdir() if p.name.endswith(".tmp"))
        seen.append(stat.S_IMODE(temporary.stat().st_mode))
        stream.write("new\n")

    write_atomically(target, write)
    assert seen == [0o600]  # created private, not made private afterwards
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == "new\n"


def test_a_symbolic_link_is_followed_to_the_file_it_names(tmp_path):
    real = tmp_path / "data" / "app.yml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "app.yml"
    link.symlink_to(real)
    write_text(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_written_to_and_never_replaced_nor_read(device):
    before = os.stat(device)
    write_text(device, "text\n")  # /dev/zero read whole first would never end
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino,
                                                                              before.st_rdev)


def test_a_fifo_is_written_to(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_text(fifo, "text\n")
    reader.join(10)
    assert received == ["text\n"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_and_a_missing_folder_are_refused(tmp_path):
    with pytest.raises(OSError, match="it is a folder: give a file name"):
        write_text(tmp_path, "x")
    with pytest.raises(OSError, match=f"the folder {tmp_path}/missing does not exist"):
        write_text(tmp_path / "missing" / "x.yml", "x", parents=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_as_root_a_replaced_file_keeps_its_owner_and_group(tmp_path):
    target = tmp_path / "config.yml"
    target.write_text("old\n")
    os.chown(target, 4242, 4243)
    target.chmod(0o640)
    write_atomically(target, lambda stream: stream.write("new\n"), keep_owner=True)
    status = target.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4242, 4243, 0o640)


def test_a_backup_is_the_replaced_file_itself(tmp_path):
    target = tmp_path / "config.yml"
    target.write_text("old\n")
    target.chmod(0o600)
    backup = tmp_path / "config.yml.orig"
    write_atomically(target, lambda stream: stream.write("new\n"), backup=backup)
    assert (target.read_text(), backup.read_text()) == ("new\n", "old\n")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
