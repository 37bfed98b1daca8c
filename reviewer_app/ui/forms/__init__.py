"""Form fields over the pages, filled per layer: the widgets, drawing them, editing values."""
