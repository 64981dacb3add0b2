"""Management commands of the reports app (`zhenggai import-xlsx`)."""
