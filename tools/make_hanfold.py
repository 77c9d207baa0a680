"""Write sitegen/templates/static/hanfold.js: Traditional → Simplified Chinese characters, one to one, so the
site's search finds 建國烘焙坊 when someone types 建国烘焙坊 (and the other way round).

The table is OpenCC's TSCharacters.txt (Apache License 2.0), first candidate of each entry, characters
of the Basic Multilingual Plane only. A development tool: pip install opencc-python-reimplemented
Run: python tools/make_hanfold.py
"""

from __future__ import annotations

import json
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"


def main() -> None:
    pairs = []
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        traditional, _, simplified = line.partition("\t")
        target = simplified.split(" ")[0]
        if len(traditional) == 1 and len(target) == 1 and traditional != target and ord(traditional) < 0x10000 \
                and ord(target) < 0x10000:
            pairs.append(traditional + target)
    table = "".join(sorted(pairs))
    (ROOT / "sitegen/templates/static/hanfold.js").write_text(
        "/* Traditional → Simplified Chinese characters for the site's search (pairs: traditional, simplified).\n"
        "   From OpenCC's TSCharacters.txt, Apache License 2.0, https://github.com/BYVoid/OpenCC; made by\n"
        "   tools/make_hanfold.py. */\n"
        f"window.SITEGEN_HANFOLD = {json.dumps(table, ensure_ascii=False)};\n", encoding="utf-8")
    print(f"{len(pairs)} pairs")


if __name__ == "__main__":
    main()
