"""Exporting layers: the export dialog and its choices, printing, the export child process."""
