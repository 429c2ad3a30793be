"""Planted personal data: one set of canary values for every privacy test.

A test that checks an output for leaks plants these into the private side and
searches the output for them; the search itself is shown to find them in an
output that has them (see the tests beside each use).
"""

from __future__ import annotations

#: a resident's name and phone planted into the private side of a test workspace
CANARY_NAME = "金丝雀样九九"
CANARY_PHONE = "100-9999-0042"
#: an adopter's public name given without consent: the shared side must never show it
CANARY_ADOPTER = "认养人金丝雀样"
#: the canary household the sample generator plants in the roster (data/generate_sample.py)
SAMPLE_CANARY = {"name": "金丝雀样本人", "phone": "100-7777-4242", "id_number": "000000CANARY424242"}
