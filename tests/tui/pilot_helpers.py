"""Waiting helpers for Pilot tests."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.widgets.footer import FitFooter

QUIET_ROUNDS = 2
"""Rounds in a row with no running worker before the app counts as settled."""


async def settle(pilot: Pilot, *, most: int = 20) -> None:
    """Let workers finish and the screen repaint, until nothing is left running.

    A worker's result often starts another (a save, then a reload), so one wait is not
    enough on a busy machine; this waits until ``QUIET_ROUNDS`` rounds in a row find
    no running worker and the footer on show fitted to its width, at most ``most`` rounds.
    """
    quiet = 0
    for _ in range(most):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        running = any(worker.is_running for worker in pilot.app.workers)
        running = running or not footers_fitted(pilot)
        quiet = 0 if running else quiet + 1
        if quiet >= QUIET_ROUNDS:
            return


def footers_fitted(pilot: Pilot) -> bool:
    """Whether the footers of the screen on show show only the keys that fit.

    The footer measures its keys a refresh or two after it builds them; a shot taken
    before that shows keys cut at the edge. Screens below the top one do not refresh,
    so only the top one is asked.
    """
    return all(footer.fitted for footer in pilot.app.screen.query(FitFooter))
