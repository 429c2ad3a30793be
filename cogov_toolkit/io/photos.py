"""Project photos (before/after) made safe to keep in the workspace: EXIF, location and every other tag stripped.

A phone photo carries the camera, the time and often the GPS position of
where it was taken (a resident's home, if taken from a window) in its EXIF and
XMP blocks. :func:`clean_photo` redraws the picture into a new JPEG from its
pixels alone: the orientation is applied first (so the picture stays upright),
then the image is scaled down to :data:`MAX_SIDE_PX` and encoded with no
metadata at all. The workspace keeps only these bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from cogov_toolkit._optional import require
from cogov_toolkit.errors import CobuildingError

#: the longest side of a stored photo: sharp on an A4 print and a projector, about 300 KB as JPEG
MAX_SIDE_PX = 1600
JPEG_QUALITY = 85
#: what Pillow must recognise the file as (JPEG from phones and cameras, PNG screenshots, WebP from WeChat)
READABLE_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "BMP", "TIFF")


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: JPEG bytes with no metadata, its size in pixels and its SHA-256."""

    data: bytes = field(repr=False)
    width: int
    height: int
    sha256: str
    mime: str = "image/jpeg"


def clean_photo(source: str | Path | bytes, *, max_side: int = MAX_SIDE_PX) -> CleanPhoto:
    """Return the photo at ``source`` (a path or the file's bytes) redrawn without any metadata.

    Raises
    ------
    CobuildingError
        ``cobuilding.photo_format`` for a file Pillow cannot read as a picture
        (HEIC from an iPhone: export it as JPEG first), ``cobuilding.bad_photo``
        for a damaged one.
    """
    require("PIL", "pillow")
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = "photo" if isinstance(source, bytes) else Path(source).name
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            if opened.format not in READABLE_FORMATS:
                raise CobuildingError("cobuilding.photo_format", file=name)
            upright = ImageOps.exif_transpose(opened)
            picture = _flatten(upright)
    except UnidentifiedImageError:
        raise CobuildingError("cobuilding.photo_format", file=name) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise CobuildingError("cobuilding.bad_photo", file=name, detail=str(exc)) from None
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # a new image from the pixels alone: nothing of the original's info (EXIF, XMP, ICC, comments) comes along
    bare = Image.frombytes("RGB", picture.size, picture.tobytes())
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    data = out.getvalue()
    return CleanPhoto(data, bare.width, bare.height, hashlib.sha256(data).hexdigest())


def _flatten(image: object) -> object:
    """Return an RGB copy; transparent parts of a PNG become white, as on paper."""
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


__all__ = ["MAX_SIDE_PX", "JPEG_QUALITY", "READABLE_FORMATS", "CleanPhoto", "clean_photo"]
