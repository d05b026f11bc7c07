"""Verzuimmelding registreren: the six-step wizard (manual 2.3-2.7).

A formtools `NamedUrlSessionWizardView` with five form steps (leerling, verzuim, lesuren,
acties, overzicht); step 6, *Bevestiging*, is the page after registering. What it adds to
formtools (see ../shared/style.md):

- The storage prefix holds the pupil and the instelling: two tabs, two pupils never mix.
- Step 2 has two phases on one URL: the first *Verder* checks only the period
  (`extra_data["periode_ok"]`), then the whole form shows.
- *Vorige* keeps what was typed on the current step (stored even when not valid yet); which
  steps are finished is kept in `extra_data["klaar"]`, so opening a later step's URL goes to
  the first unfinished step.
- *Wijzig* on the Overzicht links to a step with `?terug=overzicht` (kept in extra_data); after a
  valid POST the user goes to the first finished step that no longer validates, else back to
  the Overzicht.
- Buttons that only change the page (Contactpersoon toevoegen, Voeg dag toe, Voeg toe,
  Verwijderen) post `actie`; the changed data is stored and the page shown again without
  messages (POST, redirect, GET).
- Registering happens on the Overzicht's POST, once: `services.melding_registreren`, then a
  redirect to the Bevestiging. Each draft has an id (`concept`, also in the Overzicht's form);
  the session remembers which drafts were registered, so a reload, a second click or going
  back and resubmitting shows the Bevestiging again instead of registering twice. When the
  service refuses (e.g. another melding made the period overlap meanwhile) the user lands on
  the step the message belongs to (usually Verzuim) with all data kept.
"""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from leerlingen.models import Leerling
from verzuimloket.forms import DatumField

from . import regels, services
from .forms import (
    STANDAARDTEKSTEN,
    ActiesSchoolForm,
    LeerlingStapForm,
    LesurenStapForm,
    OverzichtForm,
    VerzuimForm,
    paginaknop,
    toon_locatie,
)
from .models import Melding
from .presenters import OVERZICHT, MeldingPresenter

STAPPEN = [
    ("leerling", LeerlingStapForm),
    ("verzuim", VerzuimForm),
    ("lesuren", LesurenStapForm),
    ("acties", ActiesSchoolForm),
    ("overzicht", OverzichtForm),
]
TITELS = {
    "leerling": "Leerling",
    "verzuim": "Verzuim",
    "lesuren": "Lesuren",
    "acties": "Acties school",
    "overzicht": "Overzicht",
}
AANTAL_STAPPEN = 6
GEREGISTREERD_SLEUTEL = "verzuimloket_geregistreerd"
NIET_GEREGISTREERD = "De verzuimmelding is niet geregistreerd."

_VELD_STAP = {
    **{veld: "leerling" for veld in services.LEERLING_VELDEN},
    "contactpersonen": "leerling",
    **{veld: "verzuim" for veld in services.VERZUIM_VELDEN},
    "alle_lessen_gemist": "lesuren",
    "verzuimdagen": "lesuren",
    **{veld: "acties" for veld in services.ACTIES_VELDEN},
}


def _datum(waarde) -> datetime.date | None:
    if not waarde:
        return None
    return datetime.date.fromisoformat(waarde)


class RegistrerenWizard(NamedUrlSessionWizardView):
    form_list = STAPPEN

    # --- who, and which draft ---------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        self.leerling = get_object_or_404(
            Leerling.objects.zichtbaar_voor(request.instelling), pk=kwargs["leerling_pk"]
        )
        self.vandaag = regels.vandaag()
        blokkade = regels.registreren_blokkade(self.leerling, request.instelling, self.vandaag)
        if blokkade is not None:  # the Leerling overzicht shows the blue bar that says why
            return redirect("leerlingen:overzicht", pk=self.leerling.pk)
        self._cache = {}
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        # Per pupil and instelling: two tabs with two pupils each keep their own draft.
        return f"registreren_{request.instelling.instellingscode}_{kwargs['leerling_pk']}"

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"leerling_pk": self.leerling.pk, "step": step})

    @property
    def extra(self) -> dict:
        return self.storage.extra_data

    def _zet_extra(self, **waarden):
        extra = dict(self.storage.extra_data)
        extra.update(waarden)
        self.storage.extra_data = extra  # re-assign: the session notices the change

    def _nieuw_concept(self):
        self.storage.reset()
        self.storage.current_step = self.steps.first
        self._zet_extra(concept=uuid.uuid4().hex, klaar=[])

    def _geregistreerd(self) -> dict:
        return self.request.session.get(GEREGISTREERD_SLEUTEL, {})

    def _bevestiging_url(self, nummer) -> str:
        return reverse(
            "meldingen:registreren_bevestiging",
            kwargs={"leerling_pk": self.leerling.pk, "nummer": nummer},
        )

    # --- which steps are finished -------------------------------------------------------------

    def _klaar(self) -> list[str]:
        return list(self.extra.get("klaar", []))

    def _markeer(self, stap: str, klaar: bool):
        huidige = self._klaar()
        if klaar and stap not in huidige:
            huidige.append(stap)
        elif not klaar and stap in huidige:
            huidige.remove(stap)
        self._zet_extra(klaar=huidige)

    def eerste_open_stap(self) -> str:
        """The first step not finished yet (the Overzicht once all four are)."""
        klaar = self._klaar()
        for stap in self.get_form_list():
            if stap not in klaar:
                return stap
        return self.steps.last

    def _index(self, stap: str) -> int:
        return list(self.get_form_list()).index(stap)

    # --- forms --------------------------------------------------------------------------------

    def _periode(self) -> tuple[datetime.date | None, datetime.date | None]:
        """Begindatum and einddatum as stored for step 2 (cheap: no database)."""
        if "periode" not in self._cache:
            data = self.storage.get_step_data("verzuim")
            begin = eind = None
            if data is not None:
                veld = DatumField(required=False)
                try:
                    begin = veld.clean([data.get(f"verzuim-begindatum_{i}") for i in range(3)])
                    eind = veld.clean([data.get(f"verzuim-einddatum_{i}") for i in range(3)])
                except ValidationError:
                    begin = eind = None
            if begin is None:
                periode = self.extra.get("periode") or {}
                begin, eind = _datum(periode.get("begindatum")), _datum(periode.get("einddatum"))
            self._cache["periode"] = (begin, eind)
        return self._cache["periode"]

    def get_form_kwargs(self, step=None):
        if step == "verzuim":
            return {
                "leerling": self.leerling,
                "instelling": self.request.instelling,
                "op": self.vandaag,
                "alleen_periode": not self.extra.get("periode_ok"),
            }
        if step == "lesuren":
            begindatum, einddatum = self._periode()
            return {"begindatum": begindatum, "einddatum": einddatum, "op": self.vandaag}
        return {}

    def _inschrijving(self):
        if "inschrijving" not in self._cache:
            begindatum = self._periode()[0] or self.vandaag
            self._cache["inschrijving"] = regels.inschrijving_op(
                self.leerling, self.request.instelling, begindatum
            ) or regels.inschrijving_op(self.leerling, self.request.instelling, self.vandaag)
        return self._cache["inschrijving"]

    def get_form_initial(self, step):
        if step != "verzuim" or self.storage.get_step_data("verzuim") is not None:
            return {}
        begindatum, einddatum = self._periode()
        initial = {
            "begindatum": begindatum,
            "einddatum": einddatum,
            "contactpersoon_email": self.request.user.email,
            "contactpersoon_naam": self.request.user.get_full_name(),
        }
        if self.extra.get("periode_ok"):
            inschrijving = self._inschrijving()
            if inschrijving is not None:
                initial["aanbieder"] = inschrijving.aanbieder_id
                initial["locatie"] = inschrijving.locatie
        return initial

    def _stap_form(self, stap: str):
        """The form of a stored step, bound to its stored data (validated once a request)."""
        sleutel = ("opgeslagen", stap)
        if sleutel not in self._cache:
            self._cache[sleutel] = self.get_form(
                step=stap,
                data=self.storage.get_step_data(stap),
                files=self.storage.get_step_files(stap),
            )
        return self._cache[sleutel]

    def _bewaar(self, stap: str, form, klaar: bool):
        self.storage.set_step_data(stap, self.process_step(form))
        self._cache.pop(("opgeslagen", stap), None)
        self._cache.pop("periode", None)
        self._markeer(stap, klaar)
        if klaar and stap in (self.extra.get("stil") or []):
            self._zet_extra(stil=[s for s in self.extra["stil"] if s != stap])

    # --- GET ----------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        stap = kwargs.get("step")
        if stap is None:  # registreren_start: "Registreer nieuwe melding" or "Terug naar ..."
            self._nieuw_concept()
            if "annuleren" in request.GET:
                return redirect("leerlingen:overzicht", pk=self.leerling.pk)
            return redirect(self.get_step_url(self.steps.first))
        if "concept" not in self.extra:
            self._nieuw_concept()
        form_list = self.get_form_list()
        if stap not in form_list:
            return redirect(self.get_step_url(self.eerste_open_stap()))
        eerste_open = self.eerste_open_stap()
        if self._index(eerste_open) < self._index(stap):
            return redirect(self.get_step_url(eerste_open))
        if request.GET.get("terug") == "overzicht" and stap != "overzicht":
            self._zet_extra(terug="overzicht")
        elif stap == "overzicht":
            if self.extra.get("terug"):
                self._zet_extra(terug=None)
            ongeldig = self._eerste_ongeldige_stap()
            if ongeldig is not None:
                return redirect(self.get_step_url(ongeldig))
        self.storage.current_step = stap
        data = self.storage.get_step_data(stap)
        form = self.get_form(step=stap, data=data, files=self.storage.get_step_files(stap))
        stil = list(self.extra.get("stil") or [])
        if stap in stil:
            stil.remove(stap)
            self._zet_extra(stil=stil)
            if data is not None:
                self._zonder_fouten(form)
        return self.render(form)

    def _stil(self, stap: str):
        """Show this step's stored data once without messages (it was not submitted with
        Verder: Contactpersoon toevoegen, Voeg dag toe, Vorige...)."""
        stil = list(self.extra.get("stil") or [])
        if stap not in stil:
            self._zet_extra(stil=[*stil, stap])

    @staticmethod
    def _zonder_fouten(form):
        if hasattr(form, "zonder_fouten"):
            form.zonder_fouten()
        else:
            form._errors = ErrorDict()

    # --- POST ---------------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        beheer = ManagementForm(request.POST, prefix=self.prefix)
        if not beheer.is_valid():
            raise SuspiciousOperation("ManagementForm data is missing or has been tampered.")
        stap = beheer.cleaned_data["current_step"]
        concept = request.POST.get("concept")
        if concept and concept in self._geregistreerd():
            # Already registered (reload, second click, back and resubmit): never twice.
            return redirect(self._bevestiging_url(self._geregistreerd()[concept]))
        form_list = self.get_form_list()
        if "concept" not in self.extra or stap not in form_list or stap != kwargs.get("step"):
            return redirect(self.get_step_url(self.eerste_open_stap()))
        if self._index(self.eerste_open_stap()) < self._index(stap):
            return redirect(self.get_step_url(self.eerste_open_stap()))
        self.storage.current_step = stap

        actie = request.POST.get("actie")
        if actie:
            return self._verwerk_actie(stap, actie)

        form = self.get_form(step=stap, data=request.POST, files=request.FILES)
        vorige = request.POST.get("wizard_goto_step")
        if vorige in form_list:
            # Keep what was typed, valid or not; shown again without messages.
            geldig = form.is_valid()
            self._bewaar(stap, form, klaar=geldig and stap != self.steps.last)
            if not geldig:
                self._stil(stap)
            return self.render_goto_step(vorige)
        if not form.is_valid():
            return self.render(form)
        if stap == "verzuim" and form.alleen_periode:
            periode = {
                "begindatum": form.cleaned_data["begindatum"].isoformat(),
                "einddatum": form.cleaned_data["einddatum"].isoformat()
                if form.cleaned_data["einddatum"]
                else None,
            }
            self._zet_extra(periode_ok=True, periode=periode)
            return redirect(self.get_step_url("verzuim"))
        self._bewaar(stap, form, klaar=stap != "overzicht")
        if stap == "verzuim":
            for waarschuwing in form.waarschuwingen:
                messages.warning(request, waarschuwing)
        if stap == self.steps.last:
            return self.render_done(form, **kwargs)
        if self.extra.get("terug") == "overzicht":
            return redirect(self.get_step_url(self._eerste_ongeldige_stap() or "overzicht"))
        return self.render_next_step(form)

    def _eerste_ongeldige_stap(self) -> str | None:
        for stap in list(self.get_form_list())[:-1]:
            if not self._stap_form(stap).is_valid():
                self._markeer(stap, False)
                return stap
        return None

    def _verwerk_actie(self, stap: str, actie: str):
        """Contactpersoon toevoegen / verwijderen, Voeg dag toe, Voeg toe, dag verwijderen."""
        prefix = {"leerling": "leerling-contactpersonen", "lesuren": "lesuren-verzuimdagen"}
        if stap not in prefix:
            raise Http404
        uitkomst = paginaknop(
            stap,
            actie,
            self.request.POST,
            formset_prefix=prefix[stap],
            alle_lessen_veld="lesuren-alle_lessen_gemist",
            is_geldig=lambda data: self.get_form(step=stap, data=data).is_valid(),
        )
        if uitkomst is None:
            raise Http404
        data, stil = uitkomst
        form = self.get_form(step=stap, data=data)
        self._bewaar(stap, form, klaar=False)
        if stil:
            self._stil(stap)
        return redirect(self.get_step_url(stap))

    # --- registering --------------------------------------------------------------------------

    def render_done(self, form, **kwargs):
        """Called by the Overzicht's valid POST (not by a GET of a 'done' URL)."""
        concept = self.extra.get("concept")
        if concept in self._geregistreerd():
            return redirect(self._bevestiging_url(self._geregistreerd()[concept]))
        forms = {}
        for stap in self.get_form_list():
            stap_form = form if stap == self.steps.last else self._stap_form(stap)
            if not stap_form.is_valid():
                self._markeer(stap, False)
                return self.render_revalidation_failure(stap, stap_form, **kwargs)
            forms[stap] = stap_form
        return self.done(list(forms.values()), form_dict=forms, **kwargs)

    @staticmethod
    def _gegevens(form_dict) -> dict:
        """Melding field values from the steps' cleaned data (what the service takes)."""
        leerling = form_dict["leerling"].cleaned_data
        gegevens = {
            **{veld: leerling[veld] for veld in services.LEERLING_VELDEN},
            **{veld: form_dict["verzuim"].cleaned_data[veld] for veld in services.VERZUIM_VELDEN},
            "alle_lessen_gemist": form_dict["lesuren"].cleaned_data["alle_lessen_gemist"],
            **{veld: form_dict["acties"].cleaned_data[veld] for veld in services.ACTIES_VELDEN},
        }
        if "overzicht" in form_dict:
            gegevens["stuur_email_naar_melder"] = form_dict["overzicht"].cleaned_data[
                "stuur_email_naar_melder"
            ]
        return gegevens

    def done(self, form_list, form_dict=None, **kwargs):
        leerling = form_dict["leerling"].cleaned_data
        lesuren = form_dict["lesuren"].cleaned_data
        gegevens = self._gegevens(form_dict)
        try:
            melding = services.melding_registreren(
                leerling=self.leerling,
                instelling=self.request.instelling,
                gebruiker=self.request.user,
                gegevens=gegevens,
                contactpersonen=leerling["contactpersonen"],
                verzuimdagen=lesuren["verzuimdagen"],
                op=self.vandaag,
                concept=self.extra["concept"],
            )
        except ValidationError as exc:
            return self._registratie_geweigerd(exc)
        geregistreerd = dict(self._geregistreerd())
        geregistreerd[self.extra["concept"]] = melding.nummer
        # Keep the most recent few; a draft id is only needed for a reload or a resubmit.
        self.request.session[GEREGISTREERD_SLEUTEL] = dict(list(geregistreerd.items())[-20:])
        self.storage.reset()
        return redirect(self._bevestiging_url(melding.nummer))

    def _registratie_geweigerd(self, exc: ValidationError):
        """Another melding may have made the period overlap meanwhile: back to the step the
        message belongs to, every value kept, the message shown."""
        if hasattr(exc, "error_dict"):
            velden = list(exc.message_dict)
            meldingen = [m for ms in exc.message_dict.values() for m in ms]
        else:
            velden, meldingen = [], exc.messages
        stap = next((_VELD_STAP[v] for v in velden if v in _VELD_STAP), "verzuim")
        for melding in meldingen:
            messages.error(self.request, f"{NIET_GEREGISTREERD} {melding}")
        self._markeer(stap, False)
        self.storage.current_step = stap
        return redirect(self.get_step_url(stap))

    # --- pages --------------------------------------------------------------------------------

    def get_template_names(self):
        return [f"meldingen/wizard/{self.steps.current}.html"]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        stap = self.steps.current
        context.update(
            leerling=self.leerling,
            stap_nummer=self._index(stap) + 1,
            aantal_stappen=AANTAL_STAPPEN,
            titel=TITELS[stap],
            terug_url=reverse(
                "meldingen:registreren_start", kwargs={"leerling_pk": self.leerling.pk}
            )
            + "?annuleren=1",
            concept=self.extra.get("concept"),
            vorige_stap=self.steps.prev,
            standaardteksten=STANDAARDTEKSTEN,
        )
        if stap == "verzuim" and not form.alleen_periode:
            context["locatie_tekst"] = toon_locatie(form.getoonde_locatie)
        if stap == "overzicht":
            context["overzicht"] = self._overzicht()
        return context

    def _overzicht(self) -> dict:
        """Every value entered, in the blocks of the manual's Overzicht: the same presenter as
        the Melding details page, on the unsaved melding."""
        stappen = {
            stap: self._stap_form(stap) for stap in ("leerling", "verzuim", "lesuren", "acties")
        }
        melding = Melding(
            leerling=self.leerling,
            instelling=self.request.instelling,
            **self._gegevens(stappen),
        )
        presenter = MeldingPresenter(
            melding,
            contactpersonen=stappen["leerling"].cleaned_data["contactpersonen"],
            verzuimdagen=stappen["lesuren"].cleaned_data["verzuimdagen"],
            wijzig_url=lambda stap: self.get_step_url(stap) + "?terug=overzicht",
            weergave=OVERZICHT,
        )
        return {
            "blokken": presenter.lijst(
                "leerling",
                "contactpersonen",
                "verzuim",
                "onderwijsinstelling",
                "contactpersoon_school",
                "lesuren",
                "acties",
            ),
            "waarschuwingen": stappen["verzuim"].waarschuwingen,
        }

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        self.storage.current_step = failed_step
        return redirect(self.get_step_url(failed_step))


_wizard = RegistrerenWizard.as_view(url_name="meldingen:registreren", done_step_name="klaar")


def registreren_start(request, leerling_pk):
    """*Registreer nieuwe melding*: a new draft. With `?annuleren`: *Terug naar leerling
    overzicht*, the draft is abandoned."""
    if request.method != "GET":
        raise Http404
    return _wizard(request, leerling_pk=leerling_pk)


def registreren(request, leerling_pk, step):
    return _wizard(request, leerling_pk=leerling_pk, step=step)


def bevestiging(request, leerling_pk, nummer):
    """Stap 6 van 6: *Gelukt*."""
    leerling = get_object_or_404(
        Leerling.objects.zichtbaar_voor(request.instelling), pk=leerling_pk
    )
    melding = get_object_or_404(
        Melding.objects.van_instelling(request.instelling).only("nummer", "leerling_id"),
        nummer=nummer,
        leerling=leerling,
    )
    return render(
        request,
        "meldingen/wizard/bevestiging.html",
        {
            "leerling": leerling,
            "melding": melding,
            "stap_nummer": AANTAL_STAPPEN,
            "aantal_stappen": AANTAL_STAPPEN,
        },
    )
