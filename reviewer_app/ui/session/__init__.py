"""The document shown and the layer edited: opening a PDF, the editor that writes changes."""
