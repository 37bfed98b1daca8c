"""Compare and merge: two layers' differences listed in the Compare dock and drawn in colour
over the pages, the other side's marks faded under a dashed frame; merging them."""
