"""Profiles: several accounts, each a portal and a username, in `profiles.toml` of the config
folder. Read with the standard library's `tomllib`, written with `tomli-w`; the user may edit
it by hand too:

```toml
default = "maison"

[profiles.maison]
portal = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
username = "jean.dupont"

[profiles.centre-de-loisirs]
portal = "https://www.espace-citoyens.net/asnieres-sur-seine/espace-citoyens/"
username = "jean.dupont"
```

Never a password: each profile's password is its own keyring entry (portal and username).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from espace_tui.core.errors import ConfigError
from espace_tui.core.i18n import _
from espace_tui.local import locations
from espace_tui.local.files import write_atomically

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
"""A profile's name: letters, digits, `-`, `_`, `.`; it is also a folder's name (`sync`)."""


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    portal: str
    """The portal's base URL."""
    username: str


@dataclass(frozen=True, slots=True)
class Profiles:
    profiles: dict[str, Profile] = field(default_factory=dict)
    default: str | None = None

    def get(self, name: str | None) -> Profile | None:
        """The named profile, else the default one, else the only one; None when none fits."""
        if name is not None:
            return self.profiles.get(name)
        if self.default in self.profiles:
            return self.profiles[self.default]  # type: ignore[index]
        if len(self.profiles) == 1:
            return next(iter(self.profiles.values()))
        return None


def profiles_file() -> Path:
    return locations.config_dir() / "profiles.toml"


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise ConfigError(
            _(
                "'{name}' is not a profile name: letters, digits, '-', '_' and '.' only "
                "(40 at most)."
            ).format(name=name)
        )
    return name


def load_profiles(
    path: Path | None = None, *, warn: Callable[[str], None] = lambda _message: None
) -> Profiles:
    """The profiles; none when the file is missing; a broken file is said (`warn`) and
    ignored, and so is a profile that lacks its portal or its username."""
    path = path or profiles_file()
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Profiles()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        warn(
            _("The profiles file {path} could not be read ({error}); it is ignored.").format(
                path=path, error=getattr(error, "strerror", None) or error
            )
        )
        return Profiles()
    found: dict[str, Profile] = {}
    table = data.get("profiles")
    for name, entry in table.items() if isinstance(table, dict) else []:
        if not (isinstance(entry, dict) and NAME.match(str(name))):
            continue
        portal, username = entry.get("portal"), entry.get("username")
        if isinstance(portal, str) and isinstance(username, str) and portal and username:
            found[name] = Profile(name=name, portal=portal, username=username)
    default = data.get("default")
    return Profiles(found, default if isinstance(default, str) and default in found else None)


def save_profiles(profiles: Profiles, path: Path | None = None) -> Path:
    """Write the profiles whole (never half a file)."""
    path = path or profiles_file()
    data: dict[str, Any] = {}
    if profiles.default:
        data["default"] = profiles.default
    data["profiles"] = {
        p.name: {"portal": p.portal, "username": p.username} for p in profiles.profiles.values()
    }
    write_atomically(path, tomli_w.dumps(data).encode("utf-8"))
    return path
