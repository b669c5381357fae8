"""Allow `python -m notebase`."""

from notebase.cli import main

main()
