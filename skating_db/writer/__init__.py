"""The database writer, split by what it writes.

`dialect` holds the statements that differ between SQLite and PostgreSQL,
`keys` each table's natural key (declared once), `ledger` what the database
holds of the small tables (read once per transaction), `pending` the rows and
ids decided but not yet sent, `places` nations, seasons, venues, events and
races, `athletes` identity, aliases and near misses, `placements` and `facts`
the rest of a document's facts, `retraction` the replacing of a changed
document, `limits` the values no backend may refuse.
`skating_db.store.Store` puts them together.
"""
