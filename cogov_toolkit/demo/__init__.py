"""The bundled sample community 幸福社区 and the tablet evaluation form, with their data as package data."""
