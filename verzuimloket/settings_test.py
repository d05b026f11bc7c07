"""Settings for the test suite: development mode, as `make test` runs it.

pytest-django imports the settings before any conftest.py, so a plain `pytest` run can only
switch DEBUG on here; settings.py itself fails closed (production) without DEBUG=1.
"""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402, F403
