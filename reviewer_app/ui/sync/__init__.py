"""Sync in the window: Connect to Server, background sync, the status indicator, conflicts."""
