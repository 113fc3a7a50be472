"""AdviesQA: the Streamlit app. `streamlit run app.py`

Streamlit runs this file for every page view (`__name__ == "__main__"`): it only calls the
navigation (adviesqa.webapp.main; one module per page under adviesqa.webapp.pages).
`streamlit run` also finds the st.App below and serves it, so the engine starts loading
when the server starts, not when the first visitor arrives. Settings come from ADVIESQA_*
environment variables (adviesqa.config); `/?passage=<id>` and `/?doc=<id>&page=<n>` open the
reader (adviesqa.webapp.nav).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
try:
    import adviesqa  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from adviesqa.webapp.main import lifespan, main  # noqa: E402

if __name__ == "__main__":
    main()
else:  # imported by the server (`streamlit run` serves this st.App)
    app = st.App(str(ROOT / "app.py"), lifespan=lifespan)
