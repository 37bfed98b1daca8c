"""The comments pane: a layer's comment threads, replies and thread states."""
