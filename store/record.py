"""Plain record classes for what a one-off ``margin search`` process loads.

A dataclass costs that process ~15 ms: ``dataclasses`` imports ``inspect`` (about 10 ms)
and each class compiles its methods when it is made. The few records on the search path
(parsed queries, hits, the impact lists' entries) subclass :class:`Record` instead: they
write their own typed ``__init__`` and get equality, ``repr`` and :meth:`Record.replace`
from their ``__slots__``, as a dataclass would give them. Everything else in ``store/``
stays a dataclass.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: `margin search` never imports typing
if TYPE_CHECKING:
    from typing import Self

__all__ = ["FrozenRecord", "Record"]


class Record:
    """A record compared, shown and copied field by field (its ``__slots__``, in order)."""

    __slots__ = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in type(self).__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__slots__)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, as an unfrozen dataclass

    def replace(self, **changes: object) -> Self:
        """A copy with ``changes`` applied (as :func:`dataclasses.replace`)."""
        names = type(self).__slots__
        unknown = set(changes) - set(names)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(type(self))
        for name in names:
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy


class FrozenRecord(Record):
    """A :class:`Record` that cannot be changed once made, and so can be hashed.

    Subclasses set their fields in ``__init__`` with ``object.__setattr__``.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __hash__(self) -> int:
        return hash(self._values())
