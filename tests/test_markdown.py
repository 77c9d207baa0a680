"""Markdown: the compiled renderer (markdown-it-pyrs) is only given text on which it writes the HTML
markdown-it-py writes — checked on every report body of the example and of a generated team, and on
random Markdown made of the constructs where the two were seen to differ."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path

import pytest

from sitegen import markdown
from sitegen.demo import write_demo_team
from sitegen.markdown import render_markdown_html, render_python, renders_fast

EXAMPLE = Path(__file__).resolve().parents[1] / "records"

pytestmark = pytest.mark.skipif(markdown._fast is None, reason="markdown-it-pyrs has no wheel for this Python")


def bodies(root: Path) -> list[str]:
    return [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted(root.rglob("*.md"))]


def test_every_report_body_renders_the_same_and_fast(tmp_path):
    write_demo_team(tmp_path / "team", members=6, days=30, seed=3, end=date(2026, 11, 27), locale="zh-Hans", calendar="cn")
    found = bodies(EXAMPLE / "reports") + bodies(tmp_path / "team/records/reports")
    assert len(found) > 700
    assert all(renders_fast(text) for text in found)  # real reports take the fast path
    assert [text for text in found if markdown._fast.render(text) != render_python(text)] == []


PARTS = ["*", "**", "_", "__", "`", "```", "~~~", "\n", "\n\n", "  \n", "> ", "- ", "1. ", "2) ", "# ", "## ", "|", "---",
         "[", "]", "(", ")", "<", ">", "&", "&amp;", "&#x41;", "\\", "http://a.b", "!", "a", "文字", "  ", "    ", "\t", "x y",
         "~~", "<b>", "</b>", "<!-- c -->", "'", '"', "=", "\n===\n", "[l](http://x.y/z?a=1&b=2)", "[r]", "\n[r]: /u 't'",
         "javascript:alert(1)", "*強調*", "\n- 項目", "\n1. 一"]


def test_random_markdown_renders_the_same_whichever_renderer_takes_it():
    rng = random.Random(11)
    fast = 0
    for _ in range(12000):
        text = "".join(rng.choice(PARTS) for _ in range(rng.randint(1, 30)))
        render_markdown_html.cache_clear()
        assert render_markdown_html(text) == render_python(text), text
        fast += renders_fast(text)
    assert fast > 500  # the fuzz did reach the compiled renderer


@pytest.mark.parametrize("text", ["![x](http://tracker/p.png)", "> " * 40 + "deep", "| a |\n|---|\n| 1 |", "`<b>`", "- \n- a"])
def test_what_the_compiled_renderer_is_not_given(text):
    assert not renders_fast(text)
    assert render_markdown_html(text) == render_python(text)


def test_a_panic_in_the_compiled_renderer_falls_back(monkeypatch):
    class Panic(BaseException):  # pyo3's PanicException is a BaseException
        pass

    class Panicking:
        def render(self, text: str) -> str:
            raise Panic("index out of bounds")

    monkeypatch.setattr(markdown, "_fast", Panicking())
    render_markdown_html.cache_clear()
    assert render_markdown_html("**a** b") == "<p><strong>a</strong> b</p>\n"
    render_markdown_html.cache_clear()
    assert re.search("<strong>", render_markdown_html("**c**"))
