"""cogov_toolkit: 共同缔造 (co-creation) pilots in residential communities.

Maps, demands, votes, evaluations and public notices for one community, kept in
one GeoPackage workspace. Heavy parts (geopandas, folium, ipywidgets) are
imported only where they are used, so ``import cogov_toolkit`` stays light.
"""

from __future__ import annotations

__version__ = "0.1.0"

# errors
from cogov_toolkit.errors import (
    CogovError,
    CorruptFileError,
    CRSError,
    EmptyFileError,
    EncodingError,
    InputError,
    MissingColumnsError,
    NotAWorkspaceError,
    Problem,
    RecordError,
    UnsupportedFormatError,
    ValidationError,
    WorkspaceError,
    WorkspaceVersionError,
)

# strings
from cogov_toolkit.i18n import set_language, t

__all__ = [
    "__version__",
    # errors
    "CogovError",
    "CorruptFileError",
    "CRSError",
    "EmptyFileError",
    "EncodingError",
    "InputError",
    "MissingColumnsError",
    "NotAWorkspaceError",
    "Problem",
    "RecordError",
    "UnsupportedFormatError",
    "ValidationError",
    "WorkspaceError",
    "WorkspaceVersionError",
    # strings
    "set_language",
    "t",
]
