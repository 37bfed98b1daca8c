"""Annotations drawn over the pages by Qt (marks, shapes, stamps, overlay), the Annotations dock."""
