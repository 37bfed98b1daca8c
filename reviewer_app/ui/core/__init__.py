"""What every room of the UI uses: emit(), the settings, action collections, background tasks."""
