"""``python -m flaskmod``: the same command as ``flaskmod``."""

from flaskmod.cli import main

if __name__ == "__main__":
    main(prog_name="flaskmod")
