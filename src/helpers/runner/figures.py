"""Post-processing of an executed notebook's images, on the worker before its files are sent back.

* :func:`optimise_pngs`: every PNG in the outputs (a chart's ``<img src="data:image/png;base64,…">`` inside
  the HTML ``Briefing.figure`` displays, or a bare ``image/png`` output) is recompressed losslessly with
  oxipng (the ``pyoxipng`` wheel): the same pixels in about a fifth fewer bytes. Done before the page is
  rendered, so the page and the notebook carry the same bytes; without oxipng the PNGs are left as they are.
* :func:`link_figures`: each figure's bytes stored once per briefing. The page keeps its images inline (one
  self-contained offline file); in the executed ``.ipynb`` each image output becomes a short markdown
  output naming the figure, its alt text and where it is: ``Figure 3: see 04_public_health.html#figure-3``.
  Text, tables and the figures' CSV links stay in the notebook.
"""

from __future__ import annotations

import base64
import binascii
import html
import re

#: A PNG inside an output's HTML (a chart from ``Briefing.figure``).
PNG_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
#: Any embedded raster image inside an output's HTML, in an ``<img>`` tag.
IMG_TAG = re.compile(r"<img\b[^>]*\bsrc=\"data:image/[\w.+-]+;base64,[^\"]*\"[^>]*>", re.I)
FIGURE_ID = re.compile(r"<figure\b[^>]*\bid=\"(figure-\d+)\"", re.I)
ALT = re.compile(r"\balt=\"([^\"]*)\"", re.I)
#: oxipng settings: level 0 without row filters compressed the charts of a Cambridgeshire build 20% in
#: 13 ms a chart; level 1 gained 6 points more for 7x the time, level 2 8 points for 20x (2 cores, 2026-12).
OXIPNG_LEVEL = 0
#: Output metadata key that marks an output written by :func:`link_figures`.
LINK_MARK = "briefings_figure_link"


def optimise_png(data: bytes) -> bytes:
    """The PNG recompressed losslessly (same pixels), or ``data`` when that is not smaller or fails."""
    try:
        import oxipng
    except ImportError:  # an environment without the wheel: the PNGs stay as matplotlib wrote them
        return data
    try:
        smaller = oxipng.optimize_from_memory(data, level=OXIPNG_LEVEL, filter=[oxipng.RowFilter.NoOp])
    except Exception:  # noqa: BLE001 - a PNG oxipng cannot read is kept as it is
        return data
    return smaller if len(smaller) < len(data) else data


def _optimise_b64(text: str) -> str:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text
    smaller = optimise_png(data)
    return text if smaller is data else base64.b64encode(smaller).decode("ascii")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def optimise_pngs(nb) -> int:
    """Recompress every PNG in the notebook's outputs in place (:func:`optimise_png`); returns the bytes saved."""
    saved = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            for mime, value in list(data.items()):
                if mime == "text/html":
                    text = _text(value)
                    if "data:image/png;base64," not in text:
                        continue
                    new = PNG_URI.sub(lambda m: "data:image/png;base64," + _optimise_b64(m.group(1)), text)
                    saved += len(text) - len(new)
                    data[mime] = new
                elif mime == "image/png":
                    text = _text(value).replace("\n", "")
                    new = _optimise_b64(text)
                    saved += len(text) - len(new)
                    data[mime] = new
    return saved


def _pointer(section: str, label: str, anchor: str, alt: str) -> dict:
    """A display_data output naming a figure and where its image is."""
    import nbformat

    target = f"{section}.html#{anchor}" if anchor else f"{section}.html"
    alt_text = " ".join(alt.split())
    markdown = f"**{label}**: see [{target}]({target})" + (f". Alt text: {alt_text}" if alt_text else "")
    plain = f"{label}: see {target}" + (f". Alt text: {alt_text}" if alt_text else "")
    return nbformat.v4.new_output(
        "display_data", data={"text/markdown": markdown, "text/plain": plain}, metadata={LINK_MARK: target}
    )


def link_figures(nb, section: str) -> int:
    """Replace every image output of the executed notebook with a pointer to the page; returns how many.

    A ``Briefing.figure`` output (HTML ``<figure id="figure-N">`` with an inline PNG) becomes
    "**Figure N**: see NN_slug.html#figure-N. Alt text: …"; a bare image output (``image/png`` and the
    like) becomes "Image k: see NN_slug.html"; an image inside other HTML is replaced in place by that note.
    Other outputs (text, tables, findings) are kept."""
    replaced = 0
    images = 0
    for cell in nb.cells:
        outputs = cell.get("outputs")
        if not outputs:
            continue
        new_outputs = []
        for output in outputs:
            data = output.get("data") or {}
            html_text = _text(data.get("text/html", ""))
            raster = [m for m in data if m.startswith("image/") and m != "image/svg+xml"]
            first = IMG_TAG.search(html_text) if html_text else None
            figure = FIGURE_ID.search(html_text) if first else None
            if first and figure:  # a Briefing.figure: the whole output becomes the pointer
                alt = ALT.search(first.group(0))
                alt_text = html.unescape(alt.group(1)) if alt else ""
                label = "Figure " + figure.group(1).split("-")[1]
                new_outputs.append(_pointer(section, label, figure.group(1), alt_text))
                replaced += 1
            elif first:  # images inside other HTML (a table, say): only each image is replaced, in place

                def note(match: re.Match) -> str:
                    nonlocal images, replaced
                    images += 1
                    replaced += 1
                    alt = ALT.search(match.group(0))
                    text = f"Image {images}: see {section}.html" + (f". Alt text: {alt.group(1)}" if alt else "")
                    return f'<span class="briefings-image-link">[{text}]</span>'

                output["data"]["text/html"] = IMG_TAG.sub(note, html_text)
                new_outputs.append(output)
            elif raster:
                images += 1
                alt_text = str((output.get("metadata") or {}).get("alt", ""))
                new_outputs.append(_pointer(section, f"Image {images}", "", alt_text))
                replaced += 1
            else:
                new_outputs.append(output)
        cell["outputs"] = new_outputs
    return replaced
