"""The password hasher: Argon2id at OWASP's minimum parameters (19 MiB, 2 passes, 1 lane).

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, costs ~0.2 s of one core per login on an
idle machine, so on a 2-core server 50 logins in 5 s queue behind each other for seconds. Argon2id
at m=19456 KiB, t=2, p=1 (OWASP Password Storage Cheat Sheet) costs ~0.07 s and, being memory-hard,
resists GPU guessing better per CPU second than PBKDF2. Existing PBKDF2 hashes stay valid and are
re-hashed to this on the user's next login (which does not end their API tokens).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
