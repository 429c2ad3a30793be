"""GeoPackage geometry blobs (OGC 12-128r18, §2.1.3): a small header, then ISO WKB.

The workspace writes its feature tables through its own SQLite connection, so
that layer edits get the same transactions and durable commits as records. That
needs the GeoPackage binary format, which is a header (magic "GP", version,
flags, SRS id, envelope) in front of standard WKB that shapely reads and writes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

import numpy as np
import shapely

_MAGIC = b"GP"
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def encode(geometry: shapely.Geometry | None, srs_id: int) -> bytes | None:
    """Return the GeoPackage blob of one geometry (None stays NULL)."""
    if geometry is None:
        return None
    if geometry.is_empty:
        # empty flag set, no envelope (spec: empty geometries carry no envelope)
        flags = 0b0001_0001
        return _MAGIC + bytes((0, flags)) + struct.pack("<i", srs_id) + shapely.to_wkb(geometry, byte_order=1)
    minx, miny, maxx, maxy = geometry.bounds
    flags = 0b0000_0011  # little endian, envelope [minx, maxx, miny, maxy]
    header = _MAGIC + bytes((0, flags)) + struct.pack("<i4d", srs_id, minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geometry, byte_order=1, flavor="iso")


def encode_many(geometries: Iterable[shapely.Geometry | None], srs_id: int) -> list[bytes | None]:
    """Return the blobs of many geometries, in order."""
    return [encode(g, srs_id) for g in geometries]


def decode_many(blobs: Iterable[bytes | None]) -> np.ndarray:
    """Return an array of shapely geometries from GeoPackage blobs (None for NULL)."""
    wkbs = []
    for blob in blobs:
        if blob is None:
            wkbs.append(None)
            continue
        if bytes(blob[:2]) != _MAGIC:
            raise ValueError("not a GeoPackage geometry blob")
        envelope = (blob[3] >> 1) & 0b111
        wkbs.append(bytes(blob[8 + _ENVELOPE_BYTES[envelope] :]))
    return shapely.from_wkb(np.array(wkbs, dtype=object))


__all__ = ["encode", "encode_many", "decode_many"]
