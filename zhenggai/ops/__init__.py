"""Running the system for real (运维): backups, restores, scheduled backups and upgrades.

Plain modules with no HTTP in them: the `backup`, `restore` and `upgrade` commands and the scheduler
in `zhenggai serve` call them. They read and write the database through connections of their own
(sqlite3, psycopg, pg_dump), never through the ORM, so a backup sees one consistent snapshot.
"""
