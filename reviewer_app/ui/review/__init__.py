"""The reviewer: the Layers dock and its commands, compare and merge, export of layer PDFs."""
