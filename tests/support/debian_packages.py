"""Debian packages a test needs, installed once where they are missing (as root, with apt-get,
within a deadline), else the reason why they cannot be: the caller skips with it."""

from __future__ import annotations

import os
import shutil
import subprocess

APT_TIMEOUT = 600.0
"""Seconds for `apt-get update` and for the installation each; a healthy mirror needs far less."""

_updated: list[bool] = []


def missing(programs: tuple[str, ...]) -> list[str]:
    """The programs of `programs` not found on PATH."""
    return [name for name in programs if shutil.which(name) is None]


def ensure(programs: tuple[str, ...], packages: tuple[str, ...]) -> str | None:
    """Make `programs` available by installing `packages`; None when they are, else the reason
    they are not (to skip with)."""
    if not missing(programs):
        return None
    if shutil.which("apt-get") is None:
        return f"{', '.join(missing(programs))} missing and no apt-get to install {packages}"
    if os.geteuid() != 0:
        return f"{', '.join(missing(programs))} missing; installing {packages} needs root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        if not _updated:
            subprocess.run(
                ["apt-get", "update", "-qq"],
                env=env,
                capture_output=True,
                timeout=APT_TIMEOUT,
                check=True,
            )
            _updated.append(True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
            env=env,
            capture_output=True,
            timeout=APT_TIMEOUT,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return f"installing {packages} took more than {APT_TIMEOUT:g} s"
    except subprocess.CalledProcessError as error:
        tail = error.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return f"apt-get could not install {packages}: {tail[0]}"
    still = missing(programs)
    return f"{', '.join(still)} still missing after installing {packages}" if still else None
