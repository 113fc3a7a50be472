"""The Streamlit app, one module per page (`pages/`), rendering what the engine returns.

app.py at the repository root only calls `main.main` (the navigation). `common` holds what
every page needs (settings, the engine loaded in the background, messages for errors, the
sidebar), `render` draws answers, sources and tables, `reader_html` a part of a document for
the reader, `chat_queue` keeps the order of questions in a session, `nav` the links between
pages.

Document text is always rendered as text: through st.text, st.dataframe, Markdown escaped by
adviesqa.ui.escape_markdown, or HTML built from html.escape'd text (the reader). Nothing uses
unsafe_allow_html; the only scripts are two constants of this package (the page's language
and scrolling to a passage), which st.html runs with unsafe_allow_javascript.
"""
