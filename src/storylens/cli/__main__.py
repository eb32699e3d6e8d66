"""`python -m storylens.cli`."""

from storylens.cli import main

if __name__ == "__main__":
    main()
