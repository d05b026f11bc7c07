"""Paging through long lists of meldingen (Zoek melding, the werkvoorraad) at a cost that does not
grow with the list: a school or a large gemeente has tens of thousands of meldingen.

- Counting stops at TELLEN_TOT: "1000 meldingen gevonden" is exact, beyond that the page says
  "Meer dan 1000". Counting all 40,000 rows of a large gemeente on every page costs more than
  showing the page, and nobody reads a number that large as more than "many: search narrower".
- The first pages (up to TELLEN_TOT rows deep) have numbers and are read with OFFSET, cheap at
  that depth. Further on, *Vorige* and *Volgende* carry a keyset cursor: `na=<meldingnummer>`
  (the next page starts below it) or `voor=<meldingnummer>` (the previous page ends above it),
  so page 800 costs what page 1 costs. Those links keep the page number (`pagina`) for the
  heading: it labels the page, the cursor decides what is on it.

Lists are ordered by meldingnummer, newest first: the number is unique, so the cursor is exact.
"""

import math
from dataclasses import dataclass, field

from django.http import QueryDict

from .vaste_sql import Lijst

TELLEN_TOT = 1000


def _getal(tekst: str | None) -> int | None:
    """A positive whole number from the query string, else None (a tampered link is ignored)."""
    if tekst and tekst.isascii() and tekst.isdigit() and len(tekst) <= 18:
        return int(tekst) or None
    return None


@dataclass
class Bladzijde:
    regels: list
    nummer: int  # 1-based
    aantal: int  # rows found, counted up to TELLEN_TOT + 1
    per_pagina: int
    vorige_url: str = ""
    volgende_url: str = ""
    links: list = field(default_factory=list)  # numbered links; None is a gap

    @property
    def meer_dan(self) -> bool:
        """More rows than were counted: the page says "Meer dan TELLEN_TOT"."""
        return self.aantal > TELLEN_TOT

    @property
    def aantal_paginas(self) -> int | None:
        """How many pages there are; None when the count stopped at TELLEN_TOT."""
        return None if self.meer_dan else max(1, math.ceil(self.aantal / self.per_pagina))

    @property
    def tellen_tot(self) -> int:
        return TELLEN_TOT

    @property
    def met_paginering(self) -> bool:
        return bool(self.vorige_url or self.volgende_url)


def blader(
    lijst: Lijst, params: QueryDict, *, per_pagina: int, basis: str, aantal: int | None = None
) -> Bladzijde:
    """The page of `lijst` (rows with a `nummer`, from high to low) that the query string
    `params` asks for; `basis` is the list's own query string, without paging, for the links.
    `aantal`: how many rows the list has, when the caller already knows (else counted).

    The count comes in the same statement as the first rows read (`Lijst.rijen_met_aantal`);
    for a numbered page that means reading the page asked for before the count has said it
    exists (only for a page within the numbered ones: a tampered page number far beyond would
    otherwise have PostgreSQL skip through the whole list). When the count puts the page
    elsewhere (past the last one) or no row came back, the count or the page is read again:
    rarely, and at most what counting first always cost."""
    aantal = None if aantal is None else min(aantal, TELLEN_TOT + 1)
    gevraagd = _getal(params.get("pagina")) or 1
    na, voor = _getal(params.get("na")), _getal(params.get("voor"))

    def lees(**grenzen) -> list:
        nonlocal aantal
        if aantal is not None:
            return lijst.rijen(per_pagina + 1, **grenzen)
        rijen, aantal = lijst.rijen_met_aantal(per_pagina + 1, tellen_tot=TELLEN_TOT + 1, **grenzen)
        return rijen

    regels = None
    if na is not None and gevraagd > 1:
        nummer = gevraagd
        rijen = lees(kleiner_dan=na)
        regels, heeft_volgende = rijen[:per_pagina], len(rijen) > per_pagina
        heeft_vorige = True
    elif voor is not None and gevraagd > 1:
        nummer = gevraagd
        rijen = lees(groter_dan=voor)
        regels, heeft_vorige = rijen[:per_pagina][::-1], len(rijen) > per_pagina
        heeft_volgende = True
        if not heeft_vorige:  # back at the start (the list changed meanwhile): page 1
            regels = None
    if not regels:
        eerst = gevraagd if na is None and voor is None else 1
        rijen = None
        if aantal is None and (eerst - 1) * per_pagina < TELLEN_TOT:  # a numbered page
            rijen = lees(overslaan=(eerst - 1) * per_pagina)
        if aantal is None:  # no row came back, or a page number past the numbered pages
            aantal = lijst.tel(TELLEN_TOT + 1)
        nummer = min(eerst, _genummerd(aantal, per_pagina))
        if rijen is None or nummer != eerst:
            rijen = lijst.rijen(per_pagina + 1, overslaan=(nummer - 1) * per_pagina)
        regels, heeft_volgende = rijen[:per_pagina], len(rijen) > per_pagina
        heeft_vorige = nummer > 1
    genummerd = _genummerd(aantal, per_pagina)

    def url(**extra) -> str:
        return "?" + "&".join(filter(None, [basis, *(f"{k}={v}" for k, v in extra.items())]))

    bladzijde = Bladzijde(regels=regels, nummer=nummer, aantal=aantal, per_pagina=per_pagina)
    if heeft_vorige:
        bladzijde.vorige_url = (
            url(pagina=nummer - 1)
            if nummer - 1 <= genummerd
            else url(voor=regels[0].nummer, pagina=nummer - 1)
        )
    if heeft_volgende:
        bladzijde.volgende_url = (
            url(pagina=nummer + 1)
            if nummer + 1 <= genummerd
            else url(na=regels[-1].nummer, pagina=nummer + 1)
        )
    if bladzijde.met_paginering:
        bladzijde.links = _links(nummer, genummerd, doorlopend=aantal > TELLEN_TOT, url=url)
    return bladzijde


def _genummerd(aantal: int, per_pagina: int) -> int:
    """The pages with a number: as far as the count goes (TELLEN_TOT rows), at least one."""
    return max(1, math.ceil(min(aantal, TELLEN_TOT) / per_pagina))


def _links(huidig: int, genummerd: int, *, doorlopend: bool, url) -> list[dict | None]:
    """First, last numbered and up to two pages around the current one, gaps as None; beyond the
    numbered pages the current page is shown without a link to the pages in between."""
    nummers = {1, genummerd, *range(max(1, huidig - 2), min(genummerd, huidig + 2) + 1)}
    links, vorige = [], 0
    for nummer in sorted(nummers):
        if nummer - vorige > 1:
            links.append(None)
        links.append({"nummer": nummer, "url": url(pagina=nummer), "huidig": nummer == huidig})
        vorige = nummer
    if huidig > genummerd:
        if huidig - genummerd > 1:
            links.append(None)
        links.append({"nummer": huidig, "url": "", "huidig": True})
    elif doorlopend:
        links.append(None)  # more pages than are numbered: reached with Volgende
    return links
