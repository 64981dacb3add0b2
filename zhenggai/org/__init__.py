"""Organisation and people: committees, the units they inspect, inspection teams, users and roles."""
