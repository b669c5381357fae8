"""Full-text search over entries: the Korean/English analyzer, the on-disk index and queries."""
