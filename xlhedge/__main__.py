"""``python -m xlhedge`` = the ``xlhedge`` command."""

from .cli import main

main()
