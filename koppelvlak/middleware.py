"""What the API needs outside its views: the API-Version header on every answer under /api/,
and problem details for Django's own 404 and 500 there. No DRF import at module level: this is
loaded with the middleware, before DRF's settings may be read."""

from django.conf import settings
from django.views import defaults


def niet_gevonden(request, exception):
    """handler404: a problem under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        from .fouten import probleem_response  # imports DRF: not while loading middleware

        return probleem_response(request, 404)
    return defaults.page_not_found(request, exception)


def serverfout(request):
    """handler500: a problem under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        from .fouten import probleem_response  # imports DRF: not while loading middleware

        return probleem_response(request, 500)
    return defaults.server_error(request)


class ApiVersieMiddleware:
    """Every answer under /api/ names the API's full version (API-Version), errors too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            if response.status_code == 404 and "json" not in response.get("Content-Type", ""):
                # With DEBUG on, Django answers an unknown URL with its technical HTML page
                # instead of handler404.
                from .fouten import probleem_response  # imports DRF: not while loading

                response = probleem_response(request, 404)
            response["API-Version"] = settings.API_VERSIE
        return response
