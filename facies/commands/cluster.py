"""Placeholder for `facies cluster`; replaced by its real module."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("cluster", help="(not yet available)")
    parser.set_defaults(handler=lambda args: 1)
