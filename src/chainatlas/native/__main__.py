"""``python -m chainatlas.native [build|status|clean]`` (see chainatlas.native)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from chainatlas.native import build, clean, status


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "status"
    if command == "build":
        try:
            result = build(verbose="-v" in args)
        except ImportError:
            print("mypyc is not installed (pip install -e '.[native]'): the pure-Python modules run",
                  file=sys.stderr)
            return 1
        except RuntimeError as exc:
            print(f"{exc}\nthe pure-Python modules run", file=sys.stderr)
            return 1
    elif command == "clean":
        print(f"removed {clean()} files")
        return 0
    elif command == "status":
        result = status()
    else:
        print("usage: python -m chainatlas.native [build|status|clean]", file=sys.stderr)
        return 2
    for module, state in result.items():
        print(f"{module:36} {state}")
    return 0


sys.exit(main())
