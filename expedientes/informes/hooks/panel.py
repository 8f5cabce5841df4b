"""Wagtail hooks: panel (see the package docstring)."""
