"""A synthetic but realistic team: a Taiwanese sales team selling commercial coffee machines and
point-of-sale systems to shops, written in Traditional Chinese.

The same generator writes the example team in ``records/`` (8 members, two months) and the large
teams the benchmark builds. It simulates the method day by day — planned contacts become
touchpoints, hot prospects close, follow-ups fall due — so the numbers on the site tell a story.
Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from .periods import WorkCalendar, default_stages, period_containing

SURNAMES = [("陳", "chen"), ("林", "lin"), ("黃", "huang"), ("張", "zhang"), ("李", "li"), ("王", "wang"), ("吳", "wu"),
            ("劉", "liu"), ("蔡", "cai"), ("楊", "yang"), ("許", "xu"), ("鄭", "zheng"), ("謝", "xie"), ("郭", "guo"),
            ("洪", "hong"), ("曾", "zeng"), ("邱", "qiu"), ("廖", "liao"), ("賴", "lai"), ("周", "zhou")]
GIVEN = [("雅婷", "yating"), ("志明", "zhiming"), ("美玲", "meiling"), ("建宏", "jianhong"), ("淑芬", "shufen"),
         ("俊傑", "junjie"), ("怡君", "yijun"), ("家豪", "jiahao"), ("佩珊", "peishan"), ("冠宇", "guanyu"),
         ("欣怡", "xinyi"), ("宗翰", "zonghan"), ("詩涵", "shihan"), ("承恩", "chengen"), ("靜宜", "jingyi"),
         ("柏翰", "bohan"), ("宜蓁", "yizhen"), ("信宏", "xinhong"), ("郁婷", "yuting"), ("明哲", "mingzhe")]
SHOP_PREFIX = ["王記", "大安", "永和", "信義", "小巷", "晨光", "老街", "阿里山", "福氣", "好日子", "青田", "南港", "士林",
               "板橋", "三重", "新莊", "北投", "東區", "天母", "中和", "古亭", "民生", "圓山", "松山", "景美", "木柵",
               "內湖", "南京", "忠孝", "仁愛", "和平", "光復", "敦化", "復興", "長春", "建國", "承德", "重慶", "延平", "迪化"]
SHOP_KIND = [("咖啡館", "cafe"), ("早午餐", "brunch"), ("茶行", "tea"), ("烘焙坊", "bakery"), ("便當店", "bento"),
             ("連鎖手搖飲", "drinks"), ("飯店", "hotel"), ("書店", "books"), ("甜點工作室", "dessert"), ("餐酒館", "bistro"),
             ("超商加盟店", "store"), ("健身房", "gym")]
INDUSTRY = {"cafe": "餐飲", "brunch": "餐飲", "tea": "零售", "bakery": "餐飲", "bento": "餐飲", "drinks": "餐飲",
            "hotel": "旅宿", "books": "零售", "dessert": "餐飲", "bistro": "餐飲", "store": "零售", "gym": "服務"}
SOURCES = ["展覽會", "客戶轉介紹", "官網詢問", "陌生開發", "LINE 官方帳號", "舊客戶回購", "經銷商轉單"]
ROLES = ["老闆", "店長", "採購", "合夥人", "經理", "老闆娘"]
PRODUCTS = [("商用義式咖啡機 X1", 128000), ("半自動咖啡機 S2", 68000), ("磨豆機 G5", 26000), ("門市 POS 系統", 45000),
            ("POS 系統年約", 18000), ("咖啡機保養年約", 12000), ("製冰機 I3", 52000)]
PURPOSES = {
    "phone": ["確認試用心得", "邀約到店示範", "追蹤報價回覆", "說明月底優惠", "提醒保養到期", "了解開店進度"],
    "visit": ["現場示範咖啡機", "提案 POS 整合方案", "送交正式報價", "簽約", "教育訓練", "了解吧台動線"],
    "store": ["店內巡訪了解需求", "陪同店長試機", "拜訪新開幕門市"],
    "line": ["傳送型錄與報價", "回覆保養問題", "分享客戶案例", "邀請參加說明會"],
    "flyer": ["商圈發送新品傳單"],
    "event": ["說明會接待", "說明會後續追蹤"],
}
RESULTS = {
    "good": ["同意安排到店示範", "口頭同意下單", "要求正式報價", "願意試用兩週", "將帶合夥人一起看機", "確認本月簽約"],
    "neutral": ["還在比較其他品牌", "需要和老闆討論", "預算下個月才確定", "請我們下週再聯絡"],
    "bad": ["暫時不考慮", "已向競爭對手採購", "聯絡不上，電話未接", "表示預算被刪減"],
}
LESSONS = ["先確認決策者再安排示範，效率高很多。", "報價前先了解客戶的出杯量，方案比較準確。",
           "今天的示範讓客戶親手拉花，反應很好。", "LINE 先傳案例影片，電話邀約比較容易成功。",
           "保養到期提醒是很好的回訪理由，順便帶出新機。", "說明會前一天再確認一次出席，到場率明顯提高。"]
ANSWERS = ["已和主管確認議價空間，可再讓 5%。", "示範機週三起借給你兩天。", "下旬的門市分一半給組內同事跑。",
           "已聯絡技術部，週五前回覆串接問題。", "先照標準流程處理，有變化再回報。"]
PROBLEMS = ["客戶反映競爭對手報價低 15%，需要主管支援議價空間。", "示範機本週被借走，需要協調調度。",
            "新開幕門市集中在下旬，擔心時間不夠跑。", "POS 串接發票系統的問題需要技術部協助回覆。", ""]
NOT_DONE_REASONS = ["客戶臨時改期", "老闆出國，延到下週", "當天處理客訴，時間不夠", "報價還在等主管核准", "示範機不在手邊"]


@dataclass
class Profile:
    """How a member tends to work; the differences show up as capability signals."""

    call_factor: float = 1.0
    visit_factor: float = 1.0
    close_skill: float = 1.0
    miss_rate: float = 0.04
    followup_discipline: float = 0.9
    plan_discipline: float = 0.85


@dataclass
class SimCustomer:
    id: str
    name: str
    owner: str
    status: str
    stars: int | None
    kind: str
    created: date
    source: str
    contacts: list[dict]
    deals: list[dict] = field(default_factory=list)
    next_contact: date | None = None
    expected_close: dict | None = None
    touch_count: int = 0


class _PlainDumper(yaml.SafeDumper):
    """Records never use anchors and aliases (the loader refuses them), so never write any."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _people(count: int, rng: random.Random) -> list[tuple[str, str]]:
    pairs = [(s + g, f"{sid}-{gid}") for s, sid in SURNAMES for g, gid in GIVEN]
    rng.shuffle(pairs)
    return pairs[:count]


# the two calendars a demo team can keep: Taiwan's, and mainland China's, whose week-long holidays
# are paid for by working a weekend day (調休)
CALENDARS: dict[str, dict] = {
    "tw": {"holidays": {date(2026, 10, 10): "國慶日", date(2026, 10, 26): "光復節補假", date(2026, 12, 25): "行憲紀念日",
                        date(2027, 1, 1): "元旦", date(2026, 9, 25): "中秋節"},
           "extra": {}, "timezone": "Asia/Taipei", "currency": "TWD"},
    "cn": {"holidays": {**{date(2026, 10, d): "國慶節、中秋節" for d in range(1, 8)}, date(2027, 1, 1): "元旦"},
           "extra": {date(2026, 9, 20): "國慶節調休（週日上班）", date(2026, 10, 10): "國慶節調休（週六上班）"},
           "timezone": "Asia/Shanghai", "currency": "CNY"},
}


def write_demo_team(root: Path, *, members: int = 8, days: int = 40, seed: int = 1, end: date = date(2026, 11, 27),
                    locale: str = "zh-Hant", customers_per_rep: int = 11, calendar: str = "tw") -> None:
    """A synthetic team: ``calendar`` "tw" (Taiwan's holidays) or "cn" (mainland China's, with make-up
    working weekend days); with locale zh-Hans its text is written in Simplified characters."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    holidays, extra = CALENDARS[calendar]["holidays"], CALENDARS[calendar]["extra"]
    cal = WorkCalendar(["mon", "tue", "wed", "thu", "fri"], set(holidays), set(extra))
    work_days: list[date] = []
    day = end
    while len(work_days) < days:
        if cal.is_working_day(day):
            work_days.append(day)
        day -= timedelta(days=1)
    work_days.reverse()
    start = work_days[0]

    # --- the team: a manager, groups of four or five with a supervisor each ------------------
    people = _people(members + 1, rng)
    manager = people[0]
    staff = people[1:]
    group_count = max(1, round(members / 4.5))
    groups: list[dict] = []
    team_members: list[dict] = []
    reps: list = []
    team_members.append({"id": manager[1], "name": manager[0], "role": "manager", "joined": date(2019, 3, 1), "reporting": "none"})
    group_names = [("north", "北區組"), ("south", "南區組"), ("east", "東區組"), ("west", "西區組"), ("central", "中區組")]
    profiles: dict[str, Profile] = {}
    for index, (name, mid) in enumerate(staff):
        g = index % group_count
        gid, gname = group_names[g % len(group_names)] if g < len(group_names) else (f"group-{g + 1}", f"第{g + 1}組")
        if len(groups) <= g:
            groups.append({"id": gid, "name": gname, "supervisor": mid,
                           "reporting": "half-day" if g % 2 == 1 else "daily"})
            team_members.append({"id": mid, "name": name, "role": "supervisor", "group": gid, "reports_to": manager[1],
                                 "joined": date(2020 + g % 4, 1 + g % 12, 1)})
        else:
            team_members.append({"id": mid, "name": name, "role": "rep", "group": gid, "reports_to": groups[g]["supervisor"],
                                 "joined": date(2022 + index % 4, 1 + index % 12, 1)})
        reps.append(mid)
        profiles[mid] = Profile()
    # a few recognisable patterns, as in any real team
    if len(reps) > 2:
        profiles[reps[2]] = Profile(call_factor=1.4, visit_factor=0.35)            # calls a lot, rarely gets a meeting
    if len(reps) > 3:
        profiles[reps[3]] = Profile(visit_factor=1.3, close_skill=0.25)           # many visits, few deals
    if len(reps) > 5:
        profiles[reps[5]] = Profile(followup_discipline=0.1, plan_discipline=0.5)  # follow-ups slip
    if len(reps) > 6:
        profiles[reps[6]] = Profile(miss_rate=0.25)                                # reports go missing
    if len(reps) > 7:
        team_members[-1]["targets"] = {"phone": 25}
    member_names = {m["id"]: m["name"] for m in team_members}
    half_day = {m["id"] for m in team_members if any(g["id"] == m.get("group") and g["reporting"] == "half-day" for g in groups)}

    # --- configuration --------------------------------------------------------------------
    config = _config(locale, holidays) | {"timezone": CALENDARS[calendar]["timezone"], "currency": CALENDARS[calendar]["currency"]}
    if extra:
        config["extra_working_days"] = [{"date": d, "name": n} for d, n in sorted(extra.items())]
    _write(root / "sitegen.yaml", "# 業務一部的 sitegen 設定。每個欄位的說明見 docs/records.md。\n" + _dump(config))
    _write(root / "records/team.yaml", "# 團隊成員：主管在前，各組業務在後。\n" + _dump({"groups": groups, "members": team_members}))

    # --- customers --------------------------------------------------------------------------
    customers: dict[str, SimCustomer] = {}
    used_ids: set[str] = set()
    for rep in reps:
        for _ in range(customers_per_rep):
            prefix = rng.choice(SHOP_PREFIX)
            kind_name, kind = rng.choice(SHOP_KIND)
            base = f"{_pinyin_slug(prefix)}-{kind}"
            cid, k = base, 2
            while cid in used_ids:
                cid, k = f"{base}-{k}", k + 1
            used_ids.add(cid)
            roll = rng.random()
            status = ("lead" if roll < 0.16 else "prospect" if roll < 0.62 else "customer" if roll < 0.9
                      else "lost" if roll < 0.95 else "dormant")
            stars = None if status == "lead" else rng.choices([1, 2, 3, 4, 5], [2, 3, 4, 3, 2])[0]
            created = start - timedelta(days=rng.randint(5, 400))
            contact_name = rng.choice(SURNAMES)[0] + rng.choice(["先生", "小姐", "老闆", "店長"])
            contact = {"name": contact_name, "role": rng.choice(ROLES), "phone": f"09{rng.randint(10, 89)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}"}
            if status == "lead" and rng.random() < 0.35:
                contact.pop("phone")  # does not meet the lead standard yet
            if rng.random() < 0.5:
                contact["line"] = f"{_pinyin_slug(prefix)}{rng.randint(10, 99)}"
            if rng.random() < 0.3:
                contact["email"] = f"{kind}{rng.randint(1, 99)}@{_pinyin_slug(prefix)}.com.tw"
            c = SimCustomer(cid, prefix + kind_name, rep, status, stars, kind, created, rng.choice(SOURCES), [contact])
            if status in ("customer", "dormant", "lost") or (status == "prospect" and rng.random() < 0.1):
                for _ in range(rng.randint(1, 3) if status != "lost" else 0):
                    product, price = rng.choice(PRODUCTS)
                    deal_day = start - timedelta(days=rng.randint(20, 360 if status != "dormant" else 700))
                    c.deals.append({"date": deal_day, "amount": price * rng.randint(1, 3), "product": product})
                c.deals.sort(key=lambda d: d["date"])
                if status == "prospect":
                    c.status = "customer"
            if c.status in ("prospect", "customer"):
                c.next_contact = start + timedelta(days=rng.randint(0, 12))
            if c.status == "prospect" and c.stars and c.stars >= 3:
                product, price = rng.choice(PRODUCTS[:4])
                c.expected_close = {"date": start + timedelta(days=rng.randint(10, 75)), "value": price * rng.randint(1, 2)}
            customers[cid] = c

    # --- goals and plans --------------------------------------------------------------------
    months = sorted({(d.year, d.month) for d in work_days})
    goals = {}
    for year, month in months:
        goals[(year, month)] = _goal(root, rng, year, month, reps, customers, config)
    _goal_conversations(root, random.Random(seed * 7919 + 4), goals, member_names)
    plans_by_member_week = _plans(root, rng, reps, work_days, customers)
    supervisors = [g["supervisor"] for g in groups]
    month_plans = _supervisor_plans(root, random.Random(seed * 7919 + 2), supervisors, work_days, member_names, groups, team_members)
    moves = random.Random(seed * 7919 + 3)  # rescheduled items: their own stream, so the rest of the team's days stay as they were

    # --- the days ---------------------------------------------------------------------------
    planned: dict[str, list[dict]] = {}
    asked: list[tuple[str, str, date]] = []  # (report id, member, day) of each request for help
    for di, day in enumerate(work_days):
        for rep in reps:
            profile = profiles[rep]
            halves = ["am", "pm"] if rep in half_day else [None]
            if rng.random() < profile.miss_rate:
                planned.pop(rep, None)
                continue
            for half in halves:
                report = _simulate_report(rng, rep, day, half, profile, customers, planned, plans_by_member_week,
                                          goals.get((day.year, day.month)), config, cal, di == len(work_days) - 1, moves,
                                          month_plans.get((rep, day.year, day.month)))
                suffix = f"-{half}" if half else ""
                name = f"records/reports/{day.year:04d}/{day.month:02d}/{day.isoformat()}-{rep}{suffix}.md"
                _write(root / name, report)
                if "\nhelp: " in report:
                    asked.append((f"{day.isoformat()}-{rep}{suffix}", rep, day))
            if day.weekday() == 4:
                _write(root / f"records/reports/{day.year:04d}/{day.month:02d}/{day.isoformat()}-{rep}-weekly.md",
                       _weekly_report(rng, rep, day))
        if day.weekday() == 4:
            _reviews(root, rng, day, groups, team_members, member_names, di)
        next_day = work_days[di + 1] if di + 1 < len(work_days) else None
        if next_day is None or next_day.month != day.month:
            for rep in reps:
                _write(root / f"records/reports/{day.year:04d}/{day.month:02d}/{day.isoformat()}-{rep}-monthly.md",
                       _monthly_report(rng, rep, day))
    _coaching(root, rng, work_days, groups, reps, profiles, manager[1])
    for plan in plans_by_member_week.values():  # plans adjusted after they were agreed: written again with their revisions
        if plan.get("revisions"):
            items = [{k: v for k, v in item.items() if k != "moved_to"} for item in plan["items"]]  # the simulation's note, not the plan's
            _write(root / f"records/plans/{plan['start'].year}/{plan['id']}.yaml",
                   _dump({k: v for k, v in plan.items() if k != "id"} | {"items": items}))
    _answer_help(root, random.Random(seed * 7919 + 1), asked, team_members, work_days)

    # --- customers are written last, with everything the days changed ----------------------
    for c in customers.values():
        record: dict = {"name": c.name, "owner": c.owner, "status": c.status}
        if c.stars:
            record["stars"] = c.stars
        record.update({"source": c.source, "industry": INDUSTRY[c.kind], "created": c.created})
        if c.status in ("lost", "dormant"):  # when it was lost or went quiet: spread over the last months, after its last deal
            last_deal = max((d["date"] for d in c.deals), default=c.created)
            record["status_since"] = min(end, max(last_deal + timedelta(days=45), start - timedelta(days=sum(map(ord, c.id)) % 75)))
        if c.status == "prospect" and c.expected_close:
            record["expected_close"] = c.expected_close
        if c.deals:
            record["deals"] = c.deals
        record["contacts"] = c.contacts
        if c.status == "lost":
            record["notes"] = "已向競爭對手採購，半年後再評估回購機會。"
        _write(root / f"records/customers/{c.id}.yaml", _dump(record))
    if locale == "zh-Hans":
        _simplify_tree(root)


def _simplify_tree(root: Path) -> None:
    """Rewrite every file written in Simplified characters (character by character, with the table
    the site's search folds with: OpenCC's, shipped in the package)."""
    from .resources import builtin_templates

    text = (builtin_templates() / "static" / "hanfold.js").read_text(encoding="utf-8")
    pairs = text[text.index('"') + 1: text.rindex('"')]
    table = str.maketrans({pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)})
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".md"):
            path.write_text(path.read_text(encoding="utf-8").translate(table), encoding="utf-8")


def _pinyin_slug(prefix: str) -> str:
    table = {"王記": "wangji", "大安": "daan", "永和": "yonghe", "信義": "xinyi", "小巷": "xiaoxiang", "晨光": "chenguang",
             "老街": "laojie", "阿里山": "alishan", "福氣": "fuqi", "好日子": "haorizi", "青田": "qingtian", "南港": "nangang",
             "士林": "shilin", "板橋": "banqiao", "三重": "sanchong", "新莊": "xinzhuang", "北投": "beitou", "東區": "dongqu",
             "天母": "tianmu", "中和": "zhonghe", "古亭": "guting", "民生": "minsheng", "圓山": "yuanshan", "松山": "songshan",
             "景美": "jingmei", "木柵": "muzha", "內湖": "neihu", "南京": "nanjing", "忠孝": "zhongxiao", "仁愛": "renai",
             "和平": "heping", "光復": "guangfu", "敦化": "dunhua", "復興": "fuxing", "長春": "changchun", "建國": "jianguo",
             "承德": "chengde", "重慶": "chongqing", "延平": "yanping", "迪化": "dihua"}
    return table[prefix]


def _config(locale: str, holidays: dict[date, str]) -> dict:
    return {
        "title": "業務一部 銷售儀表板",
        "locale": locale,
        "locales": [x for x in ("zh-Hant", "zh-Hans", "en") if x != locale],
        "timezone": "Asia/Taipei",
        "currency": "TWD",
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
        "holidays": [{"date": d, "name": n} for d, n in sorted(holidays.items())],
        "goal_period": "month",
        "plan_cadence": {"rep": "week", "supervisor": "month"},  # 週計劃日管控, 月計劃週管控
        "reports": {"periodic": {"rep": ["weekly", "monthly"], "supervisor": ["weekly", "monthly"]}},
        "channels": [
            {"id": "phone", "name": "電話", "daily_target": 20, "funnel": "contact"},
            {"id": "line", "name": "LINE", "daily_target": 15, "funnel": "contact"},
            {"id": "visit", "name": "面談", "daily_target": 3, "funnel": "meeting"},
            {"id": "store", "name": "入店", "daily_target": 2, "funnel": "meeting"},
            {"id": "flyer", "name": "傳單", "daily_target": 30, "funnel": "other"},
            {"id": "event", "name": "活動", "daily_target": 0, "funnel": "meeting"},
        ],
        "lead_standard": {
            "description": "有店名、負責業務、來源，以及至少一位聯絡人的姓名和電話，才算一筆客戶原始資料。",
            "required": ["name", "owner", "source", "contact.name", "contact.phone"],
        },
        "stars": {
            "unclosed": [
                {"stars": 5, "label": "本月成交", "description": "已確認需求、預算與決策者，報價已送出，預計 30 天內簽約。",
                 "contact_every_days": 5, "criteria": {"expected_close_within_days": 30, "min_touchpoints": 2, "within_days": 30}},
                {"stars": 4, "label": "積極洽談", "description": "已做過示範或提案，客戶有明確採購時程（60 天內）。",
                 "contact_every_days": 7, "criteria": {"expected_close_within_days": 60, "min_touchpoints": 1, "within_days": 30}},
                {"stars": 3, "label": "有興趣", "description": "有需求、願意見面，但預算或時程未定。", "contact_every_days": 14},
                {"stars": 2, "label": "初步接觸", "description": "接觸過一次以上，對產品有基本了解。", "contact_every_days": 30},
                {"stars": 1, "label": "潛在名單", "description": "符合目標客群，尚未有實質對話。", "contact_every_days": 60},
            ],
            "closed": [
                {"stars": 5, "label": "重點客戶", "description": "一年內採購 30 萬以上，或擁有三家以上門市。",
                 "contact_every_days": 14, "criteria": {"min_deal_total": 300000}},
                {"stars": 4, "label": "穩定回購", "description": "一年內有兩次以上採購或簽有保養年約。", "contact_every_days": 21,
                 "criteria": {"max_days_since_deal": 365}},
                {"stars": 3, "label": "一般客戶", "description": "一年內有採購。", "contact_every_days": 30},
                {"stars": 2, "label": "久未採購", "description": "一年以上未採購，但仍有聯繫。", "contact_every_days": 60},
                {"stars": 1, "label": "單次客戶", "description": "僅採購過一次小額商品。", "contact_every_days": 90},
            ],
        },
        "capabilities": [
            {"id": "invitation", "name": "邀約能力", "description": "把電話和 LINE 的接觸轉成見面與示範。", "signals": ["low_meeting_rate"]},
            {"id": "closing", "name": "促成能力", "description": "把示範和提案轉成訂單。", "signals": ["low_proposal_rate", "low_close_rate"]},
            {"id": "planning", "name": "計劃與時間管理", "description": "按時跟進客戶，照計劃做事。",
             "signals": ["overdue_followups", "top_customer_lapsed", "unclosed_churn", "low_plan_adherence", "low_activity"]},
            {"id": "reporting", "name": "報告紀律", "description": "每個工作日準時交報告。", "signals": ["missed_reports", "late_reports"]},
            {"id": "customer-judgement", "name": "客戶判斷", "description": "依團隊標準評定星級，經營好已成交客戶。",
             "signals": ["star_contradictions", "closed_churn"]},
        ],
        "forecast_weights": [0.05, 0.15, 0.3, 0.6, 0.85],
        "pipeline_coverage_floor": 1.0,
        "privacy": {"personal_fields": ["phone", "email", "wechat", "line"], "mode": "mask"},
    }


def _goal(root: Path, rng: random.Random, year: int, month: int, reps: list[str], customers: dict[str, SimCustomer], config: dict) -> dict:
    period = period_containing(date(year, month, 1), "month")
    shares: list[dict] = []
    for i, rep in enumerate(reps):
        must = rng.choice([260000, 280000, 300000, 320000, 350000])
        own = [c.id for c in customers.values() if c.owner == rep and c.status == "prospect" and (c.stars or 0) >= 3][:4]
        basis = ["history", "self-declared", "customers"][i % 3]
        shares.append({"member": rep, "must": must, "challenge": int(must * 1.2), "basis": basis, "customers": own})
    team_must = int(sum(s["must"] for s in shares) * 0.93 / 10000) * 10000
    stages: list[dict] = []
    weights = [0.3, 0.33, 0.37]
    for (name, first, last), w in zip(default_stages(period, "ten-day"), weights, strict=True):
        stages.append({"name": name, "start": first, "end": last, "target": int(team_must * w / 1000) * 1000})
    stages[-1]["target"] = team_must - sum(s["target"] for s in stages[:-1])
    event_day = date(year, month, 20)
    goal = {
        "kind": "goal", "period": period.key, "metric": "revenue", "must": team_must, "challenge": int(team_must * 1.2),
        "note": f"{month} 月目標：以既有 4、5 星客戶為主，搭配說明會帶動新客戶。",
        "measures": [
            {"what": "月中說明會邀約 40 家店家，現場提供早鳥價", "owner": reps[0], "due": event_day, "status": "done" if month < 11 else "in-progress"},
            {"what": "保養到期客戶全數回訪，推升級方案", "owner": reps[1 % len(reps)], "due": date(year, month, 25), "status": "planned"},
            {"what": "主管陪同拜訪所有 5 星未成交客戶", "due": date(year, month, 15), "status": "done" if month < 11 else "in-progress"},
        ],
        "members": shares,
        "stages": stages,
        "events": [{
            "id": f"{period.key}-seminar", "name": f"{month} 月商用咖啡機新品說明會", "date": event_day,
            "invitations": 40, "attendance": 20, "deals": 5, "amount": 300000,
            "members": [{"member": rep, "invitations": -(-40 // len(reps)), "attendance": -(-20 // len(reps)),
                         "deals": -(-5 // len(reps)), "amount": -(-300 // len(reps)) * 1000} for rep in reps],
        }],
    }
    _write(root / f"records/plans/{period.key}-team-goal.yaml", f"# {year} 年 {month} 月 團隊目標與分解\n" + _dump(goal))
    return goal


def _goal_conversations(root: Path, rng: random.Random, goals: dict, names: dict[str, str]) -> None:
    """Each member first gives a figure, then agrees a share with the manager (先自己報，再調整): the
    declared figure, the day agreed and a line of notes, from their own random stream."""
    for (year, month), goal in goals.items():
        first = date(year, month, 1)
        for share in goal["members"]:
            share["declared"] = share["must"] - rng.choice([0, 20000, 30000, 50000, -10000])
            if rng.random() < 0.9:  # one conversation in ten not yet held: shown as missing
                share["agreed_on"] = first - timedelta(days=rng.randint(1, 4))
                change = share["must"] - share["declared"]
                share["note"] = (f"{names[share['member']]}自報 {share['declared']:,}；" +
                                 ("依上期實績與手上 4、5 星客戶，調高 " + f"{change:,}" if change > 0 else "維持自報數字" if change == 0
                                  else "考量新客戶開發期，調低 " + f"{-change:,}") + "。")
        _write(root / f"records/plans/{goal['period']}-team-goal.yaml", f"# {year} 年 {month} 月 團隊目標與分解\n" + _dump(goal))


def _supervisor_plans(root: Path, rng: random.Random, supervisors: list[str], work_days: list[date],
                      names: dict[str, str], groups: list[dict], members: list[dict]) -> dict:
    """A month plan per supervisor ("monthly plan, weekly control"): check the group's plans each week,
    visit with the reps. The last supervisor has not written this month's yet (a planted finding)."""
    found: dict = {}
    for index, supervisor in enumerate(supervisors):
        group = next(g["id"] for g in groups if g["supervisor"] == supervisor)
        people = [m["id"] for m in members if m.get("group") == group and m["id"] != supervisor]
        months = sorted({(d.year, d.month) for d in work_days})
        for year, month in months[:-1] if index == len(supervisors) - 1 and len(supervisors) > 1 else months:
            period = period_containing(date(year, month, 1), "month")
            days = [d for d in work_days if period.start <= d <= period.end]
            fridays = [d for d in days if d.weekday() == 4][:4]
            items = [{"id": f"w{n + 1}", "what": f"週會檢查組員週計劃（第 {n + 1} 週）", "due": friday} for n, friday in enumerate(fridays)]
            items += [{"id": f"v{n + 1}", "what": f"陪同{names[rep]}拜訪重點客戶", "due": rng.choice(days)}
                      for n, rep in enumerate(rng.sample(people, min(2, len(people))))]
            plan = {"kind": "plan", "member": supervisor, "period": "month", "start": period.start, "end": period.end,
                    "targets": [{"what": "組員週計劃齊全", "value": len(people)}], "items": items}
            _write(root / f"records/plans/{year}/{period.key}-{supervisor}-month.yaml", _dump(plan))
            found[(supervisor, year, month)] = {"id": f"{period.key}-{supervisor}-month", **plan}
    return found


def _plans(root: Path, rng: random.Random, reps: list[str], work_days: list[date], customers: dict[str, SimCustomer]) -> dict:
    """A weekly plan per member ("weekly plan, daily control"); items fall due on working days."""
    by_week: dict[tuple[str, date], dict] = {}
    weeks = sorted({d - timedelta(days=d.weekday()) for d in work_days})
    for rep in reps:
        own = [c for c in customers.values() if c.owner == rep and c.status in ("prospect", "customer")]
        for monday in weeks:
            days = [d for d in work_days if monday <= d <= monday + timedelta(days=6)]
            if not days:
                continue
            items = []
            for n, target in enumerate(rng.sample(own, min(len(own), 4))):
                verb = rng.choice(["到店示範", "送交報價", "提案 POS 整合", "回訪保養", "確認簽約"])
                items.append({"id": f"i{n + 1}", "what": f"{target.name}{verb}", "due": rng.choice(days),
                              "customer": target.id, "expected": rng.choice(["取得報價確認", "約定示範時間", "簽約", "確認需求與預算"])})
            plan_id = f"{monday.isoformat()}-{rep}-week"
            plan = {"kind": "plan", "member": rep, "period": "week", "start": monday, "end": monday + timedelta(days=6),
                    "targets": [{"what": "面談", "value": 12, "measure": "meetings"}, {"what": "成交金額", "value": 80000, "measure": "revenue"}], "items": items}
            _write(root / f"records/plans/{monday.year}/{plan_id}.yaml", _dump(plan))
            by_week[(rep, monday)] = {"id": plan_id, **plan}
    return by_week


def _simulate_report(rng, rep, day, half, profile, customers, planned, plans_by_week, goal, config, cal, last_day, moves,
                     month_plan=None) -> str:
    share = 0.5 if half else 1.0
    targets = {c["id"]: c["daily_target"] for c in config["channels"]}
    activity = {
        "phone": max(0, round(targets["phone"] * share * profile.call_factor * rng.uniform(0.6, 1.25))),
        "line": max(0, round(targets["line"] * share * rng.uniform(0.5, 1.3))),
        "visit": max(0, round(targets["visit"] * share * profile.visit_factor * rng.uniform(0.3, 1.4))),
        "store": max(0, round(targets["store"] * share * profile.visit_factor * rng.uniform(0.0, 1.5))),
    }
    if rng.random() < 0.25:
        activity["flyer"] = rng.choice([20, 30, 40, 50])
    own = [c for c in customers.values() if c.owner == rep and c.status in ("prospect", "customer", "lead")]
    due = [c for c in own if c.next_contact and c.next_contact <= day and rng.random() < profile.followup_discipline]
    todays = planned.pop(rep, []) if half != "pm" else []
    chosen: list[SimCustomer] = [customers[p["customer"]] for p in todays
                                 if p.get("customer") in customers and rng.random() < profile.followup_discipline]
    for c in due:
        if c not in chosen:
            chosen.append(c)
    # an undisciplined rep's unplanned calls avoid the follow-ups falling due: the awkward ones
    soon = day + timedelta(days=3)
    pool = own if rng.random() < profile.followup_discipline else [c for c in own if not (c.next_contact and c.next_contact <= soon)]
    extra = rng.sample(pool, min(len(pool), rng.randint(0, 2)))
    chosen += [c for c in extra if c not in chosen]
    chosen = chosen[: max(2, int(5 * share) + 1)]
    touchpoints, deals = [], []
    for c in chosen:
        channel = rng.choices(["phone", "visit", "line", "store"], [4, 3 * profile.visit_factor, 3, 1 * profile.visit_factor])[0]
        mood = rng.choices(["good", "neutral", "bad"], [4 + (c.stars or 1), 4, 2])[0]
        touch = {"customer": c.id, "channel": channel, "with": c.contacts[0]["name"],
                 "purpose": rng.choice(PURPOSES[channel]), "result": rng.choice(RESULTS[mood]),
                 "effect": {"good": rng.choice([4, 5]), "neutral": 3, "bad": rng.choice([1, 2])}[mood]}
        if channel == "visit" and mood != "bad" and rng.random() < 0.45:
            touch["proposal"] = True
        c.touch_count += 1
        gap = {5: 4, 4: 6, 3: 10, 2: 20, 1: 40}.get(c.stars or 2, 14)
        if not last_day or rng.random() < 0.7:
            c.next_contact = cal_add(cal, day, rng.randint(max(1, gap // 2), gap))
            touch["next_contact"] = c.next_contact
        touchpoints.append(touch)
        if c.status == "lead" and mood == "good":
            c.status, c.stars = "prospect", rng.choice([2, 3])
        elif c.status == "prospect" and (c.stars or 0) >= 4 and mood == "good" and channel in ("visit", "store") \
                and rng.random() < 0.5 * profile.close_skill:
            product, price = rng.choice(PRODUCTS)
            amount = (c.expected_close or {}).get("value") or price * rng.randint(1, 2)
            deals.append({"customer": c.id, "amount": amount, "product": product})
            c.status, c.stars, c.expected_close = "customer", rng.choice([3, 4]), None
        elif c.status == "prospect" and mood == "good" and (c.stars or 0) < 5 and rng.random() < 0.15:
            c.stars = (c.stars or 1) + 1
            if c.stars >= 3 and not c.expected_close:
                product, price = rng.choice(PRODUCTS[:4])
                c.expected_close = {"date": cal_add(cal, day, rng.randint(10, 50)), "value": price * rng.randint(1, 2)}
        elif c.status == "customer" and mood == "good" and rng.random() < 0.08 * profile.close_skill:
            product, price = rng.choice(PRODUCTS[4:])
            deals.append({"customer": c.id, "amount": price, "product": product})
    for channel in {t["channel"] for t in touchpoints}:  # each touchpoint is one of the day's contacts on its channel
        activity[channel] = max(activity[channel], sum(1 for t in touchpoints if t["channel"] == channel))
    progress = []
    monday = day - timedelta(days=day.weekday())
    plan = plans_by_week.get((rep, monday))
    if plan and half != "am":
        for item in plan["items"]:
            if item["due"] == day:
                if rng.random() < profile.plan_discipline:
                    progress.append({"plan": plan["id"], "item": item["id"], "status": "done"})
                else:
                    status = rng.choice(["partial", "not-done"])
                    reason = rng.choice(NOT_DONE_REASONS)
                    later = day + timedelta(days=1)
                    if later <= plan["end"] and later.weekday() < 5 and moves.random() < 0.4:  # moved to the next day (計劃調整)
                        progress.append({"plan": plan["id"], "item": item["id"], "status": "rescheduled", "new_due": later, "reason": reason})
                        item["moved_to"] = later
                        plan.setdefault("revisions", []).append({"date": day, "change": f"「{item['what']}」改到 {later.isoformat()}", "reason": reason})
                    else:
                        progress.append({"plan": plan["id"], "item": item["id"], "status": status, "reason": reason})
            elif item.get("moved_to") == day:
                done = moves.random() < profile.plan_discipline
                progress.append({"plan": plan["id"], "item": item["id"], "status": "done" if done else "not-done",
                                 **({} if done else {"reason": moves.choice(NOT_DONE_REASONS)})})
    for item in month_plan["items"] if month_plan and half != "am" else ():  # a supervisor's month plan
        if item["due"] == day:
            done = moves.random() < 0.85
            progress.append({"plan": month_plan["id"], "item": item["id"], "status": "done" if done else "partial",
                             **({} if done else {"reason": moves.choice(NOT_DONE_REASONS)})})
    events = []
    if goal and half != "am":
        event = goal["events"][0]
        if event["date"] - timedelta(days=14) <= day < event["date"] and rng.random() < 0.3:
            events.append({"event": event["id"], "invited": rng.randint(1, 3)})
        elif day == event["date"] or (event["date"] < day <= event["date"] + timedelta(days=1) and rng.random() < 0.5):
            events.append({"event": event["id"], "attended": rng.randint(1, 4), "deals": 1 if deals else 0,
                           "amount": sum(d["amount"] for d in deals)})
    tomorrow = []
    if half != "am":
        open_customers = sorted((c for c in customers.values() if c.owner == rep and c.status in ("prospect", "customer")),
                                key=lambda c: (c.next_contact or date.max, c.id))
        if rng.random() < profile.followup_discipline:
            candidates = open_customers[:3]  # the disciplined plan the most overdue follow-ups first
        else:
            candidates = rng.sample(open_customers, min(3, len(open_customers)))
        for c in candidates:
            channel = rng.choice(["phone", "visit", "line"])
            tomorrow.append({"customer": c.id, "channel": channel, "purpose": rng.choice(PURPOSES[channel])})
        planned[rep] = tomorrow
    front: dict = {"member": rep, "date": day}
    if half:
        front["half"] = half
    front["activity"] = activity
    front["touchpoints"] = touchpoints
    if deals:
        front["deals"] = deals
    if progress:
        front["progress"] = progress
    if tomorrow:
        front["tomorrow"] = tomorrow
    if events:
        front["events"] = events
    problem = rng.choice(PROBLEMS)
    if problem:
        front["help"] = problem
    label = {"am": "上午", "pm": "下午", None: "今日"}[half]
    body = [f"## {label}總結", "",
            f"共聯絡 {len(touchpoints)} 位客戶，電話 {activity['phone']} 通、面談 {activity['visit']} 次。"
            + (f"成交 {len(deals)} 筆，合計 NT${sum(d['amount'] for d in deals):,}。" if deals else ""), "",
            "## 心得", "", rng.choice(LESSONS), ""]
    if problem:
        body += ["## 問題與需要的協助", "", problem, ""]
    return "---\n" + _dump(front) + "---\n\n" + "\n".join(body)


def _answer_help(root: Path, rng: random.Random, asked: list[tuple[str, str, date]], team_members: list[dict],
                 work_days: list[date]) -> None:
    """Supervisors answer most of their reps' requests for help in one of their next two reports
    (a request whose supervisor files no report then stays open, as some do). A random source of
    its own: the rest of the team is generated exactly as before."""
    reports_to = {m["id"]: m.get("reports_to") for m in team_members}
    for rid, rep, day in asked:
        boss = reports_to.get(rep)
        if not boss or rng.random() < 0.25:
            continue
        later = [d for d in work_days if d > day][:2]
        for answer_day in later[rng.randrange(len(later)):] if later else []:
            candidates = [root / f"records/reports/{answer_day.year:04d}/{answer_day.month:02d}/{answer_day.isoformat()}-{boss}{s}.md"
                          for s in ("", "-am", "-pm")]
            path = next((c for c in candidates if c.exists()), None)
            if path is None:
                continue
            text = path.read_text(encoding="utf-8")
            end = text.index("\n---\n", 4)
            block = ("answers:\n" if "\nanswers:\n" not in text[:end] else "") + \
                f"  - report: {rid}\n    answer: {json.dumps(rng.choice(ANSWERS), ensure_ascii=False)}"
            path.write_text(text[:end] + "\n" + block + text[end:], encoding="utf-8")
            break


def cal_add(cal: WorkCalendar, day: date, working_days: int) -> date:
    for _ in range(working_days):
        day += timedelta(days=1)
        while not cal.is_working_day(day):
            day += timedelta(days=1)
    return day


def _weekly_report(rng: random.Random, rep: str, day: date) -> str:
    front = {"kind": "weekly", "member": rep, "date": day}
    body = ["## 本週重點", "", rng.choice(LESSONS), "", "## 下週計劃", "",
            "- 追蹤本週送出的報價", "- 安排兩場到店示範", "- 回訪保養即將到期的客戶", ""]
    return "---\n" + _dump(front) + "---\n\n" + "\n".join(body)


def _monthly_report(rng: random.Random, rep: str, day: date) -> str:
    front = {"kind": "monthly", "member": rep, "date": day}
    body = [f"## {day.month} 月回顧", "", "本月目標達成情況與主要成交客戶整理如下，詳見目標頁。", "",
            "## 檢討", "", rng.choice(LESSONS), "", "## 下月重點", "", "- 提早布局 5 星客戶的簽約時程", ""]
    return "---\n" + _dump(front) + "---\n\n" + "\n".join(body)


def _reviews(root, rng, day, groups, team_members, member_names, week_index) -> None:
    """Supervisors check their reps' reports every other Friday, with spot checks in between."""
    for group in groups:
        reps = [m["id"] for m in team_members if m.get("group") == group["id"] and m["role"] == "rep"]
        for rep in reps:
            periodic = (week_index // 5) % 2 == 0
            if not periodic and rng.random() > 0.3:
                continue
            review = {"kind": "review", "member": rep, "reviewer": group["supervisor"], "date": day,
                      "type": "periodic" if periodic else "spot",
                      "findings": rng.sample(["日報內容完整，接觸目的清楚", "有 2 位客戶的下次聯絡日已過期",
                                              "計劃項目未完成時有寫明原因", "面談次數低於目標", "5 星客戶報價後未追蹤"], 2),
                      "feedback": rng.choice(["下週起每天早上先排定跟進名單。", "繼續保持，可以分享給組內同事。",
                                              "報價送出後 3 天內一定要回訪。", "面談前先用 LINE 傳案例，提高邀約成功率。"])}
            _write(root / f"records/reports/{day.year:04d}/{day.month:02d}/{day.isoformat()}-{rep}-review.md",
                   "---\n" + _dump(review) + "---\n\n" + f"{member_names[group['supervisor']]}對{member_names[rep]}本期工作的檢查紀錄。\n")


def _coaching(root, rng, work_days, groups, reps, profiles, manager) -> None:
    mid = work_days[len(work_days) // 2]
    _write(root / f"records/reports/{mid.year:04d}/{mid.month:02d}/{mid.isoformat()}-group-training.md",
           "---\n" + _dump({"kind": "coaching", "coach": manager, "members": reps, "date": mid, "format": "group",
                            "capabilities": ["invitation"], "agreed_actions": ["每人準備三段邀約話術", "下週起電話後 24 小時內傳 LINE 案例"],
                            "follow_up": cal_add(WorkCalendar(["mon", "tue", "wed", "thu", "fri"], set()), mid, 10)})
           + "---\n\n## 團體訓練：邀約話術\n\n以角色扮演練習電話邀約，重點是先問出店內出杯量。\n")
    for rep, capability in ((reps[min(3, len(reps) - 1)], "closing"), (reps[min(5, len(reps) - 1)], "planning")):
        day = work_days[len(work_days) // 3]
        supervisor = next((g["supervisor"] for g in groups if rep != g["supervisor"]), manager)
        _write(root / f"records/reports/{day.year:04d}/{day.month:02d}/{day.isoformat()}-{rep}-coaching.md",
               "---\n" + _dump({"kind": "coaching", "coach": supervisor, "members": [rep], "date": day, "format": "one-to-one",
                                "capabilities": [capability], "agreed_actions": ["每次示範後當場提出成交條件", "每週五檢查下週跟進名單"],
                                "follow_up": cal_add(WorkCalendar(["mon", "tue", "wed", "thu", "fri"], set()), day, 10)})
               + "---\n\n一對一輔導紀錄：回顧最近三次示範，找出客戶猶豫的原因。\n")
