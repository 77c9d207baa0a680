"""Markdown as sitegen renders it: CommonMark with tables, raw HTML shown as text, images from other
sites turned into links, and text nested too deep for the renderer kept rather than dropped.

One home for markdown-it, used by the renderer (pages) and by the checks (which warn about text
the renderer cannot nest)."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

try:  # markdown-it's rules compiled (Rust): ~20 × faster; wheels up to Python 3.12, so optional
    import markdown_it_pyrs
except ImportError:  # pragma: no cover - the Python renderer does everything alone
    markdown_it_pyrs = None  # type: ignore[assignment]

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_render_image = _markdown.renderer.rules["image"]  # type: ignore[attr-defined]  # RendererHTML has rules
MAX_NESTING = int(_markdown.options["maxNesting"])  # lists and quotes deeper than this stop being parsed


def _image_or_link(self, tokens, idx, options, env):
    """Images from elsewhere would be fetched by every reader (a tracking pixel) and break offline:
    they become a link with the image's text; images in the site or inline data stay images."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if "://" in src or src.startswith("//"):
        alt = self.renderInlineAsText(token.children or [], options, env) or src
        return f'<a href="{escapeHtml(src)}" rel="noopener noreferrer">{escapeHtml(alt)}</a>'
    return _render_image(tokens, idx, options, env)


_markdown.add_render_rule("image", _image_or_link)


_MARKERS = re.compile(r"^(?:[>\s]|[-*+](?=\s)|\d{1,9}[.)](?=\s))*")
DEEP_LINE = re.compile(r"^[ \t>*+\-\d.)]{16,}", re.M)  # only a line this deep in markers can pass the limit


def _first_dropped(text: str, tokens) -> int | None:
    """The first line (1-based) the parser left out for nesting past its limit, else None. The
    parser stops descending there and says nothing, so: when it came near the limit, look for a
    deep line with words that no leaf block (a paragraph's text, code, a rule) covers — by the
    lines each token maps, not by its words, which may also be written higher up."""
    if not tokens or max(t.level for t in tokens) < MAX_NESTING - 1:
        return None
    shown = {line for t in tokens if t.nesting == 0 and t.map for line in range(t.map[0], t.map[1])}
    for number, line in enumerate(text.split("\n"), start=1):
        if number - 1 not in shown and DEEP_LINE.match(line) and _MARKERS.sub("", line).strip():
            return number
    return None


def dropped_line(text: str) -> int | None:
    """The first line (1-based) of ``text`` that the Markdown parser would leave out because it
    is nested deeper than it can go; None when every line is kept."""
    return _first_dropped(text, _markdown.parse(text))


_fast = markdown_it_pyrs.MarkdownIt("zero").enable_many([  # the rules of _markdown above: CommonMark without raw HTML, with tables
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table"]) if markdown_it_pyrs is not None else None
# Text the compiled renderer is not given: where it was seen to differ from markdown-it-py (empty
# quotes and list items, code spans, autolinks, tabs, tables, fences: tests/test_markdown.py fuzzes
# the rest), images (sitegen's own rule above), and text deep enough to meet the nesting limit.
_NOT_FAST = re.compile(r"^[ \t>*+\-\d.)]*(?:>|[-*+]|\d{1,9}[.)])[ \t]*$|[`\t<|]|!\[|~~~", re.M)


def renders_fast(text: str) -> bool:
    """Whether ``text`` goes to the compiled renderer (same HTML, 20 × faster)."""
    return _fast is not None and not _NOT_FAST.search(text) and not DEEP_LINE.search(text)


@lru_cache(maxsize=4096)
def render_markdown_html(text: str) -> str:
    """HTML for a Markdown body. Text nested beyond the parser's depth would vanish: such a body is
    shown as plain text instead (escaped, line breaks kept), and the checks warn about it."""
    if _fast is not None and renders_fast(text):
        try:
            return _fast.render(text)
        except BaseException as exc:  # the Rust side panics on some input (PanicException): the Python one renders it
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
    return render_python(text)


def render_python(text: str) -> str:
    """render_markdown_html by markdown-it-py alone (all text the compiled renderer is not given)."""
    tokens = _markdown.parse(text)
    if _first_dropped(text, tokens) is not None:
        return f'<pre class="plain-text">{escapeHtml(text)}</pre>\n'
    return _markdown.renderer.render(tokens, _markdown.options, {})
