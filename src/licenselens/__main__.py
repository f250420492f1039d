"""``licenselens`` and ``python -m licenselens``: the command line (``licenselens.cli.app``) as a process."""

from __future__ import annotations

import gc

# Collect the youngest generation every 10,000 new objects instead of every 700: a cold run
# creates hundreds of thousands of objects that live to the end (spaCy, pydantic, the model),
# and scanning them again and again cost a tenth of its time.
YOUNG_GC_THRESHOLD = 10_000


def main() -> None:
    """Run the command line in this process and exit with its code."""
    gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])
    from licenselens.cli import app

    try:
        app(prog_name="licenselens")
    finally:
        # The process is ending: a last collection of every object would reclaim nothing the exit does not.
        gc.freeze()


if __name__ == "__main__":
    main()
