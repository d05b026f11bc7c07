"""PostgreSQL range expressions for the exclusion constraints of both apps."""

from django.db import models
from django.db.models import Func, Value


class DateRange(Func):
    """`daterange(begin, eind, '[]')`: an inclusive period; NULL as eind runs on indefinitely."""

    function = "daterange"
    output_field = models.DateField()  # only used inside constraints

    def __init__(self, begin, eind, **extra):
        super().__init__(begin, eind, Value("[]"), **extra)


class IntRange(Func):
    """`int4range(van, tot, '[]')`: an inclusive range of whole numbers (postcode areas)."""

    function = "int4range"
    output_field = models.IntegerField()

    def __init__(self, van, tot, **extra):
        super().__init__(van, tot, Value("[]"), **extra)
