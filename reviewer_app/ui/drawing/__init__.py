"""The tools that draw new annotations (markup, pen and eraser, notes and free text, shapes,
lines, stamps, pictures) and the catalog of every tool in toolbar order."""
