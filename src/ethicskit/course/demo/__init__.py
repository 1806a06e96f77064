"""The demo: a simulated cohort through the whole pipeline."""
