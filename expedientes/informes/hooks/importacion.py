"""Wagtail hooks: importacion (see the package docstring)."""
