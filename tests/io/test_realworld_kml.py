"""KML/KMZ of the real-world corpus: every placemark imports or is listed with its index and name.

Expected counts were read off the files (see ../shared/realworld/SOURCES.md): Google
Earth's KML_Samples, togeojson's and fastkml's test files, two KMZs. They are far from
China, so the import warns about that; these tests are about the placemarks.
"""

from __future__ import annotations

import warnings

import pytest

from cogov_toolkit.errors import EmptyFileError, InputError, ValidationError
from cogov_toolkit.io.gis import ImportedLayer, read_layer
from tests.io.realworld import corpus

#: file -> (placemarks imported, [(index, name) of each placemark left out])
IMPORTS = {
    "fastkml_Document-clean.kml": (10, [(11, "Vancouver Public Library")]),  # a 3D model
    "fastkml_KML_Samples.kml": (19, [(5, "Descriptive HTML")]),  # a description, no geometry
    "togeojson_addresses.kml": (
        7,
        [
            (1, "In transit"),
            (3, "Walking"),
            (9, "Walking"),
            (10, "Driving"),
            (11, "Walking"),
            (12, "Driving"),
            (13, "Walking"),
            (15, "Walking"),
        ],
    ),  # fmt: skip
    "togeojson_cdata.kml": (1, []),
    "togeojson_extended_data.kml": (1, []),
    "togeojson_gxtrack.kml": (1, []),
    "togeojson_linear_ring.kml": (1, []),
    "togeojson_multigeometry.kml": (1, []),
    "togeojson_point_extra_coordinates.kml": (1, []),
    "togeojson_polygon.kml": (1, []),
    "togeojson_schema.kml": (1, []),
    "togeojson_simpledata.kml": (2, []),
    "togeojson_styles.kml": (2, []),
}
#: file -> (error, reason, [(index, name)] of the placemarks listed)
REFUSED = {
    "togeojson_bad.kml": (ValidationError, "import.no_usable_placemarks", [(1, "（无名称）"), (2, "unextruded"), (3, "hollow box")]),
    "togeojson_null_geometry.kml": (ValidationError, "import.no_usable_placemarks", [(1, "Simple placemark")]),
    "togeojson_nogeomplacemark.kml": (ValidationError, "import.no_usable_placemarks", [(1, "With all inline styles")]),
    "togeojson_selfclosing.kml": (ValidationError, "import.no_usable_placemarks", [(1, "unextruded")]),
    "fastkml_archive-1.kmz": (ValidationError, "import.no_usable_placemarks", [(1, "United Nations Headquarters")]),
    "togeojson_networklink.kml": (InputError, "import.network_link", []),
    "fastkml_small_world.kmz": (InputError, "import.network_link", []),
    "togeojson_ground_overlay.kml": (EmptyFileError, "import.no_placemarks", []),
    "fastkml_LinearRingWith1DTuple.kml": (EmptyFileError, "import.no_placemarks", []),
    "fastkml_LinearRingWithInvalidLat.kml": (EmptyFileError, "import.no_placemarks", []),
}  # fmt: skip


def read(name: str) -> ImportedLayer:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # far from China: not what these tests are about
        return read_layer(corpus("kml", name), "public_spaces", site_type="square")


def test_every_kml_of_the_corpus_has_an_expected_outcome() -> None:
    assert {p.name for p in corpus("kml").glob("*.km*")} == set(IMPORTS) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_placemarks_import_and_the_bad_ones_are_listed(name: str) -> None:
    count, left_out = IMPORTS[name]
    layer = read(name)
    assert len(layer.frame) == count
    assert [(p.row, p.params["name"]) for p in layer.left_out] == left_out
    assert list(layer.frame["space_id"]) == [f"S{i:02d}" for i in range(1, count + 1)]  # ids assigned
    assert list(layer.frame["number"]) == list(range(1, count + 1))
    assert set(layer.frame["type"]) == {"square"}
    assert any("S01" in str(w) for w in layer.warnings)  # and said in the report
    if left_out:
        assert any(f"{count + len(left_out)} 个地标中有 {len(left_out)} 个未导入" in str(w) for w in layer.warnings)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_files_with_nothing_to_import_are_refused_clearly(name: str) -> None:
    error, reason, listed = REFUSED[name]
    with pytest.raises(error) as info:
        read(name)
    assert info.value.reason == reason and name in str(info.value)
    assert [(p.row, p.params["name"]) for p in info.value.problems] == listed


def test_no_no_is_never_read_as_zero_zero() -> None:
    with pytest.raises(ValidationError) as info:
        read("togeojson_bad.kml")
    assert "「no,no」" in str(info.value)


def test_names_descriptions_and_extended_data_are_kept() -> None:
    layer = read("togeojson_simpledata.kml")
    assert list(layer.frame["name"]) == ["Easy trail", "Difficult trail"]
    samples = read("fastkml_KML_Samples.kml")
    assert samples.frame["notes"].notna().any()  # descriptions
    kinds = set(samples.frame.geometry.geom_type)
    assert kinds == {"Point", "LineString", "Polygon"}


def test_folder_names_that_are_no_kind_of_site_are_listed_placemark_by_placemark() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(
            ValidationError
        ) as info:  # KML_Samples' folders ("Placemarks" …) are no kind of public space
            read_layer(corpus("kml", "fastkml_KML_Samples.kml"), "public_spaces", type_from="folder")
    assert len(info.value.problems) == 20
    assert all("不是可选的值" in str(p.params.get("why", "")) for p in info.value.problems if p.row != 5)
