"""Wagtail hooks: gestion (see the package docstring)."""
