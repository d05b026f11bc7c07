"""Settings of the server bench/schaal.py measures: the production settings, plus the floor
page (bench/vloer.py) in front of the project's URLs."""

from verzuimloket.settings import *  # noqa: F403

ROOT_URLCONF = "vloer"
