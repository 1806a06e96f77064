"""Grading learners' work safely: autograde in a sandbox, the clean re-check, restored cells, tamper findings."""
