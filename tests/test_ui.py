"""Rendering helpers of the app (src/adviesqa/ui.py)."""


def test_token_sink_shows_text_and_never_raises():
    from adviesqa.ui import token_sink

    shown: list[str] = []

    class Box:
        def markdown(self, text):
            if len(shown) >= 2:
                raise RuntimeError("page gone")
            shown.append(text)

    sink = token_sink(Box())
    for piece in ["Ongeveer ", "65.000 ", "<b>KMO's</b> ", "[1]."]:
        sink(piece)  # must not raise even when the page is gone
    assert shown[0].startswith("Ongeveer") and "65.000" in shown[1]
