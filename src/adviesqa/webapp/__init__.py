"""The Streamlit app, one module per page (`pages/`), rendering what the engine returns.

app.py at the repository root only builds the navigation. `common` holds what every page
needs (settings, the engine, messages for errors, the sidebar), `render` draws answers,
passages and tables, `chat_queue` keeps the order of questions in a session.

Document text is always rendered as text: through st.text, st.dataframe, or Markdown
escaped by adviesqa.ui.escape_markdown. Nothing here uses unsafe_allow_html.
"""
