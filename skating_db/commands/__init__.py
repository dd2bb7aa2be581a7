"""The commands of `skating-db`, by job: building, reading and upkeep (see skating_db.cli)."""
