"""Prefect flows. Prefect reads its settings when first imported, so set them here, first."""

import os
import sys

from flows.env import prepare_prefect_env

# A process worker loads a deployment's entrypoint (flows/nightly.py) as a script and leaves this
# folder first on sys.path for the rest of the run: flows/quality.py and flows/packets.py would
# then stand in for the quality and packets packages ("'quality' is not a package" when the
# nightly run reaches its quality stage). Our modules are imported as flows.*, never bare.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

prepare_prefect_env()
