"""Request bodies: JSON, and JSON merge patch (RFC 7396) for PATCH; a parse error in Dutch.
Apart from `fouten` so that DRF's settings can import it before DRF's views exist."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

ONGELDIGE_JSON = "De inhoud is geen geldige JSON."


class JsonParser(JSONParser):
    """JSON, also as a JSON merge patch (RFC 7396) for PATCH; a parse error in Dutch."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError:
            raise exceptions.ParseError(ONGELDIGE_JSON) from None


class MergePatchParser(JsonParser):
    media_type = "application/merge-patch+json"
