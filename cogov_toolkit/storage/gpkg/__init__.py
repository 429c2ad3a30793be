"""The GeoPackage backend: one community in one .gpkg file, personal data in a private companion file."""
