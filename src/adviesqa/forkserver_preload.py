"""Imported only by the fork server of adviesqa.bounded (the first module of its preload list),
never by the program itself.

multiprocessing prepares every child it forks by running the parent's main module again:
for the app that is app.py itself (Streamlit makes the page script `__main__`: the child
would run the whole page), for a console script the launcher and what it imports (Streamlit:
~1 s a child). The children of this fork server call one function of this package and need
nothing from `__main__`, so here, and only here, that step is left out.
"""

from multiprocessing import spawn

spawn._fixup_main_from_path = lambda main_path: None  # type: ignore[attr-defined]
spawn._fixup_main_from_name = lambda mod_name: None  # type: ignore[attr-defined]
