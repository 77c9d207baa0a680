"""A team whose every free-text field and Markdown body holds attack strings, in the style of the
OWASP XSS filter evasion cheat sheet. Used by the browser test (nothing may run, open a dialog or
leave the site) and by the output scans (no payload may appear unescaped)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "\"><img src=x onerror=alert('xss-2')>",
    "'><svg onload=alert('xss-3')>",
    "javascript:alert('xss-4')",
    "</script><script>alert('xss-5')</script>",
    "<!--<script>alert('xss-6')//-->",
    "<IMG SRC=JaVaScRiPt:alert('xss-7')>",
    "<iframe src=\"javascript:alert('xss-8')\"></iframe>",
    "<body onload=alert('xss-9')>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<img src=\"http://evil.example/leak.png\">",
    "&#x3C;script&#x3E;alert('xss-10')&#x3C;/script&#x3E;",
    "<svg><script>alert('xss-11')</script></svg>",
    "\" onmouseover=\"alert('xss-12')\" x=\"",
    "{{ 7*7 }}{% raw %}${alert('xss-13')}",
    "</script>\u003c!--<script>",  # (U+2028/U+2029, once here, are now refused in every field: tests/test_limits.py)
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTE0Jyk8L3NjcmlwdD4=\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-15')>",
    "\uff1cscript\uff1ealert('xss-16')\uff1c/script\uff1e",  # full-width angle brackets
]

MARKDOWN = """# {p0}

[click](javascript:alert('md-1')) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vb](vbscript:msgbox(1)) ![img](http://evil.example/track.png) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

<script>alert('md-2')</script>
<img src=x onerror="alert('md-3')">
<a href="javascript:alert('md-4')">raw link</a>

| {p1} | {p2} |
|---|---|
| {p3} | {p4} |

```html
<script>alert('in code')</script>
```
"""


def s(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML), so any payload stays one value."""
    return json.dumps(value, ensure_ascii=False)


def write_xss_team(root: Path) -> None:
    shutil.copytree(FIXTURES / "minimal", root)
    p = PAYLOADS
    body = MARKDOWN.format(p0=p[0], p1=p[1], p2=p[2], p3=p[3], p4=p[4])
    (root / "sitegen.yaml").write_text((root / "sitegen.yaml").read_text(encoding="utf-8")
                                       .replace("title: Minimal team", f"title: {s(p[1])}")
                                       .replace("name: Phone,", f"name: {s(p[2])},")
                                       .replace("label: Hot,", f"label: {s(p[3])},")
                                       .replace("description: A name, an owner and a contact with a phone number.",
                                                f"description: {s(p[4])}"), encoding="utf-8")
    (root / "records/team.yaml").write_text(
        f"groups:\n  - {{id: north, name: {s(p[5])}, supervisor: amy}}\nmembers:\n"
        f"  - {{id: amy, name: {s(p[6])}, role: supervisor, group: north}}\n"
        f"  - {{id: bob, name: {s(p[7])}, group: north, reports_to: amy}}\n", encoding="utf-8")
    (root / "records/customers/wang-tea.yaml").write_text(
        f"name: {s(p[8])}\nowner: bob\nstatus: prospect\nstars: 5\nsource: {s(p[9])}\nindustry: {s(p[10])}\n"
        f"address: {s(p[11])}\ncreated: 2026-09-01\ntags: [{s(p[12])}]\n"
        f"expected_close: {{date: 2026-11-20, value: 120000}}\n"
        f"contacts:\n  - {{name: {s(p[13])}, role: {s(p[14])}, phone: {s(p[15])}, email: {s(p[16])}, wechat: {s(p[17])}}}\n"
        f"deals:\n  - {{date: 2026-10-01, amount: 5000, product: {s(p[18])}, note: {s(p[0])}}}\n"
        f"notes: {s(body)}\n", encoding="utf-8")
    (root / "records/plans/2026-11-team-goal.yaml").write_text(
        "kind: goal\nperiod: 2026-11\nmust: 200000\nchallenge: 260000\n"
        f"note: {s(body)}\n"
        f"members:\n  - {{member: amy, must: 100000, basis: history, note: {s(p[1])}}}\n"
        f"  - {{member: bob, must: 120000, basis: customers, customers: [wang-tea]}}\n"
        f"measures:\n  - {{what: {s(p[2])}, owner: bob, status: in-progress, note: {s(p[3])}}}\n"
        f"stages:\n  - {{name: {s(p[4])}, start: 2026-11-01, end: 2026-11-15, target: 100000}}\n"
        f"  - {{name: {s(p[5])}, start: 2026-11-16, end: 2026-11-30, target: 100000}}\n"
        f"events:\n  - {{id: fair, name: {s(p[6])}, date: 2026-11-10, invitations: 2, members: [{{member: bob, invitations: 2}}]}}\n",
        encoding="utf-8")
    (root / "records/plans/2026-11-02-bob-week.yaml").write_text(
        "kind: plan\nmember: bob\nperiod: week\nstart: 2026-11-02\nend: 2026-11-08\n"
        f"note: {s(body)}\ntargets:\n  - {{what: {s(p[7])}, value: 3}}\n"
        f"items:\n  - {{id: demo, what: {s(p[8])}, due: 2026-11-03, customer: wang-tea, expected: {s(p[9])}}}\n"
        f"  - {{id: call, what: {s(p[10])}, due: 2026-11-04}}\n", encoding="utf-8")
    (root / "records/reports/2026/11/2026-11-03-bob.md").write_text(
        "---\nmember: bob\ndate: 2026-11-03\nactivity: {phone: 12, visit: 2}\n"
        f"touchpoints:\n  - {{customer: wang-tea, channel: visit, with: {s(p[11])}, purpose: {s(p[12])}, result: {s(p[13])},"
        " effect: 4, next_contact: 2026-11-06, proposal: true}\n"
        f"deals:\n  - {{customer: wang-tea, amount: 1000, product: {s(p[14])}}}\n"
        f"progress:\n  - {{plan: 2026-11-02-bob-week, item: demo, status: done, note: {s(p[15])}}}\n"
        f"  - {{plan: 2026-11-02-bob-week, item: call, status: not-done, reason: {s(p[16])}}}\n"
        f"events:\n  - {{event: fair, invited: 1}}\n"
        f"tomorrow:\n  - {{customer: wang-tea, channel: phone, purpose: {s(p[17])}, with: {s(p[18])}}}\n"
        f"help: {s(p[0])}\n---\n" + body, encoding="utf-8")
    (root / "records/reports/2026/11/2026-11-04-bob-review.md").write_text(
        "---\nkind: review\nmember: bob\nreviewer: amy\ndate: 2026-11-04\ntype: spot\n"
        f"findings: [{s(p[1])}, {s(p[2])}]\nfeedback: {s(p[3])}\n---\n" + body, encoding="utf-8")
    (root / "records/reports/2026/11/2026-11-05-coaching-bob.md").write_text(
        "---\nkind: coaching\ncoach: amy\nmembers: [bob]\ndate: 2026-11-05\nformat: one-to-one\ncapabilities: [closing]\n"
        f"agreed_actions: [{s(p[4])}, {s(p[5])}]\nfollow_up: 2026-11-19\n---\n" + body, encoding="utf-8")
