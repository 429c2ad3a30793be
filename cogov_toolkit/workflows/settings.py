"""The workspace's own settings, entered once: the office's public phone, the contact person, the issuer.

Notices, adoption signs and reports read them from here instead of a constant
typed into a notebook cell. They live in the ``settings`` record table (one row
per key), so they travel with the workspace and a shared copy keeps them: they
are the office's public details, never a resident's.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cogov_toolkit.storage import Workspace

#: the key marking the bundled sample community (demonstration cells act on it only)
SAMPLE_KEY = "sample"


@dataclass(frozen=True)
class WorkspaceSettings:
    """The settings a planner enters once for their community (empty text: not set yet)."""

    office_phone: str = ""  #: the 居委会's public phone, printed on notices and signs
    contact: str = ""  #: 联系人 on notices, e.g. "社区居委会 李主任"
    issuer: str = ""  #: 落款, e.g. "幸福社区居民委员会"

    def missing(self) -> list[str]:
        """Return the names of the settings not filled in yet."""
        return [f.name for f in fields(self) if not getattr(self, f.name).strip()]


def _stored(ws: Workspace) -> dict[str, tuple[str, str]]:
    """Return key -> (uuid, value) of the stored settings."""
    frame = ws.records("settings")
    return {
        str(k): (u, "" if v is None or v != v else str(v))
        for k, u, v in zip(frame["key"], frame["uuid"], frame["value"], strict=True)
    }


def get_settings(ws: Workspace) -> WorkspaceSettings:
    """Return the workspace's settings; an issuer not set defaults to "<community>居民委员会"."""
    stored = {k: v for k, (_, v) in _stored(ws).items()}
    values = {f.name: stored.get(f.name, "") for f in fields(WorkspaceSettings)}
    if not values["issuer"] and ws.community_name:
        values["issuer"] = f"{ws.community_name}居民委员会"
    return WorkspaceSettings(**values)


def save_settings(ws: Workspace, settings: WorkspaceSettings) -> WorkspaceSettings:
    """Store the settings (only the ones that changed are written), in one durable transaction."""
    stored = _stored(ws)
    with ws.transaction():
        for f in fields(settings):
            value = getattr(settings, f.name).strip()
            if f.name in stored:
                if stored[f.name][1] != value:
                    ws.update("settings", stored[f.name][0], {"value": value})
            elif value:
                ws.add("settings", {"key": f.name, "value": value})
    return get_settings(ws)


def is_sample(ws: Workspace) -> bool:
    """Return True when the workspace is the bundled sample community (built by ``demo.sample``)."""
    return _stored(ws).get(SAMPLE_KEY, ("", ""))[1] == "yes"


def mark_sample(ws: Workspace) -> None:
    """Mark the workspace as the bundled sample (done only by the sample's builder)."""
    if not is_sample(ws):
        ws.add("settings", {"key": SAMPLE_KEY, "value": "yes"})


__all__ = ["SAMPLE_KEY", "WorkspaceSettings", "get_settings", "save_settings", "is_sample", "mark_sample"]
