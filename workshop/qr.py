"""QR codes of join links, as SVG (made in a worker process, cached per link)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg

from workshop.workers import Workers


def make_svg(url: str) -> str:
    """The QR code of a URL as a standalone SVG document (runs in a worker)."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


class QrCache:
    """One SVG per join link, generated once."""

    def __init__(self, workers: Workers) -> None:
        self._workers = workers
        self._svgs: dict[str, str] = {}

    async def svg(self, url: str) -> str:
        if url not in self._svgs:
            if len(self._svgs) > 1000:
                self._svgs.clear()
            self._svgs[url] = await self._workers.run(make_svg, url)
        return self._svgs[url]
