"""The forms of the meldingen app, one theme a module:

- `velden`: field factories (telefoon, e-mail, tekst with "Maximaal N karakters") and the base
  classes of the block forms and their rows.
- `leerling`, `verzuim`, `lesuren`, `acties`: one module per block of a melding (manual
  2.3-2.6); `meldingen/blokken.py` says which form belongs to which block.
- `stap`: a form and a formset shown and validated as one (blocks Leerling and Lesuren).
- `paginaknoppen`: the buttons that only change the page, without JavaScript.
- `zoeken` (Zoek melding, manual 3) and `intrekken` (manual 5).

A block form speaks in Melding field names: `initial` and `cleaned_data` are what the model and
the services take. The rules live in `regels.py` and the database; a form calls them to put the
message next to the field.
"""

from .acties import ActiesSchoolForm, OverzichtForm
from .intrekken import IntrekkenForm
from .leerling import ContactpersoonFormSet, LeerlingForm, LeerlingStapForm
from .lesuren import LesurenForm, LesurenStapForm, VerzuimdagFormSet
from .verzuim import STANDAARDTEKSTEN, VerzuimForm
from .zoeken import GEEN_CRITERIUM, ZoekMeldingForm

__all__ = [
    "GEEN_CRITERIUM",
    "STANDAARDTEKSTEN",
    "ActiesSchoolForm",
    "ContactpersoonFormSet",
    "IntrekkenForm",
    "LeerlingForm",
    "LeerlingStapForm",
    "LesurenForm",
    "LesurenStapForm",
    "OverzichtForm",
    "VerzuimForm",
    "VerzuimdagFormSet",
    "ZoekMeldingForm",
]
