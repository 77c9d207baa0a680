"""Regenerate sitegen/templates/locales/*.po from the messages used in templates and sitegen/views/*.py.

zh-Hant is written here by hand; zh-Hans is derived from it with OpenCC's Traditional→Simplified
conversion (a development tool: `pip install opencc-python-reimplemented`), then reviewed.
Run: python tools/update_translations.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.i18n_keys import DYNAMIC_MESSAGES  # noqa: E402

ZH_HANT = {
    "Activity": "活動量", "Activity against target": "活動量與目標", "Actual": "實際",
    "Actual plus the weighted pipeline expected to close this period": "實際加上本期預計成交客戶的加權金額",
    "Adherence": "計劃達成率", "After": "之後", "Agreed actions": "約定的行動", "All": "全部", "All plans": "所有計劃",
    "Amount": "金額", "As of": "資料日期", "Attendance": "出席", "Basis": "分解依據", "Before": "之前",
    "Behind pace by": "落後進度",
    "Built by sitegen from the team's records.": "由 sitegen 依團隊紀錄產生。", "Burn-up": "累計達成圖",
    "Capabilities": "能力", "Capability": "能力", "Capability signals": "能力訊號", "Challenge": "挑戰目標",
    "Challenge pace": "挑戰目標進度", "Channel": "管道", "Channels and daily targets": "接觸管道與每日目標",
    "Checked criteria": "檢查條件", "Churn risk": "脫落風險", "Closed": "已成交", "Closed customers": "已成交客戶",
    "Closed, by star": "已成交（依星級）", "Coach": "輔導者", "Coaching": "輔導", "Coaching given": "已進行的輔導",
    "Coaching received": "接受的輔導", "Contact at least every": "至少每隔多久接觸", "Contact people": "聯絡人",
    "Contacts": "接觸", "Count": "數量", "Coverage": "覆蓋率", "Created": "建立日期", "Customer": "客戶",
    "Customer counts": "客戶數量", "Customer list": "客戶名單", "Customers": "客戶", "Customers behind the share": "支撐目標的客戶",
    "Daily activity against target": "每日活動量與目標", "Daily meeting": "每日會議", "Daily meetings": "每日會議",
    "Daily target": "每日目標", "Date": "日期", "Dates": "日期", "Days below target": "低於目標的天數", "Deals": "成交",
    "Definition": "定義", "Does not meet the lead standard; missing:": "不符合原始資料標準，缺少：", "Done on time": "準時完成",
    "Due": "期限", "Each cell is one working day: contacts made on channels with a target, as a share of the target. Red is below target.":
        "每一格是一個工作日：有目標的管道實際接觸數占目標的比例。紅色表示低於目標。",
    "Effect": "效果", "Email": "電子郵件", "Everyone has reported.": "全員都已交報告。", "Evidence": "依據", "Expected": "應交",
    "Expected outcome": "預期成果", "Expected to close": "預計成交", "Expected to close this period": "本期預計成交",
    "Fail standard": "不符標準", "Feedback": "回饋", "Field": "欄位", "File": "檔案", "Findings": "發現", "Follow-up": "追蹤日期",
    "Forecast": "預測", "Funnel": "漏斗", "Funnel step": "漏斗階段", "Goal": "目標", "Goal progress": "目標進度",
    "Goal share": "目標分配", "Goals": "目標", "Hint": "提示", "Improved": "是否改善", "Industry": "產業", "Invitations": "邀約",
    "Item": "項目", "Label": "名稱", "Language": "語言", "Last contact": "最近接觸", "Late": "遲交",
    "Lateness is judged by the time a report's file was first committed to git; reports added in bulk commits are not judged.":
        "遲交以報告檔案第一次提交到 git 的時間判斷；大量一次提交的報告不列入判斷。",
    "Line": "行", "Measure": "措施", "Measures": "措施", "Meet standard": "符合標準", "Meetings": "面談", "Member": "成員",
    "Members": "成員", "Members and capabilities": "成員與能力", "Missed or late items, with reasons": "未完成或延誤的項目與原因",
    "Missing": "缺交", "Missing on": "缺交日期", "Must-achieve": "必達目標", "Must-achieve pace": "必達目標進度", "Name": "姓名",
    "Next contact": "下次接觸", "No goals yet.": "尚未設定目標。", "No problems.": "沒有問題。", "No signals.": "沒有訊號。",
    "No stages set for this goal.": "此目標尚未分階段。",
    "No supplementary measures: the method asks for them to secure the must-achieve goal.": "沒有補充措施：應準備補充措施以確保必達目標。",
    "No touchpoints yet.": "尚無接觸紀錄。", "No working day yet in this period.": "本期尚無工作日。", "None.": "無。",
    "Not reported": "未交報告", "Not yet closed": "未成交", "Not yet closed, by star": "未成交（依星級）",
    "Not-yet-closed customers": "未成交客戶", "Notes": "備註", "On pace": "符合進度", "Others": "其他", "Outcome targets": "成果目標",
    "Overdue follow-ups": "逾期未跟進", "Overview": "總覽", "Owner": "負責人", "Pace": "應有進度", "Per member and channel": "依成員與管道",
    "Period": "期間", "Phone": "電話", "Pipeline this period": "本期預計成交", "Plan": "計劃", "Plan adherence": "計劃達成率",
    "Plan against actual": "計劃與實際", "Plan progress": "計劃進度", "Plans": "計劃", "Previous period": "上一期", "Problem": "問題",
    "Problems": "問題", "Problems and help needed": "問題與需要的協助", "Product": "產品", "Progress": "進度", "Proposals": "提案",
    "Purpose": "目的", "Rate": "比率", "Raw lead standard": "客戶原始資料標準", "Raw leads": "原始資料", "Reason": "原因",
    "Records": "紀錄", "Report compliance": "報告繳交", "Reported": "回報", "Reports": "報告", "Reports to": "直屬主管",
    "Required fields": "必填欄位", "Result": "結果", "Revenue": "營業額", "Review": "檢查", "Reviewer": "檢查者", "Reviews": "檢查紀錄",
    "Role": "職務", "Sales events": "銷售活動", "Sections": "章節", "Share of target": "目標達成比例", "Signal": "訊號",
    "Source": "來源", "Stage": "階段", "Stages": "階段", "Standards": "客戶標準", "Star contradictions": "星級矛盾",
    "Star distribution": "星級分布", "Stars": "星級", "Status": "狀態", "Submitted": "已交", "Suggested group training": "建議團體訓練",
    "Contact at least every (days)": "至少每幾天聯繫一次", "Days overdue": "逾期天數", "Start": "開始", "End": "結束",
    "Judged for lateness": "可判斷遲交", "Lead standard": "原始資料標準", "Reports expected": "應交報告", "Working days": "工作日",
    "by stage targets": "依階段目標", "by working days": "依工作日",
    "Sum of shares": "分配合計", "Supplementary measures": "補充措施", "Target": "目標", "Team": "團隊",
    "Team activity against target": "團隊活動量與目標", "The capability model": "能力模型",
    "The declared stars contradict the criteria:": "星級與標準矛盾：", "Today's action": "今日行動", "Tomorrow's plan": "明日計劃",
    "Total": "合計", "Touchpoints": "接觸點", "Type": "類型", "Value": "金額", "With": "對象", "below lead standard": "不符原始資料標準",
    "churn risk": "脫落風險", "closed": "已成交", "coached": "已輔導", "days": "天", "improved": "已改善", "no": "否",
    "not improved yet": "尚未改善", "not yet closed": "未成交", "of must-achieve": "必達目標達成", "overdue": "逾期",
    "report": "報告", "reports in": "份報告已交", "warnings": "個警告", "working days": "個工作日", "yes": "是",
    # values shown through _()
    "lead": "原始資料", "prospect": "未成交", "customer": "已成交", "lost": "流失", "dormant": "休眠",
    "done": "完成", "done-late": "延後完成", "partial": "部分完成", "not-done": "未完成", "open": "進行中",
    "planned": "已規劃", "in-progress": "進行中", "dropped": "取消",
    "day": "日計劃", "week": "週計劃", "month": "月計劃", "quarter": "季計劃", "year": "年計劃",
    "daily": "日報", "weekly": "週報", "monthly": "月報", "quarterly": "季報", "half-yearly": "半年報", "yearly": "年報", "am": "上午", "pm": "下午",
    "rep": "業務", "supervisor": "主管", "manager": "經理", "periodic": "定期檢查", "spot": "抽查",
    "one-to-one": "一對一輔導", "group": "團體訓練", "history": "歷史數據", "customers": "客戶資源", "self-declared": "自行申報", "equal-split": "平均分配",
    "contact": "接觸", "meeting": "面談", "other": "其他",
    "expected_close_within_days": "預計成交日在幾天內", "min_expected_value": "預計成交金額至少", "min_touchpoints": "接觸次數至少",
    "min_deal_total": "一年內成交金額至少", "max_days_since_deal": "距上次成交最多天數",
    "low_meeting_rate": "接觸轉面談率低", "low_proposal_rate": "面談轉提案率低", "low_close_rate": "面談轉成交率低",
    "low_activity": "活動量低於目標", "overdue_followups": "逾期未跟進多", "missed_reports": "缺交報告",
    "late_reports": "報告遲交", "low_plan_adherence": "計劃達成率低", "star_contradictions": "星級評定矛盾",
    "closed_churn": "已成交客戶脫落風險", "unclosed_churn": "未成交客戶脫落風險", "top_customer_lapsed": "五星客戶久未聯繫",
    "Activity this period": "本期活動量", "Events that fell short": "未達標的活動", "of target": "達成目標",
    "Supplementary measures past their due date": "已過期限的補充措施", "Well below the team's activity": "活動量遠低於團隊",
    "no one": "無",
    "Funnel this period": "本期漏斗",
    "Meetings per contact (invitation success)": "每次接觸的面談率（邀約成功率）", "Proposals per meeting": "每次面談的提案率",
    "Deals per meeting": "每次面談的成交率",
    "Contacts and meetings are the activity counted on the channels whose funnel step says so (see Standards); proposals are touchpoints marked as one; deals are deals reported.":
        "接觸與面談是漏斗步驟為接觸或面談的管道所計的活動量（見標準頁）；提案是標為提案的接觸；成交是回報的成交。",
    "No customer matches these filters.": "沒有符合這些條件的客戶。", "Help requested": "需要協助", "{shown} of {total}": "{total} 筆中的 {shown} 筆", "Show all": "全部顯示", "Yesterday's plan, today's contacts": "昨天的計劃、今天的聯繫",
    "Contacts planned the day before": "前一天計劃聯繫", "Contacted as planned": "照計劃聯繫", "Planned, not contacted": "計劃了但未聯繫",
    "No report before this day planned any contact.": "這天之前沒有報告計劃任何聯繫。", "Churn by period": "各期流失", "Churn rate": "流失率",
    "Closed customers at the start": "期初已成交客戶",
    "Closed customers (with a deal on record) lost or gone dormant in each period, by their status_since date, against those closed when the period began.":
        "各期間內流失或轉為休眠的已成交客戶（有成交紀錄者），依其 status_since 日期計算，除以期初的已成交客戶數。",
    "Lost or dormant customers without a status_since date, counted in no period:": "沒有 status_since 日期、未計入任何期間的流失或休眠客戶：",
    "Who can fix them": "由誰處理", "errors": "錯誤", "error": "錯誤", "Page": "頁面", "open the page": "開啟頁面",
    "Team settings and shared records": "團隊設定與共用紀錄", "Needs": "需要處理", "Needs attention today": "今天需要關心", "No one: everyone is on pace, reported and followed up.": "沒有：每個人都跟上進度、交了報告、按時跟進。",
    "Skip to content": "跳到內容", "Today": "今天", "behind pace": "落後進度", "behind pace by": "落後進度",
    "no report on the last working day": "最近一個工作日沒有報告", "on pace": "跟上進度", "signal: {name}": "訊號：{name}",
    "{count} overdue follow-ups": "{count} 位客戶逾期未跟進",
    "{done} of must-achieve, {time} of working days gone, forecast {forecast}": "必達目標完成 {done}，工作日已過 {time}，預估達成 {forecast}",
    "Customers to act on": "需要處理的客戶", "Days without contact": "未聯繫天數",
    "Longer without contact than the contact frequency its stars ask for (see Standards).": "未聯繫的天數超過其星級要求的聯繫頻率（見標準頁）。",
    "Not yet closed, with an expected close date in this goal period.": "尚未成交，預計成交日在本目標期間內。",
    "The next contact promised in the last touchpoint is past, with no contact since.": "上次接觸約定的下次聯繫日已過，之後沒有再聯繫。",
    # sitegen init and sitegen new (templates/scaffold, templates/new)
    'A name, an owner and a contact person with a phone number.': '有名稱、負責人，以及一位有電話的聯絡人。',
    'Active': '積極洽談',
    'Bought this year.': '今年有採購。',
    'Bought twice or more this year.': '今年採購兩次以上。',
    'Buys a lot every year.': '每年大量採購。',
    'Checks every pull request; builds and publishes the site to GitHub Pages on pushes to main.': '檢查每個 pull request；推送到 main 時建置網站並發布到 GitHub Pages。',
    'Checks merge requests; builds and publishes the site with GitLab Pages on the default branch.': '檢查 merge request；在預設分支上建置網站並以 GitLab Pages 發布。',
    'Closing this month': '本月成交',
    "Contact channels and each member's daily target. 'funnel' says what a contact is: a first contact, a meeting, or other.": '接觸管道與每位成員的每日目標。funnel 表示這種接觸屬於：初次接觸（contact）、見面（meeting）或其他（other）。',
    'Contact name': '聯絡人姓名',
    'Contacts made today, per channel. Targets:': '今天各管道的接觸數。目標：',
    'Demo or proposal done; buying within 60 days.': '已做過示範或提案，60 天內採購。',
    'Enable it in the repository: Settings → Pages → Source: GitHub Actions.': '請在儲存庫中啟用：Settings → Pages → Source: GitHub Actions。',
    'Event': '活動',
    'Example Coffee House': '範例咖啡館',
    'First contact': '初步接觸',
    'First measure': '第一項措施',
    'Follow-ups due today': '今天到期的跟進',
    'Forecast: how likely a prospect of 1 to 5 stars is to close.': '預測：1 到 5 星未成交客戶的成交機率。',
    'Goals are set per month (or quarter); each goal lists its own stages.': '目標以月（或季）設定；每個目標列出自己的階段。',
    'Has a need and will meet; budget or timing open.': '有需求、願意見面，但預算或時程未定。',
    'In the target market; no real conversation yet.': '符合目標客群，尚未有實質對話。',
    'Interested': '有興趣',
    'Key account': '重點客戶',
    "Language of the site: en, zh-Hant or zh-Hans. 'locales' adds more, with a language switch.": '網站語言：en、zh-Hant 或 zh-Hans。locales 可加入更多語言並提供切換。',
    'Lapsed': '久未採購',
    'Listed': '潛在名單',
    "Members' must shares must add up to MORE than the team's must target.": '成員的必達目標加總必須「大於」團隊的必達目標。',
    'Need, budget and decision maker confirmed; expected to sign within 30 days.': '已確認需求、預算與決策者，預計 30 天內簽約。',
    'New Year': '元旦',
    'No order for a year.': '一年以上未採購。',
    'North': '北區',
    'One small order.': '僅採購過一次小額商品。',
    'One-off': '單次客戶',
    "Personal data in the published site: mask (0912-***-678), omit, or show. 'sitegen build --private' shows all.": '發布網站中的個人資料：mask（遮蔽，如 0912-***-678）、omit（省略）或 show（顯示）。sitegen build --private 會全部顯示。',
    'Planned yesterday: remove the # of those you made, and add the result': '昨天的計劃：做了的請刪掉 #，並填上結果',
    'Regular': '一般客戶',
    'Repeat': '穩定回購',
    'Sales team dashboard': '銷售團隊儀表板',
    'Star standards: what each star means, and how often such a customer must be contacted.': '星級標準：每個星級的意義，以及這類客戶至少多久要接觸一次。',
    'Summary': '今日總結',
    'Talked at least once.': '接觸過一次以上。',
    "The built site and sitegen's cache are made from the records: never commit them.": '建置出的網站和 sitegen 的快取都由紀錄產生：不要提交。',
    "The dashboard's title, shown on every page.": '儀表板標題，顯示在每一頁。',
    'The lead standard: what a customer record must have to count as a lead.': '原始資料標準：客戶紀錄要有哪些欄位才算一筆客戶原始資料。',
    'The team: groups, members, who reports to whom. Member ids are used in every record.': '團隊：小組、成員、彙報關係。成員 id 會在每份紀錄中使用。',
    "This repository holds the team's records; sitegen turns them into a dashboard site.": '這個儲存庫存放團隊的紀錄；sitegen 會把它們轉成儀表板網站。',
    'Time zone for judging late reports (an IANA name).': '判斷報告遲交所用的時區（IANA 名稱）。',
    'Visit': '面談',
    "Warn when a member's pipeline covers less than this share of their must target.": '成員預計成交金額低於其必達目標的這個比例時發出警告。',
    'What the member agreed to do': '成員同意採取的行動',
    'What you found': '檢查發現',
    'What you told the member': '給成員的回饋',
    'Working days and holidays: reports are expected on working days only.': '工作日與假日：只有工作日需要交報告。',
    'due': '期限',
    'find mistakes in the records': '找出紀錄中的錯誤',
    'full history: report lateness is judged by commit times': '完整歷史：報告遲交以提交時間判斷',
    'next contact': '下次接觸',
    'once it is a prospect: see the standards page': '成為未成交客戶後填寫：見標準頁',
    'or partial / not-done, with a reason': '或 partial / not-done，並寫明原因',
    'problems raised and help needed': '遇到的問題與需要的協助',
    'see the site at http://127.0.0.1:8000/ while you edit': '編輯時在 http://127.0.0.1:8000/ 查看網站',
    'sitegen configuration. Every key is explained in docs/records.md (Field reference).': 'sitegen 設定。每個欄位的說明見 docs/records.md（Field reference）。',
    "start today's report": '開始寫今天的報告', 'Won revenue by quarter': '各季成交金額', 'Download': '下載',
    'Search': '搜尋', 'Search customers, members and reports': '搜尋客戶、成員與報告', 'Report': '報告', 'Nothing found.': '找不到符合的結果。',
    'Name, customer, date, words of a report…': '姓名、客戶、日期、報告中的字詞…',
    'write the site into site/': '把網站寫入 site/',
    'All customers': '全部客戶', 'All time': '累計', 'Dormant': '休眠', 'Leads': '原始資料', 'Lost': '流失',
    'No star': '未評星', 'No star yet': '尚未評星', 'Won': '成交', 'Won by period': '各期成交', 'Won revenue': '成交金額',
    '%(num)s deal': '%(num)s 筆成交', '%(num)s deals': '%(num)s 筆成交',
    'Checks every pull request; builds and publishes the site to GitHub Pages from the default branch, and every morning.':
        '檢查每個 pull request；在預設分支上、以及每天早上建置網站並發布到 GitHub Pages。',
    'Checks merge requests; builds and publishes the site with GitLab Pages from the default branch.':
        '檢查 merge request；在預設分支上建置網站並以 GitLab Pages 發布。',
    "Every morning before the meeting, so the site says 'today' without a push. Cron runs in UTC: this is {time} in {timezone}.":
        '每天早會前建置，不必推送網站也是今天的資料。Cron 以 UTC 計時：這是 {timezone} 的 {time}。',
    'For a morning build, add a pipeline schedule (Build → Pipeline schedules) at {time} in {timezone}.':
        '若要每天早上建置，請新增排程（Build → Pipeline schedules），時間為 {timezone} 的 {time}。',
    'sitegen and the exact packages it was tested with. To upgrade, change the versions here on purpose.':
        'sitegen 以及經過測試的套件確切版本。要升級時，請刻意修改這裡的版本。',
    "sitegen's version is pinned in requirements.txt: change it there, on purpose, to upgrade.":
        'sitegen 的版本固定在 requirements.txt：要升級時請刻意修改那裡。',
    'the full image: it has git, which lateness needs': '完整映像：內含判斷遲交所需的 git',
    "Runs 'sitegen check' before every commit: pip install pre-commit, then pre-commit install.":
        '每次提交前執行 sitegen check：先 pip install pre-commit，再執行 pre-commit install。',
    'The version matches requirements.txt: change both together.': '版本與 requirements.txt 相同：兩者要一起修改。',
    'Install the sitegen this team uses:': '安裝本團隊使用的 sitegen：',
    'Make-up working days: a weekend day worked in exchange for a holiday; reports are owed on it.': '補班日：為了連假而上班的週末，當天需要交報告。',
    'Not a working day: no report was owed; the reports filed count as on any day.': '非工作日：不需交報告；已交的報告照常計入。',
    'annotations only: findings never stop publishing; broken records stop the build': '僅供標註：業務發現不會阻止發布；無法讀取的紀錄才會讓建置失敗',
}


def used_messages() -> set[str]:
    pattern = re.compile(r"""_\((["'])(.+?)\1\)""")
    found = set()
    sources = [p for p in (ROOT / "sitegen" / "templates").rglob("*") if p.is_file() and p.suffix in (".html", ".md", ".yaml", ".yml", ".json", "")
               and "locales" not in p.parts and "vendor" not in p.parts and "static" not in p.parts]
    for path in sources + sorted((ROOT / "sitegen/views").glob("*.py")) + [ROOT / "sitegen/scaffold.py"]:
        found |= {m.group(2) for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    return found | set(DYNAMIC_MESSAGES)


# English words for the ids the pages translate (everything else is written in English already)
EN = {
    "am": "morning", "pm": "afternoon", "contact": "first contact", "customer": "customer (closed)", "customers": "customers",
    "daily": "daily", "day": "day", "done": "done", "done-late": "done late", "dormant": "dormant", "dropped": "dropped",
    "equal-split": "equal split", "group": "group", "history": "history", "in-progress": "in progress", "lead": "lead",
    "lost": "lost", "manager": "manager", "meeting": "meeting", "month": "month", "monthly": "monthly", "not-done": "not done",
    "one-to-one": "one to one", "open": "open", "other": "other", "overdue": "overdue", "partial": "partly done",
    "periodic": "periodic", "planned": "planned", "prospect": "prospect (not yet closed)", "quarter": "quarter",
    "quarterly": "quarterly", "half-yearly": "half-yearly", "yearly": "yearly", "rep": "sales rep", "self-declared": "their own figure", "spot": "spot check",
    "supervisor": "supervisor", "week": "week", "weekly": "weekly", "year": "year",
    "expected_close_within_days": "expected to close within (days)", "max_days_since_deal": "last deal at most (days ago)",
    "min_deal_total": "deals in the last 365 days at least", "min_expected_value": "expected value at least",
    "min_touchpoints": "touchpoints at least",
    "closed_churn": "closed customers lapsing", "late_reports": "late reports", "low_activity": "low activity",
    "low_close_rate": "low close rate", "low_meeting_rate": "low meeting rate", "low_plan_adherence": "low plan adherence",
    "low_proposal_rate": "low proposal rate", "missed_reports": "missed reports", "overdue_followups": "overdue follow-ups",
    "star_contradictions": "star ratings contradicted", "top_customer_lapsed": "5★ customer lapsing",
    "unclosed_churn": "open customers lapsing",
}


def main() -> None:
    from opencc import OpenCC

    to_simplified = OpenCC("t2s")
    messages = sorted(used_messages())
    missing = [m for m in messages if m not in ZH_HANT]
    if missing:
        sys.exit("untranslated: " + ", ".join(missing))
    for locale, convert in (("zh-Hant", lambda s: s), ("zh-Hans", to_simplified.convert)):
        catalog = Catalog(locale=locale.replace("-", "_"), project="sitegen", fuzzy=False)
        for message in messages:
            catalog.add(message, convert(ZH_HANT[message]))
        with (ROOT / "sitegen/templates/locales" / f"{locale}.po").open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, sort_output=True)
    ids = set(DYNAMIC_MESSAGES) - {"%(num)s deal", "%(num)s deals"}
    if ids - set(EN):
        sys.exit("no English words for: " + ", ".join(sorted(ids - set(EN))))
    catalog = Catalog(locale="en", project="sitegen", fuzzy=False)
    for message in sorted(ids):
        catalog.add(message, EN[message])
    with (ROOT / "sitegen/templates/locales/en.po").open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=True)
    print(f"{len(messages)} messages; {len(ids)} ids in English")


if __name__ == "__main__":
    main()
