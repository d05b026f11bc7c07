from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldingen.volume import VolumeFout, laad_volume


def _positief(waarde: str) -> int:
    getal = int(waarde)
    if getal < 0:
        raise ValueError(waarde)
    return getal


class Command(BaseCommand):
    help = (
        "Laad een landelijke hoeveelheid leerlingen en meldingen bovenop de demo (voor metingen): "
        "gemeenten, RMC-regio's, instellingen, leerlingen en meldingen van de afgelopen vier "
        "jaar, met COPY. Alle datums volgen uit vandaag; dezelfde seed geeft dezelfde gegevens. "
        "Weigert zonder demo (draai eerst laad_demo) en als er al een volumeset staat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--leerlingen", type=_positief, required=True)
        parser.add_argument("--meldingen", type=_positief, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, leerlingen, meldingen, seed, **options):
        if leerlingen < 1:
            raise CommandError("Kies minstens één leerling.")
        try:
            resultaat = laad_volume(
                leerlingen=leerlingen,
                meldingen=meldingen,
                seed=seed,
                voortgang=self.stdout.write,
            )
        except VolumeFout as fout:
            raise CommandError(str(fout)) from fout
        self.stdout.write(
            self.style.SUCCESS(
                f"{resultaat.leerlingen} leerlingen en {resultaat.meldingen} meldingen geladen "
                f"in {resultaat.seconden:.0f} s (peildatum {resultaat.vandaag:%d-%m-%Y}, "
                f"seed {seed})."
            )
        )
