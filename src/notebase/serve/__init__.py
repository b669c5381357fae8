"""Serve: the local server and live updates, driving the same stages as `build`."""
