"""Grading a class: the Grading dock (the scheme), the points tool, the score sheet, Next
Ungraded and anonymous grading, grades as CSV, the comment bank and Return All."""
