"""Load: find note files, read them (readers/), and turn them into typed entries."""
