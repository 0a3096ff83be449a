"""``python -m xlhedge`` = the ``xlhedge`` command."""

from xlhedge.cli import main

main()
