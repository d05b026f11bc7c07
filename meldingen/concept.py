"""The state of the registration wizard, with names: the draft of one melding (`Concept`) and
the drafts this session has registered (`Registraties`).

formtools keeps a wizard's step data in the session and gives it one free dict, `extra_data`;
`Concept` is the only code that reads or writes that dict, so the wizard speaks of "the period",
"the finished steps" and "back to the Overzicht" instead of keys and widget names.
"""

import datetime
import hashlib
import json
import uuid


def _datum(waarde: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(waarde) if waarde else None


class Concept:
    """The draft of one melding (one pupil, one instelling), in formtools' session storage.

    - `id`: the draft's id; registering twice with it returns the first melding.
    - `klaar`: the steps finished (valid when last left with *Verder*); a later step's URL
      goes to the first one not finished.
    - `periode`: begindatum and einddatum as last typed at step 2, for the Lesuren step;
      `periode_ok` once the first *Verder* of step 2 accepted them.
    - `terug_naar_overzicht`: the user came from a *Wijzig* link on the Overzicht.
    - the steps to show once without messages (`stil_tonen`, `neem_stil`): stored with a
      button that only changes the page, or with *Vorige*.
    """

    def __init__(self, storage):
        self._storage = storage

    def _lees(self, naam: str, standaard=None):
        return self._storage.extra_data.get(naam, standaard)

    def _zet(self, **waarden) -> None:
        extra = dict(self._storage.extra_data)
        extra.update(waarden)
        self._storage.extra_data = extra  # re-assigned, so the session notices the change

    # -- the draft itself -----------------------------------------------------------------

    @property
    def id(self) -> str | None:
        return self._lees("concept")

    @property
    def bestaat(self) -> bool:
        return self.id is not None

    def begin(self, eerste_stap: str) -> None:
        """A new, empty draft at the first step."""
        self._storage.reset()
        self._storage.current_step = eerste_stap
        self._zet(concept=uuid.uuid4().hex, klaar=[])

    def inhoud(self, stappen) -> str:
        """A fingerprint of what the draft holds now (its id and every step's data). The
        Overzicht carries the one it was shown with; Registreren stores only that."""
        gegevens = {
            stap: sorted((self._storage.get_step_data(stap) or {}).lists()) for stap in stappen
        }
        tekst = json.dumps([self.id, gegevens], sort_keys=True, default=str)
        return hashlib.sha256(tekst.encode()).hexdigest()[:32]

    # -- finished steps ---------------------------------------------------------------------

    @property
    def klaar(self) -> list[str]:
        return list(self._lees("klaar", []))

    def markeer(self, stap: str, klaar: bool) -> None:
        huidige = self.klaar
        if klaar and stap not in huidige:
            huidige.append(stap)
        elif not klaar and stap in huidige:
            huidige.remove(stap)
        self._zet(klaar=huidige)

    # -- the period (step 2) ----------------------------------------------------------------

    @property
    def periode(self) -> tuple[datetime.date | None, datetime.date | None]:
        periode = self._lees("periode") or {}
        return _datum(periode.get("begindatum")), _datum(periode.get("einddatum"))

    def zet_periode(self, begindatum: datetime.date, einddatum: datetime.date | None) -> None:
        self._zet(
            periode={
                "begindatum": begindatum.isoformat(),
                "einddatum": einddatum.isoformat() if einddatum else None,
            }
        )

    @property
    def periode_ok(self) -> bool:
        return bool(self._lees("periode_ok"))

    def periode_akkoord(self, begindatum: datetime.date, einddatum: datetime.date | None):
        """The first *Verder* of step 2 accepted the period: the whole step shows now."""
        self.zet_periode(begindatum, einddatum)
        self._zet(periode_ok=True)

    # -- Wijzig from the Overzicht ----------------------------------------------------------

    @property
    def terug_naar_overzicht(self) -> bool:
        return self._lees("terug") == "overzicht"

    @terug_naar_overzicht.setter
    def terug_naar_overzicht(self, waarde: bool) -> None:
        if waarde != self.terug_naar_overzicht:
            self._zet(terug="overzicht" if waarde else None)

    # -- shown once without messages -----------------------------------------------------------

    def stil_tonen(self, stap: str) -> None:
        stil = list(self._lees("stil") or [])
        if stap not in stil:
            self._zet(stil=[*stil, stap])

    def neem_stil(self, stap: str) -> bool:
        """Whether to show this step without messages now (once)."""
        stil = list(self._lees("stil") or [])
        if stap not in stil:
            return False
        stil.remove(stap)
        self._zet(stil=stil)
        return True


class Registraties:
    """The drafts this session registered, with their meldingnummer: a reload, a second click
    or going back and resubmitting shows the Bevestiging again instead of registering twice.
    (The database holds the same guarantee across sessions: `Melding.concept` is unique.)"""

    SESSIE_SLEUTEL = "verzuimloket_geregistreerd"
    # A draft id is only needed for a reload or a resubmit: the latest few are enough.
    AANTAL = 20

    def __init__(self, session):
        self._session = session

    def nummer(self, concept_id: str | None) -> int | None:
        if not concept_id:
            return None
        return self._session.get(self.SESSIE_SLEUTEL, {}).get(concept_id)

    def onthoud(self, concept_id: str, nummer: int) -> None:
        geregistreerd = dict(self._session.get(self.SESSIE_SLEUTEL, {}))
        geregistreerd[concept_id] = nummer
        self._session[self.SESSIE_SLEUTEL] = dict(list(geregistreerd.items())[-self.AANTAL :])
