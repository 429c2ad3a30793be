"""Draw the sample's two project photos (PJ01 口袋花园 before and after), as a phone would save them.

Each JPEG carries what a phone puts in a photo (camera make, the time taken and
a GPS position), so that notebook 07 shows the toolkit storing it without any of
that. The pictures are simple drawings (no person in them)::

    python data/make_sample_photos.py   # rewrites cogov_toolkit/demo/sample_photos/
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "cogov_toolkit" / "demo" / "sample_photos"
SIZE = (640, 480)
GPS_IFD = 0x8825  # the EXIF tag of the GPS sub-directory


def _exif(taken: str) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SamplePhone"  # Make
    exif[0x0110] = "Demo 1"  # Model
    exif[0x0132] = taken  # DateTime
    exif[GPS_IFD] = {1: "N", 2: (24.0, 29.0, 24.0), 3: "E", 4: (118.0, 6.0, 36.0)}  # near the sample, 24.49 N 118.11 E
    return exif


def _scene(after: bool, rng: random.Random) -> Image.Image:
    picture = Image.new("RGB", SIZE, (176, 206, 230))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 640, 120), fill=(205, 200, 190))  # the wall of 2栋
    for x in range(20, 640, 90):
        draw.rectangle((x, 20, x + 50, 90), fill=(120, 140, 160))
    draw.rectangle((0, 300, 640, 480), fill=(150, 130, 100) if not after else (96, 150, 70))
    if not after:  # rubble and a broken bench
        for _ in range(40):
            x, y = rng.randrange(0, 620), rng.randrange(300, 460)
            draw.ellipse((x, y, x + rng.randrange(10, 30), y + rng.randrange(6, 18)), fill=(110, 100, 90))
        draw.rectangle((380, 330, 520, 345), fill=(90, 70, 50))
    else:  # a path, flower beds and a bench
        draw.polygon([(280, 480), (360, 480), (330, 300), (310, 300)], fill=(200, 190, 170))
        for _ in range(60):
            x, y = rng.randrange(0, 620), rng.randrange(310, 470)
            if 250 < x < 380:
                continue
            colour = rng.choice([(220, 60, 80), (250, 200, 60), (240, 240, 240), (200, 100, 200)])
            draw.ellipse((x, y, x + 12, y + 12), fill=colour)
        draw.rectangle((420, 320, 560, 336), fill=(140, 90, 50))
        draw.rectangle((430, 336, 440, 360), fill=(80, 80, 80))
        draw.rectangle((540, 336, 550, 360), fill=(80, 80, 80))
    return picture


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20260301)
    for name, after, taken in (
        ("PJ01_改造前.jpg", False, "2026:03:18 09:30:00"),
        ("PJ01_改造后.jpg", True, "2026:06:28 16:05:00"),
    ):
        _scene(after, rng).save(OUT / name, format="JPEG", quality=80, exif=_exif(taken))
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
