"""The graded notebook's IPython kernel: ipykernel as nbgrader starts it, without its debugger.

Importing debugpy is the slowest part of a kernel start and a graded run never debugs; nothing
else changes. Found through JUPYTER_PATH=/cda/runner (kernels/python3/kernel.json).
"""

import os
import sys

sys.modules["debugpy"] = None  # ipykernel then runs without its debugger
here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]

from ipykernel import kernelapp  # noqa: E402

kernelapp.launch_new_instance()
