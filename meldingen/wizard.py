"""Verzuimmelding registreren: the six-step wizard (manual 2.3-2.7).

A formtools `NamedUrlSessionWizardView` with a step per block of `blokken.BLOKKEN` (Leerling,
Verzuim, Lesuren, Acties school) and the Overzicht; step 6, *Bevestiging*, is the page after
registering. The draft lives in `concept.Concept`. What the wizard adds to formtools:

- The storage prefix holds the pupil and the instelling: two tabs, two pupils never mix.
- Step 2 has two phases on one URL: the first *Verder* checks only the period
  (`Concept.periode_ok`), then the whole form shows.
- *Vorige* keeps what was typed on the current step (stored even when not valid yet); a later
  step's URL goes to the first step not finished (`Concept.klaar`).
- *Wijzig* on the Overzicht links to a step with `?terug=overzicht`; after a valid POST the user
  goes to the first finished step that no longer validates, else back to the Overzicht.
- Buttons that only change the page (Contactpersoon toevoegen, Voeg dag toe, Voeg toe,
  Verwijderen) post `actie`; the changed data is stored and the page shown again without
  messages (POST, redirect, GET).
- Registering happens once, on the Overzicht's POST (`services.melding_registreren` with the
  draft's id; a reload or second click shows the Bevestiging again). When the service refuses
  (another melding overlaps meanwhile), the user lands on the step the message belongs to.
"""

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from leerlingen.models import Handeling
from leerlingen.services import inzage_vastleggen
from verzuimloket.datums import vandaag

from . import regels, services
from .blokken import BLOKKEN, BlokContext, alle_service_argumenten, blok_van_veld
from .concept import Concept, Registraties
from .forms import OverzichtForm
from .models import Melding
from .presenters import OVERZICHT, OVERZICHT_BLOKKEN, MeldingPresenter

OVERZICHT_STAP = "overzicht"
STAPPEN = [*((b.sleutel, b.form_class) for b in BLOKKEN.values()), (OVERZICHT_STAP, OverzichtForm)]
TITELS = {**{b.sleutel: b.stap_titel for b in BLOKKEN.values()}, OVERZICHT_STAP: "Overzicht"}
AANTAL_STAPPEN = 6
NIET_GEREGISTREERD = "De verzuimmelding is niet geregistreerd."
ANDER_VENSTER = (
    "De gegevens van deze melding zijn intussen in een ander venster gewijzigd. Controleer het "
    "overzicht en klik opnieuw op Registreren."
)


class RegistrerenWizard(NamedUrlSessionWizardView):
    form_list = STAPPEN

    # --- who, and which draft ---------------------------------------------------------------

    def dispatch(self, request, *args, **kwargs):
        # Read once a request, with the pupil: the blokkade, the suggested aanbieder and
        # locatie, and Registreren (the service's blokkade and period check) all need the
        # enrolment.
        gevonden = regels.leerling_met_inschrijvingen(kwargs["leerling_pk"], request.instelling)
        if gevonden is None:
            raise Http404
        self.leerling, self.inschrijvingen = gevonden
        self.vandaag = vandaag()
        blokkade = regels.registreren_blokkade(
            self.leerling, request.instelling, self.vandaag, inschrijvingen=self.inschrijvingen
        )
        if blokkade is not None:  # the Leerling overzicht shows the blue bar that says why
            return redirect("meldingen:leerling_overzicht", pk=self.leerling.pk)
        self._opgeslagen = {}
        self.registraties = Registraties(request.session)
        return super().dispatch(request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs):
        # Per pupil and instelling: two tabs with two pupils each keep their own draft.
        return f"registreren_{request.instelling.instellingscode}_{kwargs['leerling_pk']}"

    @property
    def concept(self) -> Concept:
        return Concept(self.storage)

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"leerling_pk": self.leerling.pk, "step": step})

    def _bevestiging_url(self, nummer) -> str:
        return reverse(
            "meldingen:registreren_bevestiging",
            kwargs={"leerling_pk": self.leerling.pk, "nummer": nummer},
        )

    def eerste_open_stap(self) -> str:
        """The first step not finished yet (the Overzicht once all four are)."""
        klaar = self.concept.klaar
        return next((stap for stap in self.get_form_list() if stap not in klaar), self.steps.last)

    def _index(self, stap: str) -> int:
        return list(self.get_form_list()).index(stap)

    # --- forms --------------------------------------------------------------------------------

    def _context(self) -> BlokContext:
        begindatum, einddatum = self.concept.periode
        return BlokContext(
            leerling=self.leerling,
            instelling=self.request.instelling,
            op=self.vandaag,
            begindatum=begindatum,
            einddatum=einddatum,
        )

    def get_form_kwargs(self, step=None):
        if step not in BLOKKEN:
            return {}
        kwargs = BLOKKEN[step].form_kwargs(self._context())
        if step == "verzuim":
            kwargs["alleen_periode"] = not self.concept.periode_ok
        return kwargs

    def get_form_initial(self, step):
        if step != "verzuim" or self.storage.get_step_data("verzuim") is not None:
            return {}
        begindatum, einddatum = self.concept.periode
        initial = {
            "begindatum": begindatum,
            "einddatum": einddatum,
            "contactpersoon_email": self.request.user.email,
            "contactpersoon_naam": self.request.user.get_full_name(),
        }
        if self.concept.periode_ok and self._inschrijving is not None:
            initial["aanbieder"] = self._inschrijving.aanbieder_id
            initial["locatie"] = self._inschrijving.locatie
        return initial

    @cached_property
    def _inschrijving(self):
        """The enrolment on the begindatum (else today's): it suggests aanbieder and locatie."""
        begindatum = self.concept.periode[0] or self.vandaag

        def op(datum):
            return regels.inschrijving_op(
                self.leerling, self.request.instelling, datum, inschrijvingen=self.inschrijvingen
            )

        return op(begindatum) or op(self.vandaag)

    def _stap_form(self, stap: str):
        """The form of a stored step, bound to its stored data (validated once a request)."""
        if stap not in self._opgeslagen:
            self._opgeslagen[stap] = self.get_form(
                step=stap,
                data=self.storage.get_step_data(stap),
                files=self.storage.get_step_files(stap),
            )
        return self._opgeslagen[stap]

    def _bewaar(self, stap: str, form, klaar: bool):
        self.storage.set_step_data(stap, self.process_step(form))
        self._opgeslagen.pop(stap, None)
        if stap == "verzuim":
            begindatum, einddatum = form.periode()
            if begindatum is not None:
                self.concept.zet_periode(begindatum, einddatum)
                self._opgeslagen.pop("lesuren", None)  # its period changed with it
        self.concept.markeer(stap, klaar)
        if klaar:
            self.concept.neem_stil(stap)

    # --- GET ----------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        stap = kwargs.get("step")
        if stap is None:  # registreren_start: "Registreer nieuwe melding" or "Terug naar ..."
            self.concept.begin(self.steps.first)
            if "annuleren" in request.GET:
                return redirect("meldingen:leerling_overzicht", pk=self.leerling.pk)
            return redirect(self.get_step_url(self.steps.first))
        if not self.concept.bestaat:
            self.concept.begin(self.steps.first)
        if stap not in self.get_form_list():
            return redirect(self.get_step_url(self.eerste_open_stap()))
        eerste_open = self.eerste_open_stap()
        if self._index(eerste_open) < self._index(stap):
            return redirect(self.get_step_url(eerste_open))
        if request.GET.get("terug") == "overzicht" and stap != OVERZICHT_STAP:
            self.concept.terug_naar_overzicht = True
        elif stap == OVERZICHT_STAP:
            self.concept.terug_naar_overzicht = False
            ongeldig = self._eerste_ongeldige_stap()
            if ongeldig is not None:
                return redirect(self.get_step_url(ongeldig))
        self.storage.current_step = stap
        data = self.storage.get_step_data(stap)
        form = self.get_form(step=stap, data=data, files=self.storage.get_step_files(stap))
        if self.concept.neem_stil(stap) and data is not None:
            form.zonder_fouten()
        return self.render(form)

    # --- POST ---------------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        beheer = ManagementForm(request.POST, prefix=self.prefix)
        if not beheer.is_valid():
            raise SuspiciousOperation("ManagementForm data is missing or has been tampered.")
        stap = beheer.cleaned_data["current_step"]
        nummer = self.registraties.nummer(request.POST.get("concept"))
        if nummer is not None:
            # Already registered (reload, second click, back and resubmit): never twice.
            return redirect(self._bevestiging_url(nummer))
        form_list = self.get_form_list()
        if not self.concept.bestaat or stap not in form_list or stap != kwargs.get("step"):
            return redirect(self.get_step_url(self.eerste_open_stap()))
        if self._index(self.eerste_open_stap()) < self._index(stap):
            return redirect(self.get_step_url(self.eerste_open_stap()))
        self.storage.current_step = stap

        actie = request.POST.get("actie")
        if actie:
            return self._paginaknop(stap, actie)

        form = self.get_form(step=stap, data=request.POST, files=request.FILES)
        vorige = request.POST.get("wizard_goto_step")
        if vorige in form_list:
            # Keep what was typed, valid or not; shown again without messages.
            geldig = form.is_valid()
            self._bewaar(stap, form, klaar=geldig and stap != self.steps.last)
            if not geldig:
                self.concept.stil_tonen(stap)
            return self.render_goto_step(vorige)
        if stap == OVERZICHT_STAP and request.POST.get("overzicht_van") != self.concept.inhoud(
            BLOKKEN
        ):
            # Another tab changed the draft after this Overzicht was shown: register only
            # what the user saw, so show the Overzicht of the draft as it is now.
            messages.warning(request, ANDER_VENSTER)
            return redirect(self.get_step_url(OVERZICHT_STAP))
        if not form.is_valid():
            return self.render(form)
        if stap == "verzuim" and form.alleen_periode:
            self.concept.periode_akkoord(
                form.cleaned_data["begindatum"], form.cleaned_data["einddatum"]
            )
            # What Vorige stored of this period-only form holds nothing but an older period:
            # the whole step starts from the period just given, not from those answers.
            self.storage.set_step_data("verzuim", None)
            return redirect(self.get_step_url("verzuim"))
        self._bewaar(stap, form, klaar=stap != OVERZICHT_STAP)
        if stap == "verzuim":
            for waarschuwing in form.waarschuwingen:
                messages.warning(request, waarschuwing)
        if stap == self.steps.last:
            return self.render_done(form, **kwargs)
        if self.concept.terug_naar_overzicht:
            return redirect(self.get_step_url(self._eerste_ongeldige_stap() or OVERZICHT_STAP))
        return self.render_next_step(form)

    def _eerste_ongeldige_stap(self) -> str | None:
        for stap in BLOKKEN:
            if not self._stap_form(stap).is_valid():
                self.concept.markeer(stap, False)
                return stap
        return None

    def _paginaknop(self, stap: str, actie: str):
        """Contactpersoon toevoegen / verwijderen, Voeg dag toe, Voeg toe, dag verwijderen."""
        uitkomst = self.get_form(step=stap, data=self.request.POST).paginaknop(actie)
        if uitkomst is None:
            raise Http404
        data, stil = uitkomst
        self._bewaar(stap, self.get_form(step=stap, data=data), klaar=False)
        if stil:
            self.concept.stil_tonen(stap)
        return redirect(self.get_step_url(stap))

    # --- registering --------------------------------------------------------------------------

    def render_done(self, form, **kwargs):
        """Called by the Overzicht's valid POST (not by a GET of a 'done' URL)."""
        nummer = self.registraties.nummer(self.concept.id)
        if nummer is not None:
            return redirect(self._bevestiging_url(nummer))
        for stap in BLOKKEN:
            if not self._stap_form(stap).is_valid():
                self.concept.markeer(stap, False)
                return self.render_revalidation_failure(stap, self._stap_form(stap), **kwargs)
        form_dict = {stap: self._stap_form(stap) for stap in BLOKKEN}
        form_dict[OVERZICHT_STAP] = form
        return self.done(list(form_dict.values()), form_dict=form_dict, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        argumenten = alle_service_argumenten(form_dict)
        argumenten["gegevens"]["stuur_email_naar_melder"] = form_dict[OVERZICHT_STAP].cleaned_data[
            "stuur_email_naar_melder"
        ]
        try:
            melding = services.melding_registreren(
                leerling=self.leerling,
                instelling=self.request.instelling,
                gebruiker=self.request.user,
                op=self.vandaag,
                concept=self.concept.id,
                inschrijvingen=self.inschrijvingen,
                **argumenten,
            )
        except ValidationError as exc:
            return self._registratie_geweigerd(exc)
        self.registraties.onthoud(self.concept.id, melding.nummer)
        self.storage.reset()
        return redirect(self._bevestiging_url(melding.nummer))

    def _registratie_geweigerd(self, exc: ValidationError):
        """Another melding may have made the period overlap meanwhile: back to the step the
        message belongs to, every value kept, the message shown."""
        velden = list(exc.message_dict) if hasattr(exc, "error_dict") else []
        stap = next((blok_van_veld(v) for v in velden if blok_van_veld(v)), "verzuim")
        for melding in exc.messages:
            messages.error(self.request, f"{NIET_GEREGISTREERD} {melding}")
        self.concept.markeer(stap, False)
        self.storage.current_step = stap
        return redirect(self.get_step_url(stap))

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        self.storage.current_step = failed_step
        return redirect(self.get_step_url(failed_step))

    # --- pages --------------------------------------------------------------------------------

    def render(self, form=None, **kwargs):
        # AVG: every step shows the pupil's data.
        inzage_vastleggen(
            gebruiker=self.request.user,
            instelling=self.request.instelling,
            handeling=Handeling.REGISTREREN,
            leerling_id=self.leerling.pk,
            detail=TITELS[self.steps.current],
        )
        return super().render(form, **kwargs)

    def get_template_names(self):
        if self.steps.current == OVERZICHT_STAP:
            return ["meldingen/wizard/overzicht.html"]
        return ["meldingen/wizard/stap.html"]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        stap = self.steps.current
        context.update(
            leerling=self.leerling,
            stap=form,
            form=getattr(form, "form", form),
            formset=getattr(form, "formset", None),
            blok=BLOKKEN.get(stap),
            heeft_fouten=form.heeft_fouten,
            stap_nummer=self._index(stap) + 1,
            aantal_stappen=AANTAL_STAPPEN,
            titel=TITELS[stap],
            terug_url=f"{reverse('meldingen:registreren_start', args=[self.leerling.pk])}"
            "?annuleren=1",
            concept=self.concept.id,
            vorige_stap=self.steps.prev,
        )
        if stap == OVERZICHT_STAP:
            context["overzicht"] = self._overzicht()
            context["overzicht_van"] = self.concept.inhoud(BLOKKEN)
        return context

    def _overzicht(self) -> dict:
        """Every value entered, in the blocks of the manual's Overzicht: the same presenter as
        the Melding details page, on the unsaved melding."""
        argumenten = alle_service_argumenten({stap: self._stap_form(stap) for stap in BLOKKEN})
        melding = Melding(
            leerling=self.leerling,
            instelling=self.request.instelling,
            **argumenten["gegevens"],
        )
        presenter = MeldingPresenter(
            melding,
            contactpersonen=argumenten["contactpersonen"],
            verzuimdagen=argumenten["verzuimdagen"],
            wijzig_url=lambda stap: self.get_step_url(stap) + "?terug=overzicht",
            weergave=OVERZICHT,
        )
        return {
            "blokken": presenter.lijst(*OVERZICHT_BLOKKEN),
            "waarschuwingen": self._stap_form("verzuim").waarschuwingen,
        }


_wizard = RegistrerenWizard.as_view(url_name="meldingen:registreren", done_step_name="klaar")


def registreren_start(request, leerling_pk):
    """*Registreer nieuwe melding*: a new draft. With `?annuleren`: *Terug naar leerling
    overzicht*, the draft is abandoned."""
    if request.method != "GET":
        raise Http404
    return _wizard(request, leerling_pk=leerling_pk)


def registreren(request, leerling_pk, step):
    return _wizard(request, leerling_pk=leerling_pk, step=step)
