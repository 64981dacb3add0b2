"""Backup while a writer keeps adding progress notes → wipe everything → restore: every table and
every evidence file comes back identical to the backup's snapshot, on SQLite and on PostgreSQL, and
nothing the writer had committed before the backup began is missing."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import threading
import time

from tests.ops.conftest import REPO
from zhenggai.ops import engines


class Writer:
    """The writer process and the note ids it has reported as committed, in order."""

    def __init__(self, installation, stop_file):
        self.stop_file = stop_file
        self.ids: list[int] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.ops.writer", str(stop_file)],
            cwd=REPO,
            env=installation.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.ids.append(int(line))

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while len(self.ids) < count:
            assert self.process.poll() is None, self.process.stderr.read()
            assert time.monotonic() < deadline, "the writer did not get going"
            time.sleep(0.05)

    def stop(self) -> None:
        self.stop_file.touch()
        self.process.wait(timeout=60)
        self._reader.join(timeout=10)
        assert self.process.returncode == 0, self.process.stderr.read()


def manifest_of(path) -> dict:
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_backup_wipe_restore_gives_back_every_table_and_file(installation, tmp_path):
    writer = Writer(installation, tmp_path / "stop")
    try:
        writer.wait_for(5)
        committed_before = set(writer.ids)  # reported after their commit, before the backup starts
        archive = installation.backup_dir / "live.tar.gz"
        done = installation.run("backup", "-o", str(archive))
        assert done.returncode == 0, done.stderr
        assert f"已备份到 {archive}" in done.stdout
        writer.wait_for(len(writer.ids) + 5)  # still writing after the backup: it never had to stop
    finally:
        writer.stop()
    source_media = installation.media()
    manifest = manifest_of(archive)
    assert manifest["database"]["engine"] == installation.engine
    assert manifest["tables"]["ledger_progressnote"]["rows"] >= len(committed_before)

    installation.wipe()
    restored = installation.run("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "数据与备份清单一致" in restored.stdout

    # every table: the same rows and the same checksum as the snapshot the backup took
    digests = installation.digests()
    assert set(digests) == set(manifest["tables"])
    for table, record in manifest["tables"].items():
        assert (digests[table].rows, digests[table].sha256) == (record["rows"], record["sha256"]), table

    # nothing the writer committed before the backup began is missing
    notes = {pk for (pk,) in installation.query("SELECT id FROM ledger_progressnote")}
    assert committed_before <= notes
    assert len(notes) < len(writer.ids) + 1000  # and the restored table is the snapshot, not the later state

    # every evidence file: the archive's files are back, byte for byte as they were
    restored_media = installation.media()
    archived = {name.removeprefix("media/") for name in manifest["files"] if name.startswith("media/")}
    assert set(restored_media) == archived
    assert all(restored_media[name] == source_media[name] for name in archived)

    # consistent: each evidence row of the snapshot has its file, with the checksum the row records
    for path, sha256 in installation.query("SELECT file, sha256 FROM ledger_evidence"):
        assert restored_media.get(path) == sha256, path
    if installation.engine == engines.SQLITE:
        assert installation.query("PRAGMA integrity_check") == [("ok",)]
        assert installation.query("PRAGMA foreign_key_check") == []
    assert (installation.data_dir / "secret_key").read_text() != ""

    # and the system runs on the restored data
    assert installation.run("migrate", "--check").returncode == 0
