"""Rendering DOCX: templates prepared once and rendered fast, docxtpl as fallback, deterministic zips."""
