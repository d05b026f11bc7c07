"""Koppelingen: the software of one organisation that uses the API (an administratiepakket for
an instelling, leerplicht software for an uitvoerende instantie), and the Idempotency-Keys it
sent.

A koppeling authenticates with a secret key (`Authorization: Bearer <sleutel>`). Only a hash
is stored (`rest_framework_api_key.crypto`: a random prefix to find the row, SHA-512 of a
high-entropy key, compared in constant time); the beheerder sees the key once, when it is made.
Each koppeling acts in the services as its own user (`gebruiker`, without a password and without
roles), so the history of a melding names it like a person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from leerlingen.models import Instelling, UitvoerendeInstantie


class KoppelingQuerySet(models.QuerySet):
    def bruikbaar(self):
        """Not revoked and not expired."""
        return self.filter(ingetrokken_op__isnull=True).filter(
            Q(verloopt_op__isnull=True) | Q(verloopt_op__gt=timezone.now())
        )


class Koppeling(models.Model):
    naam = models.CharField(
        max_length=100, help_text="Bijvoorbeeld: Magister van Scholengemeenschap De Grote Markt"
    )
    instelling = models.ForeignKey(
        Instelling, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    instantie = models.ForeignKey(
        UitvoerendeInstantie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uitvoerende instantie",
    )
    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="koppeling", editable=False
    )
    prefix = models.CharField(max_length=8, unique=True, editable=False)
    sleutel_hash = models.CharField(max_length=200, editable=False)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    verloopt_op = models.DateTimeField(
        "verloopt op",
        null=True,
        blank=True,
        help_text="Na dit moment wordt de sleutel geweigerd. Leeg: verloopt niet.",
    )
    ingetrokken_op = models.DateTimeField("ingetrokken op", null=True, blank=True, editable=False)
    laatst_gebruikt_op = models.DateTimeField(null=True, blank=True, editable=False)

    objects = KoppelingQuerySet.as_manager()

    class Meta:
        verbose_name = "koppeling"
        verbose_name_plural = "koppelingen"
        ordering = ["naam", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(instelling__isnull=False, instantie__isnull=True)
                | Q(instelling__isnull=True, instantie__isnull=False),
                name="koppeling_een_organisatie",
                violation_error_message="Een koppeling hoort bij één onderwijsinstelling of bij "
                "één uitvoerende instantie.",
            )
        ]

    def __str__(self):
        return self.naam

    @property
    def organisatie(self) -> Instelling | UitvoerendeInstantie:
        return self.instelling or self.instantie

    @property
    def is_ingetrokken(self) -> bool:
        return self.ingetrokken_op is not None

    @property
    def is_verlopen(self) -> bool:
        return self.verloopt_op is not None and self.verloopt_op <= timezone.now()


class IdempotenteAanvraag(models.Model):
    """A POST with an `Idempotency-Key`: the same key again gets the first answer (the melding
    made then), never a second melding. The row is written in the transaction that registers
    the melding; a concurrent request with the same key waits on its unique index and then
    finds the melding. A refused request leaves no row: the key may be used again."""

    koppeling = models.ForeignKey(Koppeling, on_delete=models.CASCADE, related_name="+")
    sleutel = models.CharField(max_length=255)
    # SHA-256 of the request body: the same key with another body is refused.
    inhoud_hash = models.CharField(max_length=64)
    melding = models.ForeignKey(
        "meldingen.Melding", on_delete=models.CASCADE, null=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "idempotente aanvraag"
        verbose_name_plural = "idempotente aanvragen"
        constraints = [
            models.UniqueConstraint(
                fields=["koppeling", "sleutel"], name="idempotentie_sleutel_eenmaal"
            )
        ]
        indexes = [models.Index(fields=["aangemaakt_op"])]

    def __str__(self):
        return self.sleutel
