"""The bundled sample community 幸福社区: build its workspace from the package's ``demo/sample_data`` and write the demo.

The workspace is built through the same import path a planner uses for their
own files (layers through ``read_layer``, tables through ``check_records``), so
the sample exercises that path on every run. All people in it are fictional.
"""

from __future__ import annotations

import os
from pathlib import Path

from cogov_toolkit import i18n
from cogov_toolkit._paths import package_path, user_data_dir
from cogov_toolkit.core.schema import LAYERS
from cogov_toolkit.errors import ConfigurationError
from cogov_toolkit.workflows.settings import WorkspaceSettings

COMMUNITY_NAME = "幸福社区"
#: the sample's office details (fictional; a planner enters their own once, in the notebooks' settings form)
SAMPLE_SETTINGS = WorkspaceSettings(
    office_phone="0592-5550000", contact="社区居委会 孙主任", issuer="幸福社区居民委员会"
)
#: record files of the sample, in load order, with the column that names the household (kept private)
SAMPLE_RECORDS = (
    ("households", None),
    ("projects", None),
    ("votes", None),
    ("ballots", "household_id"),
    ("evaluations", "household_id"),
    ("demands", "reporter_household_id"),
)


def sample_data_dir() -> Path:
    """Return the folder of the sample community's files (``COGOV_SAMPLE_DATA`` overrides)."""
    folder = Path(os.environ.get("COGOV_SAMPLE_DATA") or package_path("demo", "sample_data"))
    if not (folder / "buildings.geojson").exists():
        raise ConfigurationError("sample.missing", folder=str(folder))
    return folder


def sample_wjx_export() -> Path:
    """Return the sample 问卷星 export of 幸福社区 (事中监督 of PJ01), shipped in the package."""
    return package_path("demo", "sample_questionnaires", "问卷星_PJ01_事中监督.xlsx")


def sample_photos() -> list[Path]:
    """Return the sample's project photos (PJ01 before and after, with a phone's EXIF and GPS), shipped in the package."""
    return sorted(package_path("demo", "sample_photos").glob("*.jpg"))


def build_sample_workspace(path: str | os.PathLike, *, skip: tuple[str, ...] = ()) -> Path:
    """Create (or re-create) the sample workspace at ``path`` and return its path.

    ``skip`` leaves record files out (notebook 04 imports the sample's demands
    itself, as a planner would; ``"pilot_year"`` leaves out the pilot year's
    发展共建 records, :data:`~cogov_toolkit.demo.pilot_year.SAMPLE_PARTS`). The
    workspace is marked as the sample, so demonstration cells know they may act
    on it, and has its office settings.
    """
    from cogov_toolkit.demo.pilot_year import SAMPLE_PARTS, load_pilot_year
    from cogov_toolkit.storage import create_workspace
    from cogov_toolkit.workflows.imports import import_file
    from cogov_toolkit.workflows.settings import mark_sample, save_settings

    folder = sample_data_dir()
    path = Path(path)
    with create_workspace(path, COMMUNITY_NAME, overwrite=True) as ws:
        for kind in LAYERS:
            import_file(ws, folder / f"{kind}.geojson", kind)
        for table, household_column in SAMPLE_RECORDS:
            if table not in skip:
                import_file(ws, folder / f"{table}.csv", table, household_column=household_column)
        if "pilot_year" not in skip:
            load_pilot_year(ws, folder / "pilot_year.json", parts=SAMPLE_PARTS)
        mark_sample(ws)
        save_settings(ws, SAMPLE_SETTINGS)
    return path


def default_workdir() -> Path:
    """Return the folder where the notebooks keep the sample's workspace (``COGOV_WORKDIR`` overrides).

    By default a folder of the user's own (``~/.local/share/cogov/示例`` on Linux),
    never inside the installed package or a repository checkout.
    """
    return Path(os.environ.get("COGOV_WORKDIR") or user_data_dir() / "示例")


def sample_workspace_path(workdir: str | os.PathLike | None = None) -> Path:
    """Return where :func:`sample_workspace` keeps the sample's workspace (without building it)."""
    return Path(workdir or default_workdir()) / f"{COMMUNITY_NAME}.gpkg"


def sample_workspace(workdir: str | os.PathLike | None = None) -> Path:
    """Return the notebooks' sample workspace, building it on first use.

    It is rebuilt when the toolkit's schema or the sample data changed since it
    was built (a marker file beside it records what it was built from), so a
    notebook never meets a sample workspace older than the code.
    """
    path = sample_workspace_path(workdir)
    marker = path.with_suffix(".built-from")
    fingerprint = _sample_fingerprint()
    if not path.exists() or not marker.exists() or marker.read_text(encoding="utf-8") != fingerprint:
        build_sample_workspace(path)
        marker.write_text(fingerprint, encoding="utf-8")
    return path


def _sample_fingerprint() -> str:
    """Return a digest of what the sample workspace is built from: the schema and the sample files."""
    import hashlib

    from cogov_toolkit.core.schema import PRIVATE_TABLES, RECORD_TABLES
    from cogov_toolkit.storage.open import schema_version

    digest = hashlib.sha256(repr((LAYERS, RECORD_TABLES, PRIVATE_TABLES, schema_version())).encode())
    for file in sorted(sample_data_dir().iterdir()):
        if file.is_file():
            digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()


def write_demo(out: str | os.PathLike) -> list[Path]:
    """Write the sample community's outputs into ``out`` and return the files written.

    ``out/幸福社区.gpkg`` (workspace, with its private file beside it),
    ``out/分享/幸福社区.gpkg`` (shareable copy), ``out/导出/`` (layers as GeoJSON,
    tables as CSV and Excel), ``out/地图/`` (the notebook's map set: offline HTML,
    print PNG/PDF/SVG, WeChat image), ``out/概况.txt`` (what the workspace holds).
    """
    from cogov_toolkit.storage import open_workspace
    from cogov_toolkit.workflows.export import export_workspace
    from cogov_toolkit.workflows.maps import write_map_set
    from cogov_toolkit.workflows.overview import layer_counts, neighbourhood_overview

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = build_sample_workspace(out / f"{COMMUNITY_NAME}.gpkg")
    written = [path]
    with open_workspace(path, backups=0) as ws:
        written.append(ws.share_copy(out / i18n.t("demo.shared_folder") / path.name))
        written += export_workspace(ws, out / i18n.t("demo.export_folder"))
        written += write_map_set(ws, out / i18n.t("demo.maps_folder"))
        summary = out / i18n.t("demo.summary_file")
        text = [
            f"{ws.community_name}",
            layer_counts(ws).to_string(index=False),
            "",
            neighbourhood_overview(ws).to_string(index=False),
        ]
        summary.write_text("\n".join(text) + "\n", encoding="utf-8")
        written.append(summary)
    return written


__all__ = [
    "COMMUNITY_NAME",
    "SAMPLE_SETTINGS",
    "build_sample_workspace",
    "sample_workspace",
    "sample_workspace_path",
    "sample_data_dir",
    "sample_wjx_export",
    "sample_photos",
    "default_workdir",
    "write_demo",
]
