"""`python -m storylens.cli`."""

from storylens.cli import main

main()
