"""Placeholder for `facies predict`; replaced by its real module."""


def register(subparsers) -> None:
    parser = subparsers.add_parser("predict", help="(not yet available)")
    parser.set_defaults(handler=lambda args: 1)
