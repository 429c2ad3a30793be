"""Command line: ``cogov lab``, ``demo``, ``info``, ``import``, ``share``, ``restore``, ``tablet``, ``upgrade``.

Toolkit errors are printed as their Chinese (or English) message and exit with
status 2: a planner never sees a traceback. An unexpected error is logged to
``cogov-error.log`` in the user's cache folder (readable by the user only) and
said in one line.
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

    restore = sub.add_parser("restore", help=i18n.t("cli.restore"))
    restore.add_argument("workspace", type=Path)
    restore.add_argument("number", type=int, nargs="?", help=i18n.t("cli.restore_number"))

    tablet = sub.add_parser("tablet", help=i18n.t("evaluation.tablet.help"))
    tablet.add_argument("workspace", type=Path, nargs="?")
    tablet.add_argument("--host", help=i18n.t("evaluation.tablet.host"))
    tablet.add_argument("--port", type=int, default=8866, help=i18n.t("evaluation.tablet.port"))
    tablet.add_argument("--qr-png", type=Path, help=i18n.t("evaluation.tablet.qr_png"))

    imp = sub.add_parser("import", help=i18n.t("cli.import"))
    imp.add_argument("workspace", type=Path)
    imp.add_argument("file", type=Path)
    imp.add_argument("--kind", required=True, help=i18n.t("cli.kind"))
    imp.add_argument("--coords", default=None, choices=("wgs84", "gcj02", "bd09"), help=i18n.t("cli.coords"))
    imp.add_argument("--crs", help=i18n.t("cli.crs"))
    imp.add_argument("--layer", help=i18n.t("cli.layer"))
    imp.add_argument("--sheet", help=i18n.t("cli.sheet"))
    imp.add_argument("--encoding", help=i18n.t("cli.encoding"))
    imp.add_argument("--roles", help=i18n.t("cli.roles"))
    imp.add_argument("--site-type", help=i18n.t("cli.site_type"))
    imp.add_argument("--type-from", help=i18n.t("cli.type_from"))
    imp.add_argument("--outlines", action="store_true", help=i18n.t("cli.outlines"))
    imp.add_argument("--vote", help=i18n.t("cli.vote"))
    imp.add_argument("--household-column", help=i18n.t("cli.household_column"))
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
    """Write the traceback into the user's cache folder, readable by the user only (it may show file paths)."""
    import os
    import traceback

    from cogov_toolkit._paths import user_cache_dir

    folder = user_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "cogov-error.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(traceback.format_exc())
    os.chmod(log, 0o600)
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
        print(ws.share_copy(args.destination))  # through the publication gate: nothing private, no row per person
    return 0


def _restore(args: argparse.Namespace) -> int:
    """List a workspace's backups (newest first, numbered from 1); with a number, restore that one."""
    from cogov_toolkit.storage import list_backups, restore_backup

    backups = list_backups(args.workspace)
    if not backups:
        print(i18n.t("backup.none", file=args.workspace.name))
        return 1
    if args.number is None:
        print(i18n.t("backup.list_title", file=args.workspace.name))
        for number, backup in enumerate(backups, start=1):
            print(f"  {number}. {backup.describe()}")
        return 0
    chosen = args.number - 1
    restore_backup(args.workspace, chosen)  # a number out of range is a clear error (backup.unknown)
    print(i18n.t("backup.restored", time=backups[chosen].local_time(), aside=backups[chosen].folder.parent))
    return 0


def _tablet(args: argparse.Namespace) -> int:
    from cogov_toolkit.demo.sample import sample_workspace
    from cogov_toolkit.demo.tablet import serve

    return serve(args.workspace or sample_workspace(), host=args.host, port=args.port, qr_png=args.qr_png)


def _import(args: argparse.Namespace) -> int:
    """Import a file; ballots and demands go through their workflows (private links, history)."""
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.imports import import_file

    if Path(args.file).suffix.lower() == ".dxf":
        return _import_dxf(args)
    with open_workspace(args.workspace) as ws:
        if args.kind == "ballots":
            report = _import_ballots(ws, args)
        elif args.kind == "demands":
            from cogov_toolkit.workflows.demands import import_demands

            household = args.household_column or "reporter_household_id"
            report = import_demands(ws, args.file, encoding=args.encoding, sheet=args.sheet, household_column=household)
        else:
            report = import_file(
                ws,
                args.file,
                args.kind,
                coord_system=args.coords,
                crs=args.crs,
                layer=args.layer,
                sheet=args.sheet,
                encoding=args.encoding,
                household_column=args.household_column,
                site_type=args.site_type,
                type_from=args.type_from,
                outlines=args.outlines or None,
            )
    print(report)
    return 0


def _import_dxf(args: argparse.Namespace) -> int:
    """``cogov import ws plan.dxf --kind buildings --roles 建筑=buildings [--crs EPSG:4547]``."""
    from cogov_toolkit.errors import InputError
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.imports import DeclaredCRS, import_cad_buildings

    if args.kind != "buildings":
        raise InputError("cli.dxf_kind", file=args.file, kind=args.kind)
    roles = dict(part.split("=", 1) for part in (args.roles or "").replace("，", ",").split(",") if "=" in part)
    if not roles:
        raise InputError("cli.dxf_roles", file=args.file)
    placement = DeclaredCRS(args.crs) if args.crs else None
    with open_workspace(args.workspace) as ws:
        report = import_cad_buildings(ws, args.file, {k.strip(): v.strip() for k, v in roles.items()}, placement)
    print(report)
    return 0


def _import_ballots(ws: object, args: argparse.Namespace) -> str:
    """Import ballots with their household (kept private) for ``--vote``, or for each vote the file names."""
    from cogov_toolkit.workflows.votes import import_ballots, vote_ids_in

    votes = [args.vote] if args.vote else vote_ids_in(args.file, encoding=args.encoding, sheet=args.sheet)
    lines = []
    for vote_id in votes:
        report = import_ballots(
            ws, vote_id, args.file, household_column=args.household_column, encoding=args.encoding, sheet=args.sheet
        )
        lines.append(i18n.t("cli.ballots_imported", vote=vote_id, read=report.read, stored=report.stored))
    return "\n".join(lines)


COMMANDS = {
    "lab": _lab,
    "demo": _demo,
    "info": _info,
    "share": _share,
    "restore": _restore,
    "import": _import,
    "tablet": _tablet,
    "upgrade": _upgrade,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
