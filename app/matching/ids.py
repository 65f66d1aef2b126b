"""Compact columns of string ids (company and site ids), without one Python object per id.

Two encodings, chosen per column when it is made:
- `uuid`: every id is a canonical UUID string (lowercase, hyphenated, as `str(uuid.UUID(...))`
  writes it): the 16 raw bytes are kept, 16 bytes per id;
- `text`: anything else: the UTF-8 bytes in a fixed-width numpy bytes column.
Both keep the sort order of the strings: raw UUID bytes compare like their lowercase hex form,
and UTF-8 bytes (compared unsigned, as numpy does) like the code points of the string.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]

_HYPHENS = (8, 13, 18, 23)
_HEX_POS = np.array([i for i in range(36) if i not in _HYPHENS], dtype=np.intp)
_HEX_RUNS = ((0, 8), (9, 13), (14, 18), (19, 23), (24, 36))
_HEX_CODES = np.array([ord(c) for c in "0123456789abcdef"], dtype=np.uint32)


# Ids formatted by `strings_at`, kept per column up to this many (the same companies come up
# in answer after answer); past it the memo starts afresh.
MEMO_MAX = 50_000
# A column of at most this many UUIDs is formatted whole, in one vectorised pass, the first
# time `strings_at` is asked for ids (~3 ms for 10,000): one at a time, the ids of a small
# catalogue's answers cost ~0.6 us each until every one has been shown once.
WHOLE_MAX = 50_000


class IdColumn:
    """Read-only column of ids; `data` is a numpy bytes array ('S16' raw UUIDs or UTF-8)."""

    __slots__ = ("_memo", "_whole", "data", "uuid")

    data: npt.NDArray[np.bytes_]
    uuid: bool
    _memo: dict[int, str]  # position -> its id as text, for the UUID encoding
    _whole: list[str] | None  # every id as text, once formatted (columns up to WHOLE_MAX)

    def __init__(self, data: npt.NDArray[np.bytes_], uuid: bool) -> None:
        data.setflags(write=False)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "uuid", uuid)
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_whole", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("IdColumn is immutable")

    def __getstate__(self) -> tuple[npt.NDArray[np.bytes_], bool]:
        return (self.data, self.uuid)

    def __setstate__(self, state: tuple[npt.NDArray[np.bytes_], bool]) -> None:
        data, uuid = state
        data.setflags(write=False)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "uuid", uuid)
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_whole", None)

    # --- making ----------------------------------------------------------------------------

    @classmethod
    def from_values(cls, values: npt.ArrayLike | Sequence[str]) -> IdColumn:
        """Ids given as strings (a sequence or a numpy 'U'/'O' array), or as raw 16-byte UUIDs
        (a numpy 'S16'/'V16' array, or an (n, 16) uint8 array)."""
        if isinstance(values, np.ndarray) and values.dtype == np.uint8 and values.ndim == 2:
            if values.shape[1] != 16:
                raise ValueError("raw UUID ids must have 16 bytes each")
            return cls(np.ascontiguousarray(values).view("S16").reshape(-1).copy(), True)
        if isinstance(values, np.ndarray) and values.dtype.kind == "V":
            if values.dtype.itemsize != 16:
                raise ValueError("raw UUID ids must have 16 bytes each")
            return cls(np.ascontiguousarray(values).view("S16").reshape(-1).copy(), True)
        if isinstance(values, np.ndarray) and values.dtype.kind == "S":
            if values.dtype.itemsize != 16:
                raise ValueError("bytes ids must be raw 16-byte UUIDs ('S16')")
            return cls(np.ascontiguousarray(values).reshape(-1).copy(), True)
        text = np.asarray(values, dtype=np.str_).reshape(-1)
        raw = _canonical_uuid_bytes(text)
        if raw is not None:
            return cls(raw, True)
        if text.size == 0:
            return cls(np.zeros(0, dtype="S1"), False)
        return cls(np.char.encode(text, "utf-8"), False)

    @classmethod
    def concat(cls, columns: Sequence[IdColumn]) -> IdColumn:
        if not columns:
            return cls.from_values([])
        if all(c.uuid for c in columns):
            return cls(np.concatenate([c.data for c in columns]), True)
        if all(not c.uuid for c in columns):
            width = max(c.data.dtype.itemsize for c in columns)
            return cls(np.concatenate([c.data.astype(f"S{width}") for c in columns]), False)
        return cls.from_values(np.concatenate([c.strings() for c in columns]))

    def take(self, index: npt.NDArray[np.integer]) -> IdColumn:
        return IdColumn(self.data[index], self.uuid)

    # --- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self.data.shape[0])

    def at(self, i: int) -> str:
        value = bytes(self.data[i])
        if self.uuid:
            h = value.ljust(16, b"\0").hex()  # numpy drops trailing zero bytes
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return value.decode("utf-8")

    def strings_at(self, index: npt.NDArray[np.integer]) -> list[str]:
        """The ids at these positions, as `at()` gives them: from the memo, and the rest in
        one hex conversion."""
        if not self.uuid:
            return [bytes(v).decode("utf-8") for v in self.data[index]]
        positions = index.tolist()
        if len(self) <= WHOLE_MAX:  # (a small column never needs the memo)
            whole = self._whole
            if whole is None:
                if not positions:
                    return []
                whole = self.strings().tolist()
                object.__setattr__(self, "_whole", whole)
            return [whole[p] for p in positions]
        memo = self._memo
        out: list[str | None] = [memo.get(p) for p in positions]
        missing = [i for i, text in enumerate(out) if text is None]
        if missing:
            hexes = np.ascontiguousarray(self.data[index[missing]]).tobytes().hex()
            if len(memo) + len(missing) > MEMO_MAX:
                memo.clear()
            for n, i in enumerate(missing):
                h = hexes[32 * n : 32 * n + 32]
                out[i] = memo[positions[i]] = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return out  # type: ignore[return-value]  # every None was filled

    def strings(self) -> npt.NDArray[np.str_]:
        """All ids as a numpy 'U' array."""
        if not self.uuid:
            return np.char.decode(self.data, "utf-8") if self.data.size else np.zeros(0, "U1")
        raw = np.ascontiguousarray(self.data).view(np.uint8).reshape(-1, 16)
        nibbles = np.empty((raw.shape[0], 32), dtype=np.uint8)
        nibbles[:, 0::2] = raw >> 4
        nibbles[:, 1::2] = raw & 15
        codes = np.full((raw.shape[0], 36), ord("-"), dtype=np.uint32)
        codes[:, _HEX_POS] = _HEX_CODES[nibbles]
        return codes.view("U36").reshape(-1)

    def encode(self, value: str) -> bytes | None:
        """The stored form of `value`, or None when no id of this column can equal it."""
        if self.uuid:
            raw = _canonical_uuid_bytes(np.array([value], dtype=np.str_))
            return None if raw is None else bytes(raw[0]).ljust(16, b"\0")
        encoded = value.encode("utf-8")
        if len(encoded) > self.data.dtype.itemsize or encoded.endswith(b"\0"):
            return None
        return encoded

    def order(self) -> IntArray:
        """Positions in increasing id order."""
        if self.uuid:
            words = np.ascontiguousarray(self.data).view(">u8").reshape(-1, 2).astype(np.uint64)
            order = np.argsort(words[:, 0])
            high = words[order, 0]
            if high.size > 1 and np.any(high[1:] == high[:-1]):  # rare: sort on both words
                order = np.lexsort((words[:, 1], words[:, 0]))
            return order.astype(np.intp)
        return np.argsort(self.data).astype(np.intp)

    @property
    def nbytes(self) -> int:
        return int(self.data.nbytes)


def _canonical_uuid_bytes(text: npt.NDArray[np.str_]) -> npt.NDArray[np.bytes_] | None:
    """16 raw bytes per id when every id is a canonical lowercase hyphenated UUID, else None."""
    if text.size == 0 or text.dtype.itemsize != 36 * 4:
        return None
    codes = np.ascontiguousarray(text).view(np.uint32).reshape(-1, 36)
    if codes.max() > ord("f"):
        return None
    chars = codes.astype(np.uint8)
    if not np.all(chars[:, list(_HYPHENS)] == ord("-")):
        return None
    digits = np.concatenate([chars[:, a:b] for a, b in _HEX_RUNS], axis=1)  # (n, 32), C order
    flat = digits.reshape(-1)
    if not np.all(((flat >= ord("0")) & (flat <= ord("9"))) | (flat >= ord("a"))):
        return None  # ('a' .. 'f' only: nothing above 'f' got this far)
    nibbles = (digits & 15) + 9 * (digits >> 6)  # '0'-'9' -> 0-9, 'a'-'f' -> 10-15
    raw = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]
    return np.ascontiguousarray(raw).view("S16").reshape(-1)
