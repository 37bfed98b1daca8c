"""Reviewer: an offline-first desktop application for reviewing PDFs in layers."""

__version__ = "0.1.0"
