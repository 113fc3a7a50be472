"""The text layer: what the stages share about text and language, each in one place.

- `numbers`: the one reader of Dutch and English number notations (a cell, a running text) and
  the one writer (display, the passages' notation, charts and spreadsheets);
- `years`: the one definition of a year and the patterns built on it;
- `hyphenation`: the one de-hyphenator (clean, tables, references);
- `sentences`: the one sentence splitter (chunking, rerank, answers);
- `tokens`: the BM25 tokens, content words, coverage and term weights (store, rerank, answers);
- `dictionary`: whether a word is a word of a language;
- `languages`: the `Language` record, the registry and the documents' language (a setting);
  `nl`, `en`: one module per language with its word lists, patterns and user-facing strings.
  Adding a language is adding such a module.
"""
