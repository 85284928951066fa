"""`make n8n` (tools/n8n/install.sh) without the 10-minute install: the lock pins what issue
16 asks for and names no download address, and the script installs atomically into the
folder the tests look in. A stand-in ``npm`` on PATH plays ``npm ci``; no n8n is needed."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.n8n_server import LOCK, TOOLS, n8n_install_dir

FAKE_NPM = """#!/bin/sh
# plays `npm ci`: fails when FAKE_NPM_FAILS is set, else leaves the n8n command
[ "$1" = ci ] || exit 2
[ -n "$FAKE_NPM_FAILS" ] && exit 1
mkdir -p node_modules/.bin && printf '#!/bin/sh\\n' > node_modules/.bin/n8n
chmod +x node_modules/.bin/n8n
"""


def test_the_lock_pins_n8n_with_the_two_overrides_and_no_download_address():
    package = json.loads((TOOLS / "package.json").read_text())
    assert package["overrides"] == {"xlsx": "0.18.5", "isolated-vm": "5.0.4"}
    packages = json.loads(LOCK.read_text())["packages"]
    versions = {name: packages[f"node_modules/{name}"]["version"] for name in package["overrides"]}
    assert packages["node_modules/n8n"]["version"] == "1.123.81"
    assert versions == package["overrides"]
    assert all("resolved" not in entry for entry in packages.values())


@dataclass
class Installer:
    """install.sh with the cache in ``cache`` and the stand-in npm in ``bin_dir``."""

    cache: Path
    bin_dir: Path

    def __call__(self, fails: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PATH": f"{self.bin_dir}:{os.environ['PATH']}"}
        if fails:
            env["FAKE_NPM_FAILS"] = "1"
        return subprocess.run(
            ["bash", str(TOOLS / "install.sh")],  # noqa: S607  (bash from PATH, as make runs it)
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )


@pytest.fixture
def install(tmp_path, monkeypatch) -> Installer:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "npm").write_text(FAKE_NPM)
    (bin_dir / "npm").chmod(0o755)
    monkeypatch.setenv("BENCHMARK_N8N_CACHE", str(tmp_path / "cache"))
    return Installer(tmp_path / "cache", bin_dir)


def test_it_installs_into_the_folder_the_tests_look_in(install):
    done = install()
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == n8n_install_dir()
    assert n8n_install_dir().parent == install.cache
    assert os.access(n8n_install_dir() / "node_modules/.bin/n8n", os.X_OK)


def test_a_failed_install_leaves_nothing_to_reuse(install):
    assert install(fails=True).returncode != 0
    assert list(install.cache.iterdir()) == []  # no half install, no temporary folder
    assert install().returncode == 0


def test_a_finished_install_is_reused_without_npm(install):
    first = install()
    again = install(fails=True)  # npm would fail: it is not run
    assert again.returncode == 0 and again.stdout == first.stdout
    assert "installing" not in again.stderr
