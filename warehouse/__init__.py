"""The ground floor every other package stands on: settings and paths, the DuckDB warehouse (its schema,
connection and data version), and the words shared by what loads it and what reads it (periods,
breakdowns). It imports none of ingest, metrics, meetings, briefing, ui or pages (tests/test_layers.py)."""
