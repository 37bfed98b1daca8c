"""The reviewer: the Layers dock and its commands (compare, export, print among them), the
Annotations dock."""
