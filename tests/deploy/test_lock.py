"""The lock files stay in step with pyproject.toml: every declared pin is locked at the same version,
with hashes, so setup.sh and the offline bundle install exactly what pyproject promises."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.conftest import REPO

RELOCK = "bash scripts/lock.sh"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;]+)")


def normalise(name: str) -> str:
    """PEP 503: Django, django and DJANGO are one package; so are a_b, a-b and a.b."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(extra: str | None = None) -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["optional-dependencies"][extra] if extra else project["dependencies"]
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml 中的依赖 {requirement!r} 未用 == 固定版本"
        pins[normalise(match.group(1))] = match.group(2)
    return pins


def locked(name: str) -> dict[str, tuple[str, int]]:
    """Package → (version, number of hashes) from a lock written by `uv pip compile --generate-hashes`."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match and not line.startswith(" "):
            current = normalise(match.group(1))
            entries[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", [None]), ("requirements-dev.lock", [None, "dev"])])
def test_every_pin_in_pyproject_is_locked_at_the_same_version(lock, extras):
    entries = locked(lock)
    for extra in extras:
        for name, version in declared(extra).items():
            assert name in entries, f"{lock} 缺少 {name}:pyproject.toml 改动后请运行 {RELOCK}"
            assert entries[name][0] == version, (
                f"{lock} 中 {name}=={entries[name][0]},pyproject.toml 为 {version}:请运行 {RELOCK}"
            )


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_a_hash(lock):
    entries = locked(lock)
    assert entries
    assert [name for name, (_, hashes) in entries.items() if not hashes] == []


def test_the_runtime_lock_holds_no_dev_tool_and_agrees_with_the_dev_lock():
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    assert not set(declared("dev")) & set(runtime)
    assert {name: version for name, (version, _) in runtime.items()} == {name: dev[name][0] for name in runtime}


def test_setup_and_the_bundle_install_from_the_locks_and_say_how_to_relock():
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r" in setup and "requirements-dev.lock" in setup
    assert "--no-deps -e ." in setup
    bundle = (REPO / "scripts" / "bundle.sh").read_text(encoding="utf-8")
    assert "requirements.lock" in bundle and "--require-hashes" in bundle
    for lock in ("requirements.lock", "requirements-dev.lock"):
        header = (REPO / lock).read_text(encoding="utf-8").splitlines()[:3]
        assert any(RELOCK in line for line in header), f"{lock} 的文件头应写明重新锁定的命令 {RELOCK}"
