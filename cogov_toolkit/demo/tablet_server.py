"""Voila as ``cogov tablet`` runs it: the same server, with a Chinese page for a missing or wrong token.

A phone that opens the form's address without the token (or with a wrong one) is
sent to Voila's login page, which is Jupyter's English password form. Residents
never have a password: the page they see instead says, in Chinese, to scan the
QR code on the laptop again. Only that page's GET is replaced; everything else
is Voila as installed. Run as ``python -m cogov_toolkit.demo.tablet_server ARGS``
with Voila's own arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

SCAN_AGAIN_PAGE = Path(__file__).with_name("tablet_template") / "voila" / "templates" / "cogov" / "login.html"


def _scan_again(handler: Any, *args: Any, **kwargs: Any) -> None:
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(SCAN_AGAIN_PAGE.read_bytes())


def main(argv: list[str] | None = None) -> None:
    """Start Voila with the Chinese "scan the code again" page in place of its login form."""
    from voila import app
    from voila.voila_identity_provider import VoilaLoginHandler

    get = _scan_again
    try:  # jupyter_server >= 2.13 requires the login page's GET to be marked as open to anyone
        from jupyter_server.auth.decorator import allow_unauthenticated

        get = allow_unauthenticated(_scan_again)
    except ImportError:
        pass
    VoilaLoginHandler.get = get  # type: ignore[method-assign]
    sys.argv = [sys.argv[0], *(argv if argv is not None else sys.argv[1:])]
    app.main()


if __name__ == "__main__":
    main()
