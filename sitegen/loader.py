"""Read record files exactly as written.

The loader turns bytes into plain Python values (dicts, lists, text and ``None``) and a map from
every field path to the line and column where its value was written. It never converts a scalar:
``12:30``, ``0712345678``, ``NO`` and ``1.10`` all stay text; only the schema decides whether a
field is a number, a date or a boolean. It refuses what people never mean to type in a record
(anchors, aliases, merge keys, custom tags, duplicate keys) with a located problem.

YAML is read from libyaml's event stream (PyYAML's C parser), building values directly: it is the
fastest path PyYAML offers, keeps every mark, and needs no recursion however deep the input nests.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .i18n import NO_TEXT, Text, msg
from .problems import Problem, error

_Parser: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_CHARS = 64_000
MAX_DEPTH = 24

FieldPath = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FULLWIDTH_COLON_KEY = re.compile(r"^[ \t]*(?:- )?[A-Za-z_][\w-]*[ \t]*\uff1a")


@dataclass
class Document:
    """One record file: its values, where each was written, and (for Markdown) its body."""

    path: str  # relative to the team's root, POSIX slashes
    data: Any
    marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    body: str | None = None
    body_line: int = 1

    def mark(self, path: FieldPath) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest written ancestor."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))

    def key_mark(self, path: FieldPath) -> tuple[int, int]:
        return self.key_marks.get(tuple(path)) or self.mark(path)


def format_field_path(path: FieldPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# ---------------------------------------------------------------------------------------------
# bytes -> text


def decode_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (BOM or not) or BOM-marked UTF-16; name the likely encoding of anything else."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise_newlines(raw.decode("utf-16")), []
        except UnicodeDecodeError as exc:
            return None, [error(path, 1, 1, "", msg("the file starts with a UTF-16 byte-order mark but is not valid UTF-16 ({reason})", reason=exc.reason),
                                msg("re-save the file as UTF-8"))]
    if b"\x00" in raw[:4096] and (guess := _guess_legacy_encoding(raw)).startswith("UTF-16"):  # ASCII in UTF-16 is valid UTF-8
        return None, [error(path, 1, 1, "", msg("the file is not UTF-8 (it looks like {guess})", guess=guess),
                            msg("re-save it as UTF-8: in VS Code, click the encoding in the status bar, 'Reopen with Encoding' → UTF-16 {byte_order}, then 'Save with Encoding' → UTF-8", byte_order=guess.split(' ')[1]))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = _guess_legacy_encoding(raw)
        return None, [error(path, line, column, "", msg("the file is not UTF-8 (it looks like {guess})", guess=guess),
                            msg("re-save it as UTF-8: in VS Code, click the encoding in the status bar, 'Reopen with Encoding' → {encoding}, then 'Save with Encoding' → UTF-8", encoding=guess.split(' ')[0]))]
    return _normalise_newlines(text), []


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _guess_legacy_encoding(raw: bytes) -> str:
    """The likely encoding of bytes that are not UTF-8, by a stated rule:

    1. UTF-16 without a byte-order mark: most bytes at even (or odd) offsets are zero
       (text in Latin letters), or every pair decodes to CJK characters and the UTF-16
       reading is cleaner than any legacy reading;
    2. the Chinese legacy encodings, Big5 (Traditional), GBK and GB18030 (Simplified, GB18030
       being GBK plus four-byte sequences): those that decode, ranked by how common their
       characters are in the script they are for;
    3. otherwise Windows-1252 (Western European)."""
    if len(raw) >= 4:
        even, odd = raw[0::2], raw[1::2]
        for zeros, codec, label in ((odd, "utf-16-le", "UTF-16 LE (without a byte-order mark)"),
                                    (even, "utf-16-be", "UTF-16 BE (without a byte-order mark)")):
            if zeros.count(0) >= len(zeros) * 0.3 and _decodes(raw, codec):
                return label
        for codec, label in (("utf-16-le", "UTF-16 LE (without a byte-order mark)"), ("utf-16-be", "UTF-16 BE (without a byte-order mark)")):
            text = _decodes(raw, codec)
            if text and _common_char_score(text, "gbk") + _common_char_score(text, "big5") > 0.6:
                return label
    candidates = []
    for codec, label in (("big5", "Big5 (Traditional Chinese)"), ("gbk", "GBK (Simplified Chinese)"),
                         ("gb18030", "GB18030 (Simplified Chinese)")):
        text = _decodes(raw, codec)
        if text is None:
            continue
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        candidates.append((_common_char_score(text, codec), cjk, codec != "gb18030", label))
    if candidates:
        candidates.sort(reverse=True)  # most common characters first; GBK before GB18030 when both read alike
        if candidates[0][1]:
            return candidates[0][3]
    return "Windows-1252 (Western European)"


def _decodes(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


_COMMON_TRADITIONAL = set("的一是不了人我在有他這中大來上們個到說時要就出會也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日軍者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立及比員解水名真論處走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報才結反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根干造言聯持組每濟車親極林服快辦議往元英士證近失轉夫令準布始怎呢存未遠叫台單影具羅字愛擊流備兵連調深商算質團集百需價花黨華城石級整府離況亞請技際約示復病息究線似官火斷精滿支視消越器容照須九增研寫稱企八功嗎包片史委乎查輕易早曾除農找裝廣顯吧阿李標談吃圖念六引歷首醫局突專費號盡另周較注語仅考落青隨選列武紅響雖推勢參希古眾構房半節土投某案黑維革劃敵致陳律足態護七興派孩驗責營星夠章音跟志底站嚴巴例防族供效續施留講型料終答緊黃絕奇察母京段依批群項故按河米圍江織害斗雙境客紀採舉殺攻父蘇密低朝友訴止細願千值仍男錢破網熱助倒育屬坐帝限船臉職速刻樂否剛威毛狀率甚獨球般普怕彈校苦創假久錯承印晚蘭試股拿腦預誰益陽若哪微尼繼送急血驚傷素藥適波夜省初喜衛源食險待述陸習置居勞財環排福納歡雷警獲模充負雲停木游龍樹疑層冷洲衝射略範竟句室異激漢村哈策演簡卡罪判擔州靜退既衣您宗積余痛檢差富靈協角佔配征修皮揮勝降階審沉堅善媽劉讀啊超免壓銀買皇養伊懷執副亂抗犯追幫宣佛歲航優怪香著田鐵控稅左右份穿藝背陣草腳概惡塊頓敢守酒島托央戶烈洋哥索胡款靠評版寶座釋景顧弟登貨互付伯慢歐換聞危忙核暗姐介壞討麗良序升監臨亮露永呼味野架域沙掉括艦魚雜誤湖")
_COMMON_SIMPLIFIED = set("的一是不了人我在有他这中大来上们个到说时要就出会也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湖")


def _common_char_score(text: str, codec: str) -> float:
    common = _COMMON_TRADITIONAL if codec == "big5" else _COMMON_SIMPLIFIED  # gbk and gb18030: Simplified
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return sum(ch in common for ch in cjk) / len(cjk) if cjk else 0.0


def check_characters(text: str, path: str, line_offset: int = 0) -> list[Problem]:
    """Refuse control characters and point at the full-width punctuation an input method types."""
    problems: list[Problem] = []
    for match in _CONTROL_CHARS.finditer(text):
        line, column = _line_col(text, match.start())
        name = "NUL" if match.group() == "\x00" else f"U+{ord(match.group()):04X}"
        problems.append(error(path, line + line_offset, column, "", msg("control character {name} is not allowed in a record", name=name),
                              msg("delete it; it is invisible in most editors (it often comes from copy-and-paste)")))
        if len(problems) >= 5:
            break
    if "\uff1a" not in text and "\u3000" not in text and "\t" not in text and "\u00a0" not in text:
        return problems  # the usual case: none of the characters the line checks look for
    for number, line_text in enumerate(text.split("\n"), start=1):
        if _FULLWIDTH_COLON_KEY.match(line_text):
            problems.append(error(path, number + line_offset, line_text.index("\uff1a") + 1, "",
                                  msg("full-width colon '：' after a field name"),
                                  msg("the Chinese input method typed '：'; write an ASCII colon and a space: 'name: value'")))
        stripped = line_text.lstrip(" \t")
        indent = line_text[: len(line_text) - len(stripped)]
        if stripped.startswith("\u3000") or "\u3000" in indent:
            problems.append(error(path, number + line_offset, len(indent) + 1, "",
                                  msg("ideographic space (U+3000, full-width space) used for indentation"),
                                  msg("switch the input method to half-width and indent with ordinary spaces")))
        elif stripped.startswith("\u00a0"):
            problems.append(error(path, number + line_offset, len(indent) + 1, "",
                                  msg("no-break space (U+00A0) used for indentation: it looks like a space but YAML does not take it as one"),
                                  msg("delete the indentation and type it again with ordinary spaces (it often comes from copy-and-paste)")))
        elif "\t" in indent and stripped and not stripped.startswith("#"):
            problems.append(error(path, number + line_offset, indent.index("\t") + 1, "",
                                  msg("tab used for indentation"), msg("YAML indents with spaces only; replace the tab with spaces")))
    return problems


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


# ---------------------------------------------------------------------------------------------
# text -> values


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Document, list[Problem]]:
    """Build values from one YAML document; every problem is located (1-based line and column)."""
    builder = _Builder(path, line_offset, text)
    try:
        next_event = _Parser(text).get_event  # libyaml's events one by one (yaml.parse wraps this in a generator)
        feed = builder.feed
        while (event := next_event()) is not None:
            feed(event)
            if builder.aborted:
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = (exc.problem or str(exc)).strip()
        if exc.context and exc.problem:
            message = f"{exc.context.strip()}: {message}"
        builder.problems.append(error(path, line + line_offset, column, "", msg("YAML syntax error: {message}", message=message),
                                      _syntax_hint(text, line)))
        return Document(path, None, builder.marks, builder.key_marks), builder.problems
    except yaml.YAMLError as exc:  # reader errors carry no mark but a position
        builder.problems.append(error(path, 1 + line_offset, 1, "", msg("YAML error: {detail}", detail=str(exc))))
        return Document(path, None, builder.marks, builder.key_marks), builder.problems
    data = None if builder.aborted else builder.result
    return Document(path, data, builder.marks, builder.key_marks), builder.problems


def _syntax_hint(text: str, line: int) -> Text:
    lines = text.split("\n")
    near = "\n".join(lines[max(0, line - 2): line + 1])
    if "\uff1a" in near:
        return msg("a full-width colon '：' is nearby; YAML needs an ASCII colon and a space")
    if "\t" in near:
        return msg("a tab is nearby; YAML indents with spaces only")
    if re.search(r":\S", near) and not re.search(r"https?:", near):
        return msg("put a space after the colon: 'key: value'")
    return msg("check the indentation and quoting on this line and the line above")


class _Builder:
    """Turn PyYAML events into plain values and marks, without recursion."""

    def __init__(self, path: str, line_offset: int, text: str = "") -> None:
        self.path = path
        self.line_offset = line_offset
        self.text = text  # to see what the events do not say: an explicit '?' before a key
        self.questions = "?" in text  # without one, no key can have it (most documents: no look back at each key)
        self.problems: list[Problem] = []
        self.marks: dict[FieldPath, tuple[int, int]] = {}
        self.key_marks: dict[FieldPath, tuple[int, int]] = {}
        self.stack: list[list] = []  # frames: [container, field path, pending key or None, key line map]
        self.result: Any = None
        self.documents = 0
        self.aborted = False

    def _at(self, mark) -> tuple[int, int]:
        return mark.line + 1 + self.line_offset, mark.column + 1

    def _problem(self, mark, field_path: FieldPath, message: Text, hint: Text = NO_TEXT) -> None:
        line, column = self._at(mark)
        self.problems.append(error(self.path, line, column, format_field_path(field_path), message, hint))

    def feed(self, event) -> None:
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._problem(event.start_mark, (), msg("a record file holds one YAML document; found a second one"),
                              msg("remove the '---' line, or split the records into separate files"))
                self.aborted = True
            return
        if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
            return
        if kind is yaml.AliasEvent:
            self._problem(event.start_mark, self._child_path(), msg("alias '*{anchor}' is not allowed", anchor=event.anchor),
                          msg("anchors and aliases are refused in records; write the value out in full"))
            self._add_value(None, event.start_mark)
            return
        if kind is yaml.ScalarEvent:
            self._check_node(event)
            if self.stack and self.stack[-1][2] is None and isinstance(self.stack[-1][0], dict):
                self._add_key(event)
            else:
                self._add_value(self._scalar_value(event), event.start_mark)
            return
        if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            self._check_node(event)
            if self.stack and self.stack[-1][2] is None and isinstance(self.stack[-1][0], dict):
                self._problem(event.start_mark, self.stack[-1][1], msg("a mapping key must be plain text"),
                              msg("complex keys ('? ' or a list as a key) are not used in records"))
                self.stack[-1][2] = _BAD_KEY
            path = self._child_path()
            if len(self.stack) >= MAX_DEPTH:
                self._problem(event.start_mark, path, msg("nesting deeper than {levels} levels", levels=MAX_DEPTH),
                              msg("records are at most a few levels deep; check the indentation"))
                self.aborted = True
                return
            container: dict | list = {} if kind is yaml.MappingStartEvent else []
            self.marks[path] = self._at(event.start_mark)
            self.stack.append([container, path, None, {}])
            return
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            container = self.stack.pop()[0]
            self._attach(container)
            return

    def _check_node(self, event) -> None:
        if event.anchor:
            self._problem(event.start_mark, self._child_path(), msg("anchor '&{anchor}' is not allowed", anchor=event.anchor),
                          msg("anchors and aliases are refused in records; write each value out in full"))
        tag = event.tag
        if tag and tag not in _CORE_TAGS:
            implicit = getattr(event, "implicit", None)
            if not (isinstance(implicit, tuple) and any(implicit)) and implicit is not True:
                written = tag.replace("tag:yaml.org,2002:", "!!")
                self._problem(event.start_mark, self._child_path(), msg("tag '{written}' is not allowed", written=written),
                              msg("records use plain values only; remove the tag"))

    @staticmethod
    def _scalar_value(event) -> str | None:
        if not event.style and event.value in _NULLS and event.tag in (None, "tag:yaml.org,2002:null"):
            return None
        return event.value

    def _child_path(self) -> FieldPath:
        if not self.stack:
            return ()
        container, path, key, _ = self.stack[-1]
        if isinstance(container, list):
            return path + (len(container),)
        return path + (key,) if isinstance(key, str) else path

    def _add_key(self, event) -> None:
        frame = self.stack[-1]
        _, path, _, key_lines = frame
        key = event.value if event.value is not None else ""
        if not event.style and key == "<<":
            self._problem(event.start_mark, path, msg("merge key '<<' is not allowed"),
                          msg("write the fields out in full; merge keys hide where a value comes from"))
            frame[2] = _BAD_KEY
            return
        before = self.text[:event.start_mark.index].rstrip(" \t") if self.questions else ""
        if before.endswith("?") and event.start_mark.index <= len(self.text):
            question = len(before) - 1
            line = self.text.count("\n", 0, question) + 1 + self.line_offset
            column = question - (self.text.rfind("\n", 0, question) + 1) + 1
            self.problems.append(error(self.path, line, column, format_field_path(path + (key,)),
                                       msg("an explicit key ('?') is not used in records"),
                                       msg("write the key plainly: '{key}: value'", key=key)))
            frame[2] = _BAD_KEY
            return
        line, column = self._at(event.start_mark)
        if key in key_lines:
            self._problem(event.start_mark, path + (key,),
                          msg("duplicate key '{key}' (first written on line {line})", key=key, line=key_lines[key]),
                          msg("a key may appear once in a mapping; remove or rename one of them"))
            frame[2] = _DUPLICATE_KEY
            return
        key_lines[key] = line
        self.key_marks[path + (key,)] = (line, column)
        frame[2] = key

    def _add_value(self, value: Any, mark) -> None:
        path = self._child_path()
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            return  # an alias used as a key; already reported
        self.marks[path] = self._at(mark)
        self._attach(value)

    def _attach(self, value: Any) -> None:
        if not self.stack:
            self.result = value
            return
        frame = self.stack[-1]
        container, _, key, _ = frame
        if isinstance(container, list):
            container.append(value)
        else:
            if isinstance(key, str):
                container[key] = value
            frame[2] = None


_BAD_KEY = object()
_DUPLICATE_KEY = object()


# ---------------------------------------------------------------------------------------------
# files -> documents


def read_bytes(file: Path, path: str) -> tuple[bytes | None, list[Problem]]:
    """A record file's bytes, never more than the size limit: the file is opened without
    following a link and without blocking (a named pipe), and must be an ordinary file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(file, flags)
    except OSError as exc:
        reason = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
        return None, [error(path, 1, 1, "", msg("cannot read the file: {reason}", reason=str(reason)))]
    try:  # the descriptor itself, not a file object around it: a fifth of the cost, for every file of a build
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return None, [error(path, 1, 1, "", msg("not a regular file: not read"))]
        if info.st_size > MAX_FILE_BYTES:
            return None, [error(path, 1, 1, "", msg("file is {size:,} bytes, over the {limit:,}-byte limit for a record", size=info.st_size, limit=MAX_FILE_BYTES),
                                msg("split it into several records; a record this large is almost certainly a mistake"))]
        raw = os.read(descriptor, info.st_size + 1)
        while len(raw) != info.st_size and len(raw) <= MAX_FILE_BYTES:  # changed while being read: to its end
            more = os.read(descriptor, min(1 << 16, MAX_FILE_BYTES + 1 - len(raw)))
            if not more:
                break
            raw += more
    finally:
        os.close(descriptor)
    if len(raw) > MAX_FILE_BYTES:  # grew while being read
        return None, [error(path, 1, 1, "", msg("file is over the {limit:,}-byte limit for a record", limit=MAX_FILE_BYTES))]
    return raw, []


CONFIG_FILE = "sitegen.yaml"


def early_settings(root: Path) -> dict:
    """sitegen.yaml as plain data, read with sitegen's own loader before the records are, for what
    must be known first (the terminal's language, the time zone git times are read in, whether
    signatures are required); empty when there is no such file or it does not read as a mapping.
    The validated settings decide everything else, and a value they reject fails the build."""
    config = root / CONFIG_FILE
    if not config.is_file():
        return {}
    document, _ = load_yaml_file(config, CONFIG_FILE)
    return document.data if isinstance(document.data, dict) else {}


def load_yaml_file(file: Path, path: str) -> tuple[Document, list[Problem]]:
    raw, problems = read_bytes(file, path)
    if raw is None:
        return Document(path, None), problems
    return load_yaml_text(raw, path)


def load_yaml_text(raw: bytes, path: str) -> tuple[Document, list[Problem]]:
    text, problems = decode_text(raw, path)
    if text is None:
        return Document(path, None), problems
    problems = check_characters(text, path)
    if problems:
        return Document(path, None), problems
    return parse_yaml(text, path)


def load_markdown_text(raw: bytes, path: str) -> tuple[Document, list[Problem]]:
    """Markdown with YAML front matter: ``---`` on line 1 up to the next ``---`` line."""
    text, problems = decode_text(raw, path)
    if text is None:
        return Document(path, None), problems
    if not (text.startswith("---\n") or text == "---" or text.startswith("--- \n")):
        return Document(path, None), [error(path, 1, 1, "", msg("missing front matter: the file must start with a '---' line"),
                                            msg("begin the report with '---', the fields (member, date, …), then another '---'"))]
    end = re.search(r"^---[ \t]*$", text[4:], flags=re.MULTILINE)
    if end is None:
        return Document(path, None), [error(path, 1, 1, "", msg("front matter is not closed: no second '---' line"),
                                            msg("add a line with just '---' after the last field"))]
    front = text[4: 4 + end.start()]
    body_start = 4 + end.end() + 1
    body = text[body_start:] if body_start <= len(text) else ""
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    if len(front) > MAX_FRONT_MATTER_CHARS:
        return Document(path, None), [error(path, 2, 1, "", msg("front matter is {count:,} characters, over the {limit:,} limit", count=len(front), limit=MAX_FRONT_MATTER_CHARS),
                                            msg("move long text into the Markdown body below the second '---'"))]
    problems = check_characters(text, path)
    if problems:
        return Document(path, None), problems
    if not front.strip():
        return Document(path, None), [error(path, 1, 1, "", msg("front matter is empty"), msg("write the report's fields between the two '---' lines"))]
    document, problems = parse_yaml(front, path, line_offset=1)
    document.body = body
    document.body_line = body_line
    return document, problems


def require_mapping(document: Document, what: Text) -> list[Problem]:
    """A record must be a mapping of fields; say so where the document is something else."""
    if isinstance(document.data, dict):
        return []
    line, column = document.marks.get((), (1, 1))
    found = (msg("nothing") if document.data is None else msg("a list") if isinstance(document.data, list)
             else msg("the text '{text}'", text=str(document.data)[:40]))
    return [error(document.path, line, column, "", msg("{what} must be a mapping of fields, found {found}", what=what, found=found),
                  msg("write one 'field: value' per line"))]
