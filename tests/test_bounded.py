"""The child process that bounds a parser's time (adviesqa.bounded): results and messages come
back as JSON, a child that runs over its time is killed, one that dies or raises is reported
as a ChildFailed, never as a traceback."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from adviesqa.bounded import ChildFailed, ChildTimeout, run_bounded


def add(a: int, b: int) -> int:
    return a + b


def count_to(n: int, emit) -> str:  # noqa: ANN001
    for i in range(n):
        emit(["tel", i, "\ud800 één"])  # a lone surrogate and accents survive the trip
    return "klaar"


def sleep_then_write(seconds: float, marker: str) -> None:
    time.sleep(seconds)
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write("nog bezig")


def raise_value_error() -> None:
    raise ValueError("eerste regel\nslechte invoer")


def die() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_result_and_messages_come_back_as_data():
    assert run_bounded(add, (2, 3), 60) == 5
    got: list = []
    assert run_bounded(count_to, (3,), 60, got.append) == "klaar"
    assert got == [["tel", i, "\ud800 één"] for i in range(3)]


def test_a_child_over_its_time_is_killed(tmp_path):
    marker = tmp_path / "marker"
    with pytest.raises(ChildTimeout):
        run_bounded(sleep_then_write, (3.0, str(marker)), 0.5)
    time.sleep(4.0)
    assert not marker.exists()  # killed before it could finish
    assert multiprocessing.active_children() == []


def test_no_time_left_starts_nothing():
    with pytest.raises(ChildTimeout):
        run_bounded(add, (1, 1), 0)


def test_an_exception_in_the_child_is_reported_with_its_kind(capfd):
    with pytest.raises(ChildFailed) as caught:
        run_bounded(raise_value_error, (), 60)
    assert caught.value.kind == "ValueError" and str(caught.value) == "slechte invoer"
    assert "Traceback" not in capfd.readouterr().err


def test_a_child_that_dies_is_reported():
    with pytest.raises(ChildFailed, match="SIGSEGV") as caught:
        run_bounded(die, (), 60)
    assert caught.value.kind == ""


def test_the_parents_main_script_is_not_run_again_in_the_child(tmp_path, monkeypatch):
    """Streamlit makes the page script `__main__`; multiprocessing would run it again in every
    child (the whole app, in a process that should only read a PDF)."""
    import sys
    import types

    marker = tmp_path / "marker"
    script = tmp_path / "pagina.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('uitgevoerd')\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    assert run_bounded(add, (20, 22), 60) == 42
    assert not marker.exists()
