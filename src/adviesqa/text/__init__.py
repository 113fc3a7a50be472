"""The text layer: what the stages share about text and language — numbers, years, sentence
and word units, and each language's word lists and user-facing strings (`nl`, `en`)."""
