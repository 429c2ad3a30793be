"""Restore a backup: the workspace's backups with their time and counts, newest first, and one button.

The list comes from :func:`cogov_toolkit.storage.list_backups` (sound pairs
only); restoring asks for a second click, then puts the chosen pair back with
:func:`cogov_toolkit.storage.restore_backup`, which keeps the replaced files
aside. The workspace must be closed first: close the notebooks that use it.
"""

from __future__ import annotations

import os
from pathlib import Path

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.storage import list_backups, restore_backup

BUTTON_LAYOUT = {"width": "14em", "height": "3em"}


class BackupList:
    """List a workspace file's backups and restore the chosen one.

    Attributes: ``choice`` (Select of the backups, newest first), ``restore_button``
    and ``message`` (HTML). ``restored`` is the backup last restored, or None.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        import ipywidgets as widgets

        self.path = Path(path)
        self.backups = list_backups(self.path)
        self.restored = None
        self._armed = False
        self.choice = widgets.Select(
            options=[(b.describe(), i) for i, b in enumerate(self.backups)],
            value=0 if self.backups else None,
            description=i18n.t("backup.choose"),
            rows=min(8, max(2, len(self.backups))),
            style={"description_width": "initial"},
            layout={"width": "48em"},
        )
        self.restore_button = widgets.Button(
            description=i18n.t("backup.restore_button"),
            button_style="warning",
            layout=BUTTON_LAYOUT,
            disabled=not self.backups,
        )
        self.message = widgets.HTML(
            html_text(i18n.t("backup.close_first") if self.backups else i18n.t("backup.none", file=self.path.name))
        )
        self.restore_button.on_click(lambda _: self.restore())
        self.choice.observe(lambda _: self._disarm(), names="value")
        title = widgets.HTML(f"<b>{html_text(i18n.t('backup.list_title', file=self.path.name))}</b>")
        self.widget = widgets.VBox([title, self.choice, self.restore_button, self.message])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _disarm(self) -> None:
        self._armed = False

    def restore(self) -> Path | None:
        """First click: ask to confirm. Second click: restore the chosen backup; return the workspace path."""
        if self.choice.value is None:
            return None
        if not self._armed:
            self._armed = True
            self.message.value = f'<span style="color:#b35c00">{html_text(i18n.t("backup.confirm"))}</span>'
            return None
        self._armed = False
        backup = self.backups[self.choice.value]
        try:
            restore_backup(self.path, backup)
        except CogovError as exc:
            self.message.value = f'<span style="color:#c0392b">✘ {html_text(exc.message())}</span>'
            return None
        self.restored = backup
        text = i18n.t("backup.restored", time=backup.local_time(), aside=str(backup.folder.parent))
        self.message.value = f'<span style="color:#1a7f37">✔ {html_text(text)}</span>'
        return self.path


__all__ = ["BackupList"]
