"""Read queries for the Leerling overzicht, Zoek melding and Melding details (manual 2.2, 3).

Scoping, in one place:
- `meldingen_van_leerling` lists all of a pupil's meldingen, of every instelling (the view
  checks first that the pupil is visible to the user's instelling).
- `zoek_meldingen` searches only meldingen of instellingen the user holds a machtiging for
  (`request.machtigingen`); a chosen Instellingscode narrows that further, never widens it.
- `melding_van_instelling` returns a melding only to its meldende instelling (the one the user
  acts for now, `request.instelling`); anything else is a 404, so guessing numbers reveals
  nothing.
- Anonymised meldingen (`geanonimiseerd_op`) are found by neither: they belong to no pupil any
  more and are kept for statistics only.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from leerlingen.models import Instelling, UitvoerendeInstantie

from .models import ContactpersoonLeerling, Melding, MeldingWijziging, Verzuimdag

# The latest changes shown on the detail page ("a short history").
HISTORIE_AANTAL = 10


# What a list row of a pupil's meldingen shows (presenters.leerling_overzicht_regels, the API's
# Leerling overzicht): reading only these halves the cost of building the rows.
OVERZICHT_VELDEN = (
    "nummer",
    "leerling",
    "instelling",
    "soort",
    "status",
    "begindatum",
    "einddatum",
    "uitvoerende_instantie__naam",
)


def meldingen_van_leerling(leerling) -> QuerySet[Melding]:
    """The pupil's meldingen for the Leerling overzicht, latest period first. Through the
    pupil's related manager, so every row refers to this `leerling` without a join."""
    return (
        leerling.meldingen.select_related("uitvoerende_instantie")
        .only(*OVERZICHT_VELDEN)
        .order_by("-begindatum", "-nummer")
    )


def zoek_meldingen(
    *,
    machtigingen: Iterable[Instelling],
    nummer: int | None = None,
    instelling: Instelling | None = None,
    instantienaam: str = "",
    statussen: Iterable[str] = (),
) -> QuerySet[Melding]:
    """Meldingen matching every given criterion, newest first, only of `machtigingen`."""
    codes = [i.pk for i in machtigingen]
    qs = Melding.objects.filter(instelling_id__in=codes).niet_geanonimiseerd()
    if nummer is not None:
        qs = qs.filter(nummer=nummer)
    if instelling is not None:
        qs = qs.filter(instelling_id=instelling.pk)
    if instantienaam:
        # UPPER(naam) LIKE UPPER('%...%'): served by the trigram index of leerlingen 0003. The
        # ids first, in a query of their own: given a subquery, the planner joined all 10,000
        # of a school's meldingen at "groningen" and sorted them (230 ms) instead of reading
        # the newest 25 from the index (1 ms).
        qs = qs.filter(
            uitvoerende_instantie_id__in=list(
                UitvoerendeInstantie.objects.filter(naam__icontains=instantienaam).values_list(
                    "pk", flat=True
                )
            )
        )
    statussen = list(statussen)
    if statussen:
        qs = qs.filter(status__in=statussen)
    return (
        qs.select_related("leerling", "uitvoerende_instantie")
        .only(*OVERZICHT_VELDEN, "leerling__naam")
        .order_by("-nummer")
    )


def melding_van_instelling(instelling: Instelling, nummer: int, *, voor_detail=False) -> Melding:
    """The melding with this number made by `instelling`, or Http404.

    `voor_detail=True` also fetches everything the detail page shows, in a fixed number of
    queries: the foreign keys and terugkoppeling in one join, then contactpersonen,
    verzuimdagen and the latest changes (with their users)."""
    qs = Melding.objects.van_instelling(instelling)
    return get_object_or_404(met_details(qs) if voor_detail else _met_kern(qs), nummer=nummer)


def _met_kern(qs: QuerySet[Melding]) -> QuerySet[Melding]:
    return qs.select_related("leerling", "instelling", "uitvoerende_instantie")


def met_details(qs: QuerySet[Melding]) -> QuerySet[Melding]:
    """Everything a page with all blocks of a melding shows, in a fixed number of queries: the
    foreign keys and terugkoppeling in one join, then contactpersonen and verzuimdagen."""
    return (
        _met_kern(qs)
        .select_related("aanbieder", "locatie", "terugkoppeling")
        .prefetch_related(
            Prefetch(
                "contactpersonen", queryset=ContactpersoonLeerling.objects.order_by("volgnummer")
            ),
            Prefetch("verzuimdagen", queryset=Verzuimdag.objects.order_by("datum")),
        )
    )


def historie(melding: Melding, aantal: int = HISTORIE_AANTAL) -> list[MeldingWijziging]:
    """The latest changes of a melding, newest first, with the user who made them."""
    return list(
        MeldingWijziging.objects.filter(melding=melding)
        .select_related("gebruiker")
        .order_by("-tijdstip", "-pk")[:aantal]
    )
