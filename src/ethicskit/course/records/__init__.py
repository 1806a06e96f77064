"""The kit's records: the store (schema and every query) and the roster."""
