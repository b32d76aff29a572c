"""The set-up scripts on a bare machine: what they need beyond Python is installed when they
can (root with apt-get), otherwise they stop at once and name the command to run."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bare_machine(tmp_path, *, uid: int) -> dict:
    """A PATH on which nothing is installed: no Pango, no Chromium, no apt-get."""
    shims = tmp_path / "bin"
    shims.mkdir()
    for name, body in {
        "ldconfig": "exit 0",
        "id": f"echo {uid}",
        "grep": 'exec /bin/grep "$@"',
    }.items():
        (shims / name).write_text(f"#!/bin/sh\n{body}\n")
        (shims / name).chmod(0o755)
    return {"PATH": str(shims), "HOME": str(tmp_path)}


def _run(tmp_path, needs: str, *, uid: int = 1000):
    return subprocess.run(
        [
            "/bin/bash",
            "-c",
            f"source scripts/_system.sh && need_system_packages {needs} && echo ready",
        ],
        cwd=ROOT,
        env=_bare_machine(tmp_path, uid=uid),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_bare_machine_without_root_stops_at_once_naming_the_command(tmp_path):
    result = _run(tmp_path, "pdf browser")
    assert result.returncode == 1 and "ready" not in result.stdout
    assert (
        "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium"
        in result.stderr
    )


def test_the_demo_needs_no_browser(tmp_path):
    result = _run(tmp_path, "pdf")
    assert "chromium" not in result.stderr and "libpango-1.0-0" in result.stderr


def test_this_machine_has_what_it_needs():
    result = subprocess.run(
        ["/bin/bash", "-c", "source scripts/_system.sh && need_system_packages pdf && echo ready"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.strip() == "ready", result.stderr
