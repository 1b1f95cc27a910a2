"""Placeholder for `facies info`; replaced by its real module."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("info", help="(not yet available)")
    parser.set_defaults(handler=lambda args: 1)
