"""Command line: ``cogov lab``, ``cogov demo``, ``cogov info``, ``cogov import``, ``cogov share``, ``cogov tablet``, ``cogov upgrade``.

Toolkit errors are printed as their Chinese (or English) message and exit with
status 2: a planner never sees a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cogov_toolkit import i18n
from cogov_toolkit.errors import CogovError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cogov", description=i18n.t("cli.description"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=i18n.t("cli.lang"))
    sub = parser.add_subparsers(dest="command", required=True)

    lab = sub.add_parser("lab", help=i18n.t("cli.lab"))
    lab.add_argument("workspace", type=Path, nargs="?", help=i18n.t("cli.lab_workspace_arg"))
    lab.add_argument("--no-browser", action="store_true", help=i18n.t("cli.no_browser"))
    lab.add_argument("--port", type=int, help=i18n.t("cli.lab_port"))

    upgrade = sub.add_parser("upgrade", help=i18n.t("cli.upgrade"))
    upgrade.add_argument("workspace", type=Path)

    demo = sub.add_parser("demo", help=i18n.t("cli.demo"))
    demo.add_argument("--out", required=True, type=Path, help=i18n.t("cli.out"))

    info = sub.add_parser("info", help=i18n.t("cli.info"))
    info.add_argument("workspace", type=Path)

    share = sub.add_parser("share", help=i18n.t("cli.share"))
    share.add_argument("workspace", type=Path)
    share.add_argument("destination", type=Path)

    tablet = sub.add_parser("tablet", help=i18n.t("evaluation.tablet.help"))
    tablet.add_argument("workspace", type=Path, nargs="?")
    tablet.add_argument("--host", help=i18n.t("evaluation.tablet.host"))
    tablet.add_argument("--port", type=int, default=8866, help=i18n.t("evaluation.tablet.port"))
    tablet.add_argument("--qr-png", type=Path, help=i18n.t("evaluation.tablet.qr_png"))

    imp = sub.add_parser("import", help=i18n.t("cli.import"))
    imp.add_argument("workspace", type=Path)
    imp.add_argument("file", type=Path)
    imp.add_argument("--kind", required=True, help=i18n.t("cli.kind"))
    imp.add_argument("--coords", default="wgs84", choices=("wgs84", "gcj02", "bd09"), help=i18n.t("cli.coords"))
    imp.add_argument("--crs", help=i18n.t("cli.crs"))
    imp.add_argument("--layer", help=i18n.t("cli.layer"))
    imp.add_argument("--sheet", help=i18n.t("cli.sheet"))
    imp.add_argument("--encoding", help=i18n.t("cli.encoding"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    try:
        return COMMANDS[args.command](args)
    except CogovError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    except Exception as exc:  # a bug of ours: say so plainly, keep the details in a log file
        log = _write_crash_log()
        print(i18n.t("cli.unexpected", error=type(exc).__name__, log=log), file=sys.stderr)
        return 3


def _write_crash_log() -> Path:
    import tempfile
    import traceback

    log = Path(tempfile.gettempdir()) / "cogov-error.log"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return log


def _lab(args: argparse.Namespace) -> int:
    from cogov_toolkit.lab import run_lab

    return run_lab(args.workspace, no_browser=args.no_browser, port=args.port)


def _upgrade(args: argparse.Namespace) -> int:
    from cogov_toolkit.errors import WorkspaceUpgradeNeededError
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.storage.open import schema_version

    try:
        open_workspace(args.workspace, backups=0).close()
    except WorkspaceUpgradeNeededError as exc:
        open_workspace(args.workspace, backups=0, upgrade=True).close()
        found, supported = exc.params["found"], exc.params["supported"]
        print(i18n.t("cli.upgraded", path=args.workspace, found=found, supported=supported))
        return 0
    print(i18n.t("cli.up_to_date", path=args.workspace, version=schema_version()))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from cogov_toolkit.demo.sample import write_demo

    written = write_demo(args.out)
    for path in written:
        print(path)
    return 0


def _info(args: argparse.Namespace) -> int:
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.overview import layer_counts

    with open_workspace(args.workspace, backups=0) as ws:
        print(f"{ws.community_name} — {ws.path}")
        print(layer_counts(ws).to_string(index=False))
    return 0


def _share(args: argparse.Namespace) -> int:
    from cogov_toolkit.storage import open_workspace

    with open_workspace(args.workspace, backups=0) as ws:
        print(ws.share_copy(args.destination))
    return 0


def _tablet(args: argparse.Namespace) -> int:
    from cogov_toolkit.demo.sample import sample_workspace
    from cogov_toolkit.demo.tablet import serve

    return serve(args.workspace or sample_workspace(), host=args.host, port=args.port, qr_png=args.qr_png)


def _import(args: argparse.Namespace) -> int:
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.imports import import_file

    with open_workspace(args.workspace) as ws:
        report = import_file(
            ws,
            args.file,
            args.kind,
            coord_system=args.coords,
            crs=args.crs,
            layer=args.layer,
            sheet=args.sheet,
            encoding=args.encoding,
        )
    print(report)
    return 0


COMMANDS = {
    "lab": _lab,
    "demo": _demo,
    "info": _info,
    "share": _share,
    "import": _import,
    "tablet": _tablet,
    "upgrade": _upgrade,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
