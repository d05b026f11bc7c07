from django.db import models


class Teller(models.Model):
    """How often something happened in one time window, for throttling (`verzuimloket.rem`).
    In PostgreSQL, so every process counts in the same place; counted with one atomic upsert.
    The table is UNLOGGED (migration 0002): counting waits for no disk, and a crash of the
    database empties it, so the limits count again from zero."""

    sleutel = models.CharField(max_length=200)
    venster = models.DateTimeField()  # the start of the window
    aantal = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "teller"
        verbose_name_plural = "tellers"
        constraints = [
            models.UniqueConstraint(fields=["sleutel", "venster"], name="teller_per_venster")
        ]
        indexes = [models.Index(fields=["venster"])]

    def __str__(self):
        return f"{self.sleutel} {self.venster:%d-%m-%Y %H:%M}: {self.aantal}"
