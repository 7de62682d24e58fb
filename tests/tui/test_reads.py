"""Of two reloads running at once, the answer of the one that started later is kept."""

from __future__ import annotations

import threading

from tui.reads import NewestRead


def test_an_answer_older_than_one_shown_is_dropped() -> None:
    reads = NewestRead()
    first, second = reads.start(), reads.start()
    assert reads.is_newest(second)
    assert not reads.is_newest(first)
    assert reads.is_newest(reads.start())


def test_answers_in_order_are_all_shown() -> None:
    reads = NewestRead()
    assert all(reads.is_newest(reads.start()) for _ in range(5))


def test_numbers_taken_from_many_threads_are_distinct() -> None:
    reads = NewestRead()
    taken: list[int] = []

    def take() -> None:
        taken.extend(reads.start() for _ in range(1000))

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 4001))
