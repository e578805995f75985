"""Several accounts: adding, removing and choosing the default profile, and which account a
run is for (`--profile NAME`, else the default profile)."""

from __future__ import annotations

from dataclasses import replace

from espace_tui.core.errors import ConfigError, NothingToDo
from espace_tui.core.i18n import _
from espace_tui.local.profiles import Profile, Profiles, check_name, load_profiles, save_profiles
from espace_tui.portal.urls import base_url_for

__all__ = ["Profile", "Profiles", "add", "choose", "load_profiles", "remove", "set_default"]


def add(profiles: Profiles, name: str, portal: str, username: str) -> Profiles:
    """The profiles with `name` added (or replaced); the first one becomes the default."""
    profile = Profile(name=check_name(name), portal=base_url_for(portal), username=username)
    if not username.strip():
        raise ConfigError(_("A profile needs a username."))
    updated = replace(profiles, profiles={**profiles.profiles, name: profile})
    if updated.default is None:
        updated = replace(updated, default=name)
    save_profiles(updated)
    return updated


def remove(profiles: Profiles, name: str) -> Profiles:
    if name not in profiles.profiles:
        raise NothingToDo(_("There is no profile named {name}.").format(name=name))
    kept = {key: value for key, value in profiles.profiles.items() if key != name}
    default = profiles.default if profiles.default != name else next(iter(kept), None)
    updated = Profiles(kept, default)
    save_profiles(updated)
    return updated


def set_default(profiles: Profiles, name: str) -> Profiles:
    if name not in profiles.profiles:
        raise NothingToDo(_("There is no profile named {name}.").format(name=name))
    updated = replace(profiles, default=name)
    save_profiles(updated)
    return updated


def choose(profiles: Profiles, name: str | None) -> Profile | None:
    """The profile a run is for: the one named (an unknown name is an error), else the
    default or only one, else None (the portal and username come from elsewhere)."""
    if name is not None and name not in profiles.profiles:
        known = ", ".join(sorted(profiles.profiles)) or _("none")
        raise ConfigError(
            _("There is no profile named {name} (profiles: {known}).").format(
                name=name, known=known
            )
        )
    return profiles.get(name)
