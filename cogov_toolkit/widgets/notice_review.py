"""The review step before a notice (公示) is published: see exactly what goes out, confirm, write the files.

A thin adapter over :mod:`cogov_toolkit.render.notice_pack` and
:mod:`cogov_toolkit.layers.notices`. The preview is built from the same
:func:`~cogov_toolkit.render.notice_pack.notice_parts` and table the files are
built from, every text escaped through the one escaping module, with a small
copy of the WeChat image. Nothing is written until the planner ticks
"我已核对，确认发布"; then the pack is written, the notice is stored as
published and the files are listed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from cogov_toolkit import i18n
from cogov_toolkit.core.escape import html_text
from cogov_toolkit.errors import CogovError
from cogov_toolkit.widgets.feedback import guarded, message_html
from cogov_toolkit.workflows.notices import Notice, check_public

if TYPE_CHECKING:
    from cogov_toolkit.render.notice_pack import NoticePack
    from cogov_toolkit.storage import Workspace

BUTTON_LAYOUT = {"width": "16em", "height": "3em"}  # large targets: touch screens, tired eyes
PREVIEW_WIDTH_PX = 360  # the WeChat image at a third of its width: readable, fits beside the text


def preview_html(notice: Notice, language: str | None = None) -> str:
    """Return the notice as HTML, every text escaped: title, parts, the 事项 table, 落款 and date."""
    from cogov_toolkit.render.notice_pack import PartKind, notice_parts

    out = [f"<h3 style='text-align:center'>{html_text(notice.title)}</h3>"]
    for part in notice_parts(notice, language):
        align = "right" if part.signature else "left"
        out.append(f"<p style='text-align:{align};font-size:1.1em'>{html_text(part.text)}</p>")
        if part.kind is PartKind.MATTER and notice.table is not None:
            head = "".join(
                f"<th style='border:1px solid #999;padding:4px'>{html_text(c)}</th>" for c in notice.table.columns
            )
            body = "".join(
                "<tr>"
                + "".join(f"<td style='border:1px solid #999;padding:4px'>{html_text(v)}</td>" for v in row)
                + "</tr>"
                for row in notice.table.rows
            )
            out.append(f"<table style='border-collapse:collapse'><tr>{head}</tr>{body}</table>")
        if part.kind is PartKind.MATTER and notice.map_image:
            out.append(f"<p><i>{html_text(i18n.t('notice.text.map_caption', language))}</i></p>")
    return "\n".join(out)


class NoticeReview:
    """Show a notice exactly as it will be published, and write its files once the planner confirms.

    Attributes (the widgets, so a test or a demo can drive them): ``preview``
    (HTML), ``preview_image`` (Image of the WeChat PNG), ``greyscale`` and
    ``confirm`` (Checkboxes), ``publish_button`` and ``message`` (HTML).
    ``pack`` is the :class:`NoticePack` written, or None.
    """

    def __init__(self, ws: Workspace, notice: Notice, out_dir: str | Path) -> None:
        import ipywidgets as widgets

        from cogov_toolkit.workflows.notices import publication_gate

        self.ws = ws
        self.notice = notice
        self.out_dir = Path(out_dir)
        self.pack: NoticePack | None = None
        self._gate = publication_gate(ws)
        self.heading = widgets.HTML(f"<h3>{html_text(i18n.t('notice.review.heading'))}</h3>")
        self.preview = widgets.HTML(preview_html(notice))
        self.preview_image = widgets.Image(format="png", width=PREVIEW_WIDTH_PX)
        self.greyscale = widgets.Checkbox(description=i18n.t("notice.review.greyscale"), value=False, indent=False)
        self.confirm = widgets.Checkbox(description=i18n.t("notice.review.confirm"), value=False, indent=False)
        self.publish_button = widgets.Button(
            description=i18n.t("notice.review.publish"), button_style="primary", layout=BUTTON_LAYOUT
        )
        self.message = widgets.HTML()
        self.publish_button.on_click(lambda _: guarded(lambda: self.message)(self.publish)())
        self.problems = self._check()
        if not self.problems:
            self.preview_image.value = self._wechat_preview()
        self.widget = widgets.VBox(
            [
                self.heading,
                widgets.HBox([self.preview, self.preview_image]),
                widgets.HBox([self.greyscale, self.confirm]),
                self.publish_button,
                self.message,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _check(self) -> str:
        """Return why the notice cannot be published ("" when it can), and say so in the panel."""
        try:
            check_public(self.notice, self._gate)
        except CogovError as exc:
            self.publish_button.disabled = True
            self._say(i18n.t("notice.review.blocked") + "\n" + exc.message(), error=True)
            return exc.message()
        return ""

    def _wechat_preview(self) -> bytes:
        from cogov_toolkit.render.notice_pack import write_wechat_png

        with tempfile.TemporaryDirectory() as folder:
            return write_wechat_png(self.notice, Path(folder) / "preview.png").read_bytes()

    def publish(self) -> NoticePack | None:
        """Write the notice pack if the planner confirmed, mark the notice published, list the files."""
        from cogov_toolkit.render.notice_pack import write_notice_pack
        from cogov_toolkit.workflows.notices import check_unpublished, mark_published

        if self.problems:
            self._say(i18n.t("notice.review.blocked") + "\n" + self.problems, error=True)
            return None
        if not self.confirm.value:
            self._say(i18n.t("notice.review.not_confirmed"), error=True)
            return None
        self._say(i18n.t("notice.review.writing"))
        try:
            check_unpublished(self.ws, self.notice)  # nothing is printed that the workspace would refuse
            pack = write_notice_pack(self.notice, self.out_dir, greyscale=self.greyscale.value, gate=self._gate)
            mark_published(self.ws, self.notice)
        except CogovError as exc:
            self._say(exc.message(), error=True)
            return None
        self.pack = pack
        names = "".join(f"<li>{html_text(p.name)}</li>" for p in pack.files)
        head = html_text(i18n.t("notice.review.published", count=len(pack.files), folder=str(self.out_dir)))
        self.message.value = f"<div style='font-size:1.1em;color:#1b5e20'>{head}<ul>{names}</ul></div>"
        return pack

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.value = message_html(text, error=error)


__all__ = ["NoticeReview", "preview_html"]
