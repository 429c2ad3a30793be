"""Project photos: camera, time and GPS position never survive the cleaning; the picture stays upright."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from cogov_toolkit.errors import CobuildingError
from cogov_toolkit.io.photos import MAX_SIDE_PX, clean_photo

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>24,29.4N</exif:GPSLatitude></x:xmpmeta>'
MARKERS = (b"CanaryCam", b"GPSLatitude", b"canary-comment", b"Exif")


def phone_photo(path: Path, size: tuple[int, int] = (4000, 3000)) -> Path:
    """A JPEG as a phone writes it: camera make, rotation flag, GPS position, XMP and a comment."""
    image = Image.new("RGB", size, "green")
    image.paste((200, 30, 30), (0, 0, size[0] // 4, size[1] // 4))  # a red corner, to see the rotation
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CanaryCam"
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to view"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (24.0, 29.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (118.0, 6.0, 36.0)
    image.save(path, exif=exif, xmp=XMP, comment=b"canary-comment")
    return path


def test_the_search_finds_the_metadata_in_the_original(tmp_path: Path) -> None:
    raw = phone_photo(tmp_path / "原图.jpg").read_bytes()
    assert all(marker in raw for marker in MARKERS)
    with Image.open(io.BytesIO(raw)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_cleaning_strips_every_tag_and_keeps_the_picture_upright_and_small(tmp_path: Path) -> None:
    clean = clean_photo(phone_photo(tmp_path / "原图.jpg"))
    assert not any(marker in clean.data for marker in MARKERS)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert dict(image.getexif()) == {} and "xmp" not in image.info and "comment" not in image.info
        assert image.format == "JPEG"
        # 4000×3000 landscape turned by its orientation flag: portrait, scaled to 1600 on the long side
        assert (image.width, image.height) == (1200, MAX_SIDE_PX) == (clean.width, clean.height)
        red, green = image.getpixel((image.width - 5, 5)), image.getpixel((5, image.height - 5))
        assert red[0] > 150 and green[1] > 100  # the red corner moved to the top right, as a viewer shows it
    assert len(clean.sha256) == 64 and clean.mime == "image/jpeg"


def test_png_with_transparency_becomes_a_white_backed_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "截图.png"
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    image.save(path, pnginfo=None)
    clean = clean_photo(path.read_bytes())
    with Image.open(io.BytesIO(clean.data)) as back:
        assert back.getpixel((5, 5))[0] > 240


def test_a_file_that_is_no_picture_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "照片.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)
    with pytest.raises(CobuildingError) as caught:
        clean_photo(path)
    assert caught.value.reason == "cobuilding.photo_format" and "照片.heic" in caught.value.message()
    truncated = tmp_path / "坏.jpg"
    truncated.write_bytes(phone_photo(tmp_path / "好.jpg", (50, 40)).read_bytes()[:200])
    with pytest.raises(CobuildingError) as caught:
        clean_photo(truncated)
    assert caught.value.reason in ("cobuilding.bad_photo", "cobuilding.photo_format")
