"""The example meetings, shipped as package data and installed as ``huiwu.examples``.

Each folder holds a ``meeting.yaml`` (and, where it needs one, its workbook); ``huiwu new DIR
--example NAME`` copies one, :func:`huiwu.api.examples` lists them.
"""
