"""Management commands of the ledger (`zhenggai import`, `export`, `demo`, `serve`) and what they share."""
