"""The page viewer: page view and tiles, the render worker client, find, text selection."""
