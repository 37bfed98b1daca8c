"""The docks that move through the document: page thumbnails, the PDF outline, bookmarks."""
