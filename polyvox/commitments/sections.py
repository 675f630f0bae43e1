"""What commitments adds to the pages of apps below it, registered in `ready()`."""


def register() -> None:
    """Nothing yet."""
