"""cogov_toolkit: 共同缔造 (co-creation) pilots in residential communities.

Maps, demands, votes, evaluations and public notices for one community, kept in
one workspace. This module is the notebook API: a notebook imports from here and
from :mod:`cogov_toolkit.widgets` only.

>>> import cogov_toolkit as cg                                   # doctest: +SKIP
>>> ws = cg.open_workspace("幸福社区.gpkg")                       # doctest: +SKIP
>>> cg.votes.count_vote(ws, "V01").result.winners                # doctest: +SKIP

Heavy parts (geopandas, folium, ipywidgets) load only when a workflow that
needs them is first used, so ``import cogov_toolkit`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# errors
from cogov_toolkit.errors import (
    AdoptionError,
    AdoptionRegisterError,
    AssessmentError,
    CobuildingError,
    CogovError,
    CogovWarning,
    ConfigurationError,
    ConventionError,
    CorruptFileError,
    CRSError,
    DamagedWorkspaceError,
    DemandError,
    EmptyFileError,
    EncodingError,
    InputError,
    MissingColumnsError,
    NotAWorkspaceError,
    NoticeError,
    PrivateFileMissingError,
    Problem,
    RecordError,
    UnsupportedFormatError,
    ValidationError,
    VoteError,
    WorkspaceError,
    WorkspaceUpgradeNeededError,
    WorkspaceVersionError,
)

# strings
from cogov_toolkit.i18n import set_language, t

# the workspace
from cogov_toolkit.storage import Workspace, create_workspace, list_backups, open_workspace, restore_backup

#: workflows, reached as ``cogov_toolkit.votes`` … (imported on first use)
_WORKFLOWS = {
    "votes": "cogov_toolkit.workflows.votes",
    "selections": "cogov_toolkit.workflows.selections",
    "demands": "cogov_toolkit.workflows.demands",
    "adoptions": "cogov_toolkit.workflows.adoptions",
    "evaluations": "cogov_toolkit.workflows.evaluations",
    "notices": "cogov_toolkit.workflows.notices",
    "imports": "cogov_toolkit.workflows.imports",
    "export": "cogov_toolkit.workflows.export",
    "maps": "cogov_toolkit.workflows.maps",
    "overview": "cogov_toolkit.workflows.overview",
    "privacy": "cogov_toolkit.workflows.privacy",
    "rosters": "cogov_toolkit.workflows.rosters",
    "sites": "cogov_toolkit.workflows.sites",
    "cobuilding": "cogov_toolkit.workflows.cobuilding",
    "conventions": "cogov_toolkit.workflows.conventions",
    "assessment": "cogov_toolkit.workflows.assessment",
    "settings": "cogov_toolkit.workflows.settings",
    "workshop": "cogov_toolkit.workflows.workshop",
    "sample": "cogov_toolkit.demo.sample",
}
#: single functions a notebook calls often, reached as ``cogov_toolkit.<name>``
_FUNCTIONS = {
    "sample_workspace": "cogov_toolkit.demo.sample",
    "build_sample_workspace": "cogov_toolkit.demo.sample",
    "import_file": "cogov_toolkit.workflows.imports",
    "export_workspace": "cogov_toolkit.workflows.export",
    "layer_counts": "cogov_toolkit.workflows.overview",
    "neighbourhood_overview": "cogov_toolkit.workflows.overview",
    "interactive_map": "cogov_toolkit.workflows.maps",
    "write_map_set": "cogov_toolkit.workflows.maps",
    "publication_gate": "cogov_toolkit.workflows.privacy",
    "render_html": "cogov_toolkit.render.interactive",
    "loadable_urls": "cogov_toolkit.render.offline_assets",
}

if TYPE_CHECKING:
    from cogov_toolkit.demo import sample
    from cogov_toolkit.workflows import (
        adoptions,
        assessment,
        cobuilding,
        conventions,
        demands,
        evaluations,
        export,
        imports,
        maps,
        notices,
        overview,
        privacy,
        rosters,
        selections,
        settings,
        sites,
        votes,
        workshop,
    )


def __getattr__(name: str) -> Any:
    if name in _WORKFLOWS:
        module = importlib.import_module(_WORKFLOWS[name])
        globals()[name] = module
        return module
    if name in _FUNCTIONS:
        value = getattr(importlib.import_module(_FUNCTIONS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cogov_toolkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WORKFLOWS) | set(_FUNCTIONS))


__all__ = [
    "__version__",
    # the workspace
    "Workspace",
    "open_workspace",
    "create_workspace",
    "list_backups",
    "restore_backup",
    # workflows (modules, imported on first use; the same names as _WORKFLOWS)
    "votes",
    "selections",
    "demands",
    "adoptions",
    "evaluations",
    "notices",
    "imports",
    "export",
    "maps",
    "overview",
    "privacy",
    "rosters",
    "sites",
    "cobuilding",
    "conventions",
    "assessment",
    "settings",
    "workshop",
    "sample",
    # often-used functions (imported on first use; the same names as _FUNCTIONS)
    "sample_workspace",
    "build_sample_workspace",
    "import_file",
    "export_workspace",
    "layer_counts",
    "neighbourhood_overview",
    "interactive_map",
    "write_map_set",
    "publication_gate",
    "render_html",
    "loadable_urls",
    # strings
    "set_language",
    "t",
    # errors
    "CogovError",
    "CogovWarning",
    "Problem",
    "InputError",
    "CorruptFileError",
    "CRSError",
    "EmptyFileError",
    "EncodingError",
    "MissingColumnsError",
    "UnsupportedFormatError",
    "ValidationError",
    "WorkspaceError",
    "NotAWorkspaceError",
    "DamagedWorkspaceError",
    "PrivateFileMissingError",
    "WorkspaceVersionError",
    "WorkspaceUpgradeNeededError",
    "RecordError",
    "ConfigurationError",
    "DemandError",
    "AdoptionError",
    "AdoptionRegisterError",
    "NoticeError",
    "VoteError",
    "CobuildingError",
    "ConventionError",
    "AssessmentError",
]
