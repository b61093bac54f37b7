"""A page's records as the environment keeps them: pickled once, unpickled only when read."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields, is_dataclass
from typing import Generic, TypeVar, overload

T = TypeVar("T")


class Packed(Sequence[T], Generic[T]):
    """One page's records (its citations, its links): a list that pickles as one bytes object.

    Sphinx reads the whole environment back at the start of every build and writes it at
    the end. Held as objects, 20,000 citations cost a second each way on an incremental
    build that reads one page. Held as bytes, a page not read costs a copy, and its records
    are made again only when something asks for them; a page not changed keeps its bytes.
    """

    __slots__ = ("_blob", "_count", "_items", "_kind")

    def __init__(self, items: Iterable[T] = ()) -> None:
        """Records made while the page is read."""
        self._items: list[T] | None = list(items)
        self._blob: bytes | None = None
        self._count = len(self._items)
        self._kind: type | None = None  # the records' class, as read back

    def _list(self) -> list[T]:
        if self._items is None:
            assert self._blob is not None
            # The bytes are our own, inside the environment pickle Sphinx already trusts.
            self._items = pickle.loads(self._blob)
        return self._items

    def append(self, item: T) -> None:
        """Add a record (while the page is read)."""
        self._list().append(item)
        self._blob, self._count = None, self._count + 1

    def extend(self, items: Iterable[T]) -> None:
        """Add records (while the page is read)."""
        for item in items:
            self.append(item)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        """A record, or a list of them."""
        return self._list()[index]

    def __len__(self) -> int:
        """How many records, without unpickling them."""
        return self._count

    def __iter__(self) -> Iterator[T]:
        """The records in page order."""
        return iter(self._list())

    def __eq__(self, other: object) -> bool:
        """Equal to a packed or plain list of the same records."""
        if isinstance(other, Packed):
            return self._list() == other._list()
        return isinstance(other, list) and self._list() == other

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list is

    def __repr__(self) -> str:
        """Like the list it stands for."""
        return f"Packed({self._list()!r})"

    def __reduce__(self) -> tuple[Callable[..., Packed[T]], tuple[object, ...]]:
        """Pickled as the bytes of its records, with the shape of their class.

        Bytes read back are kept while the records do not change. Bytes made here are not:
        Sphinx pickles the environment once a build, and the page would be held twice.
        """
        blob = self._blob or pickle.dumps(self._list(), protocol=pickle.HIGHEST_PROTOCOL)
        kind = self._kind if self._items is None else _kind_of(self._list())
        return _unpacked, (blob, self._count, kind, _shape(kind))


def _kind_of(items: list[T]) -> type | None:
    return type(items[0]) if items else None


def _shape(kind: type | None) -> tuple[str, ...]:
    """The fields of a record class, as its pickled records depend on them."""
    return tuple(f.name for f in fields(kind)) if kind is not None and is_dataclass(kind) else ()


def _unpacked(blob: bytes, count: int, kind: type | None, shape: tuple[str, ...]) -> Packed[T]:
    """A page's records read back as bytes; unpickled on first use.

    Records whose class has changed shape since they were pickled are refused now, while
    Sphinx reads the environment (it then starts a fresh one), not when a page is read.
    """
    if _shape(kind) != shape:
        raise pickle.UnpicklingError(f"{kind!r} records changed shape since they were kept")
    packed: Packed[T] = Packed.__new__(Packed)
    packed._items, packed._blob, packed._count, packed._kind = None, blob, count, kind
    return packed
