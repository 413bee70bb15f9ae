"""``python -m ccrules``: the same as the ``ccrules`` command."""

from ccrules.cli import main

if __name__ == "__main__":
    main()
