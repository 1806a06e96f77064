"""Helpers for the JupyterHub tests and benchmark: a PostgreSQL server and a real hub on localhost."""
