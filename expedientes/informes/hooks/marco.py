"""Wagtail hooks: marco (see the package docstring)."""
