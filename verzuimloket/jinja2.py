"""The site's pages render with Jinja2 (settings.TEMPLATES, templates/jinja2/): for speed.

Django's template language cost 1-4 ms of CPU per page (Zoek melding with 25 rows 2.2 ms,
the werkvoorraad 2.6 ms); at national scale every page must cost little. Django's language
remains only for the admin's overrides in templates/admin/ (docs/ui.md).

- `environment(**options)`: the Jinja2 environment (settings.TEMPLATES OPTIONS "environment").
  Globals `static` (`adressen.statisch`), `url`, `url_of_leeg` and `fout_aantal`; Django's
  filters `date`, `pluralize` and `default_if_none`; escaping for .html, none for the
  e-mail's .txt.
- `Jinja2`: Django's Jinja2 backend whose templates tell the test client what they rendered.
"""

import jinja2
from django.template import defaultfilters
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered
from django.urls import NoReverseMatch, reverse
from django.utils.timezone import template_localtime

from .adressen import statisch, vast


def url(naam: str, *args, **kwargs) -> str:
    """`{{ url('meldingen:detail', melding.nummer) }}`, as Django's {% url %}."""
    if not args and not kwargs:
        return vast(naam)
    return reverse(naam, args=args, kwargs=kwargs)


def url_of_leeg(naam: str, *args, **kwargs) -> str:
    """The URL, or "" when it does not resolve: Django's `{% url ... as x %}`. The error pages
    and the header use it, so a page never fails on a link it shows only when it exists."""
    try:
        return url(naam, *args, **kwargs)
    except NoReverseMatch:
        return ""


def fout_aantal(formulier) -> int:
    """How many errors a Form or a FormSet has (0 for none given): whether
    includes/error_summary.html shows. In the template, `form.management_form` on a Form fell
    through to Form.__getitem__, which raises a KeyError listing every field: 0.1 ms on every
    page with a form, errors or not."""
    if formulier is None or isinstance(formulier, jinja2.Undefined):
        return 0
    if hasattr(formulier, "management_form"):  # a FormSet
        return formulier.total_error_count()
    return len(formulier.errors)


def datum(waarde, formaat: str | None = None) -> str:
    """Django's `date` filter, in local time as Django's template language gives it."""
    return defaultfilters.date(template_localtime(waarde), formaat)


def environment(**options) -> jinja2.Environment:
    options.update(
        # Escape everything but plain text: the e-mail (meldingen/email/melding.txt) is sent
        # as written, as Django's {% autoescape off %} did.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",),
            disabled_extensions=("txt",),
            default_for_string=True,
            default=True,
        ),
        # As Django's language: a missing variable or attribute is empty, also one further
        # down (`request.user.is_authenticated` on the 400 and CSRF pages, which Django
        # renders without a request). Django's backend would print `{{ x }}` under DEBUG.
        undefined=jinja2.ChainableUndefined,
        # As Django's language: the newline at the end of a file stays (the e-mail's last line).
        keep_trailing_newline=True,
    )
    env = jinja2.Environment(**options)
    env.globals.update(static=statisch, url=url, url_of_leeg=url_of_leeg, fout_aantal=fout_aantal)
    env.filters.update(
        date=datum,
        pluralize=defaultfilters.pluralize,
        default_if_none=defaultfilters.default_if_none,
    )
    return env


class Template(jinja2_backend.Template):
    def __init__(self, template, backend):
        super().__init__(template, backend)
        self.name = template.name  # what assertTemplateUsed compares

    def render(self, context=None, request=None):
        context = {} if context is None else context
        html = super().render(context, request)  # fills `context` with request and processors
        # The test client fills response.context and response.templates from this signal,
        # which Django's language sends and its Jinja2 backend does not. Outside tests
        # nothing listens, and a signal without receivers returns at once (django.test is
        # imported by the running site anyway).
        template_rendered.send(sender=self, template=self, context=context)
        return html


class Jinja2(jinja2_backend.Jinja2):
    """Django's Jinja2 backend with `Template` above (settings.TEMPLATES BACKEND)."""

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)
