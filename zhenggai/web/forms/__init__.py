"""Forms parse and check what a page sends; the services decide what it means."""
