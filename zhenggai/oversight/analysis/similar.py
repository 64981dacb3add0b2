"""Near-duplicate search over many short Chinese texts: char n-gram shingles → MinHash → LSH → pairs.

Shared by common problems (共性问题), repeated problems and copied measures. The MinHash signatures
are datasketch's own affine32 scheme, computed for all texts at once with numpy (datasketch hashes
one text at a time, which is the slow part at province scale); the banding and bucket look-ups are
datasketch's `MinHashLSH`. Candidates are only candidates: callers confirm them with rapidfuzz.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 64
SEED = 1
SCHEME = "affine32"
BLOCK = 1 << 16


def shingles(text: str, n: int = 3) -> list[str]:
    """Overlapping character n-grams; a text shorter than n is its own single shingle."""
    if len(text) <= n:
        return [text] if text else []
    return [text[i : i + n] for i in range(len(text) - n + 1)]


class ShingleHasher:
    """32-bit hashes of shingles, each computed once: a round repeats the same phrases thousands of times."""

    def __init__(self, n: int = 3) -> None:
        self.n = n
        self._cache: dict[str, int] = {}

    def __call__(self, text: str) -> np.ndarray:
        cache = self._cache
        values = []
        for gram in set(shingles(text, self.n)):
            value = cache.get(gram)
            if value is None:
                value = cache[gram] = zlib.crc32(gram.encode("utf-8"))
            values.append(value)
        return np.array(values, dtype=np.uint32)


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch applies to every hash before permuting it."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signatures(texts: Sequence[str], *, n: int = 3, num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """MinHash signatures (one row per text) with datasketch's affine32 permutations, in one numpy pass.

    A row is min over the text's shingle hashes h of (a·fmix(h) + b) mod 2³², exactly what
    `MinHash(scheme="affine32").update_batch` computes; an empty text gets the all-max row.
    """
    hasher = ShingleHasher(n)
    arrays = [hasher(text) for text in texts]
    lengths = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    out = np.full((len(arrays), num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = np.flatnonzero(lengths)
    if not len(filled):
        return out
    flat = fmix32(np.concatenate([arrays[i] for i in filled]))
    starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    ends = np.cumsum(lengths[filled])
    low = 0
    while low < len(filled):
        # a block of texts holding about BLOCK hashes: bounds memory at BLOCK × num_perm × 4 bytes
        high = max(low + 1, int(np.searchsorted(ends, ends[low] - lengths[filled[low]] + BLOCK, side="right")))
        first = starts[low]
        block = flat[first : ends[high - 1]]
        permuted = block[:, None] * a[None, :] + b[None, :]  # uint32 arithmetic wraps mod 2³²
        out[filled[low:high]] = np.minimum.reduceat(permuted, starts[low:high] - first, axis=0)
        low = high
    return out


def lsh_pairs(
    sigs: np.ndarray, *, threshold: float = 0.5, seed: int = SEED, keys: Sequence[int] | None = None
) -> Iterator[tuple[int, int]]:
    """Candidate pairs (i < j) whose estimated Jaccard similarity may pass `threshold`.

    One pass: each text queries the index and is then inserted, so every pair comes out once.
    `keys` restricts the texts taken part (indices into `sigs`); by default all of them.
    """
    num_perm = sigs.shape[1]
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    empty = np.iinfo(np.uint32).max
    for i in range(len(sigs)) if keys is None else keys:
        row = sigs[i]
        if row[0] == empty and (row == empty).all():
            continue
        sketch = LeanMinHash(seed=seed, hashvalues=row, scheme=SCHEME)
        for j in lsh.query(sketch):
            yield (j, i) if j < i else (i, j)
        lsh.insert(i, sketch, check_duplication=False)


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, x: int, y: int) -> bool:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return False
        if self.size[rx] < self.size[ry]:
            rx, ry = ry, rx
        self.parent[ry] = rx
        self.size[rx] += self.size[ry]
        return True

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return out
