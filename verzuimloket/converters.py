class Getal:
    """A positive whole number that fits a PostgreSQL bigint: a longer number in a URL is a
    404, not a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
