"""Render: markdown to safe HTML (one markdown-it instance and its rules), URLs and the Jinja environment."""
