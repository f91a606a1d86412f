"""A page's tags, attributes and text as a browser would read them, for the tests of the
files Samling writes as HTML (the summary, the printed poster)."""

from __future__ import annotations

from html.parser import HTMLParser

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: around every text from the record.
ISOLATE, POP = "\u2068", "\u2069"


class Page(HTMLParser):
    """The tags, attributes and text of a page, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.styles: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        (self.styles if self._in and self._in[-1] == "style" else self.texts).append(data)

    @property
    def text(self) -> str:
        return " ".join(self.texts)

    @property
    def words(self) -> str:
        """The text as a reader sees it: the isolates around each text dropped, whitespace
        made single."""
        return " ".join(self.text.replace(ISOLATE, "").replace(POP, "").split())


def read(data: bytes) -> Page:
    """The page of an HTML file's bytes (UTF-8)."""
    page = Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page
