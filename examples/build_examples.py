"""Build the example centers' data files, deterministically.

    python examples/build_examples.py            # rewrite examples/*/data/
    python examples/build_examples.py --check    # fail if the committed files differ

Each example tells a small story the default pack should find: a team weak on one
competency (a pre-shift share), an agent far behind (1:1 coaching), scattered gaps (a
classroom), KPI laggards handed to their owner teams, and lenient and harsh QA evaluators.
center.toml is written by hand and not touched here.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class TeamSpec:
    id: str
    name: str
    shift: tuple[str, str]
    size: int
    channel: str
    # competency -> shift of the team's mean level (negative: weak)
    weakness: dict[str, float] = field(default_factory=dict)
    function: str = "front-line"


@dataclass
class CenterSpec:
    folder: str
    seed: int
    teams: list[TeamSpec]
    support_teams: list[tuple[str, str]]
    names: list[str]
    roles: list[tuple[str, str, str]]
    profiles: dict[str, dict[str, float]]
    competencies: list[tuple[str, str, str, str, str]]
    qa_items: list[tuple[str, str, str, int]]
    items_by_channel: dict[str, list[str]]
    evaluators: dict[str, float]
    kpis: dict[str, tuple[float, float, int]]
    trainers: list[tuple[str, str, str, str, float, float, str]]
    trainer_skills: dict[str, dict[str, float]]
    courses: list[tuple[str, str, str, str, int, int, bool]]
    base_level: float
    special: dict[tuple[int, str], float] = field(default_factory=dict)
    kpi_laggards: dict[str, list[int]] = field(default_factory=dict)
    evidence_end: dt.date = dt.date(2026, 11, 20)
    evaluations_per_agent: int = 10


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def build(spec: CenterSpec) -> dict[str, str]:
    rng = random.Random(spec.seed)
    names = list(spec.names)
    files: dict[str, str] = {}

    agents: list[tuple[str, str, str, str, str, str]] = []
    team_rows = []
    number = 0
    members: dict[str, list[str]] = {}
    for team in spec.teams:
        ids = []
        for position in range(team.size):
            number += 1
            agent_id = f"{spec.folder[:2].upper()}{number:03d}"
            role = "TL" if position == 0 else ("SA" if position in (1, 2, 3) else "AG")
            hired = dt.date(2019, 3, 1) + dt.timedelta(days=rng.randrange(0, 2200))
            if role == "TL":
                hired = min(hired, dt.date(2021, 6, 1))
            status = "leave" if number % 29 == 0 and role == "AG" else "active"
            agents.append((agent_id, names[number - 1], team.id, role, hired.isoformat(), status))
            ids.append(agent_id)
        members[team.id] = ids
        team_rows.append((team.id, team.name, ids[0], team.function, team.shift[0], team.shift[1]))
    for team_id, team_name in spec.support_teams:
        team_rows.append((team_id, team_name, "", "support", "", ""))
    files["teams"] = _csv(
        [("team_id", "name", "lead_id", "function", "shift_start", "shift_end"), *team_rows]
    )
    files["agents"] = _csv(
        [("agent_id", "name", "team_id", "role_id", "hire_date", "status"), *agents]
    )
    files["roles"] = _csv([("role_id", "name", "track"), *spec.roles])
    files["role_profiles"] = _csv(
        [
            ("role_id", "competency_id", "required_level"),
            *(
                (role, competency, _fmt(level))
                for role, levels in spec.profiles.items()
                for competency, level in levels.items()
            ),
        ]
    )
    files["competencies"] = _csv(
        [("competency_id", "name", "category", "kind", "description"), *spec.competencies]
    )
    files["qa_items"] = _csv(
        [("item_id", "competency_id", "name"), *((i, c, n) for i, c, n, _ in spec.qa_items)]
    )

    # Each agent's true level per competency: base, role, team weakness, personal noise.
    level: dict[tuple[str, str], float] = {}
    team_of = {a[0]: a[2] for a in agents}
    role_of = {a[0]: a[3] for a in agents}
    teams = {t.id: t for t in spec.teams}
    competency_ids = [c[0] for c in spec.competencies]
    for index, agent in enumerate(agents, start=1):
        agent_id = agent[0]
        bonus = {"TL": 8.0, "SA": 5.0, "AG": 0.0}[role_of[agent_id]]
        for competency in competency_ids:
            value = spec.base_level + bonus + rng.gauss(0, 5)
            value += teams[team_of[agent_id]].weakness.get(competency, 0.0)
            value += spec.special.get((index, competency), 0.0)
            level[(agent_id, competency)] = max(20.0, min(99.0, value))

    item_competency = {i: c for i, c, _, _ in spec.qa_items}
    item_max = {i: m for i, _, _, m in spec.qa_items}
    evaluators = sorted(spec.evaluators)
    qa_rows = []
    evaluation = 0
    start = spec.evidence_end - dt.timedelta(days=88)
    for agent_id, *_rest in agents:
        channel = teams[team_of[agent_id]].channel
        items = spec.items_by_channel[channel]
        for _ in range(spec.evaluations_per_agent):
            evaluation += 1
            day = start + dt.timedelta(days=rng.randrange(0, 89))
            evaluator = rng.choice(evaluators)
            contact = f"{channel[0].upper()}{rng.randrange(10**7, 10**8)}"
            for item in items:
                competency = item_competency[item]
                maximum = item_max[item]
                true = level[(agent_id, competency)] + spec.evaluators[evaluator]
                share = max(0.0, min(1.0, rng.gauss(true, 9) / 100))
                score = round(share * maximum * 2) / 2  # half points, as QA forms give them
                qa_rows.append(
                    (
                        f"EV{evaluation:06d}",
                        agent_id,
                        day.isoformat(),
                        item,
                        _fmt(score),
                        maximum,
                        evaluator,
                        channel,
                        contact,
                    )
                )
    qa_rows.sort(key=lambda r: (r[2], r[0], r[3]))
    files["qa"] = _csv(
        [
            (
                "evaluation_id",
                "agent_id",
                "date",
                "item_id",
                "score",
                "max_score",
                "evaluator",
                "channel",
                "contact_id",
            ),
            *qa_rows,
        ]
    )

    kpi_rows = []
    periods = [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    laggards = {metric: set(_pick(agents, picks)) for metric, picks in spec.kpi_laggards.items()}
    for agent_id, _, team_id, role, _, _ in agents:
        if role == "TL":
            continue
        for metric, (typical, spread, decimals) in sorted(spec.kpis.items()):
            if metric.startswith("sales") and teams[team_id].channel == "ticket":
                continue
            lag = agent_id in laggards.get(metric, set())
            for period in periods:
                value = rng.gauss(typical, spread)
                if lag:
                    value = (
                        typical - 3.2 * spread
                        if not _lower_is_better(metric)
                        else typical + 3.2 * spread
                    )
                    value += rng.gauss(0, spread / 4)
                value = max(0.0, value)
                kpi_rows.append((agent_id, period.isoformat(), metric, f"{value:.{decimals}f}"))
    files["kpis"] = _csv([("agent_id", "period", "metric", "value"), *kpi_rows])

    trainer_rows = []
    for trainer_id, name, kind, agent_ref, capacity, cost, score in spec.trainers:
        agent_id = ""
        if agent_ref.startswith("lead:"):
            agent_id = members[agent_ref[5:]][0]
            name = next(a[1] for a in agents if a[0] == agent_id)
        elif agent_ref.startswith("agent:"):
            team_id, position = agent_ref[6:].split("#")
            agent_id = members[team_id][int(position)]
            name = next(a[1] for a in agents if a[0] == agent_id)
        trainer_rows.append((trainer_id, name, kind, agent_id, _fmt(capacity), _fmt(cost), score))
    files["trainers"] = _csv(
        [
            ("trainer_id", "name", "kind", "agent_id", "capacity_hours", "cost_per_hour", "score"),
            *trainer_rows,
        ]
    )
    files["trainer_skills"] = _csv(
        [
            ("trainer_id", "competency_id", "level"),
            *(
                (trainer, competency, _fmt(value))
                for trainer, skills in spec.trainer_skills.items()
                for competency, value in skills.items()
            ),
        ]
    )
    files["courses"] = _csv(
        [
            (
                "course_id",
                "title",
                "competency_id",
                "format",
                "duration_minutes",
                "max_group",
                "voluntary",
            ),
            *(
                (c[0], c[1], c[2], c[3], c[4], c[5], "true" if c[6] else "false")
                for c in spec.courses
            ),
        ]
    )
    return files


def _lower_is_better(metric: str) -> bool:
    return metric in {
        "aht",
        "dispatch_rate",
        "error_tickets",
        "repeat_contact_rate",
        "first_response_s",
    }


def _pick(agents: Sequence[tuple[str, ...]], indexes: Sequence[int]) -> list[str]:
    return [agents[i - 1][0] for i in indexes]


# --------------------------------------------------------------------------------------------
# Company A: an in-house fintech center (seed 000)

INHOUSE_NAMES = [
    "王建国",
    "李娜",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴婷",
    "徐明",
    "孙丽",
    "Emily Chen",
    "马超",
    "朱琳",
    "胡斌",
    "郭晓",
    "何欣",
    "高峰",
    "林悦",
    "罗强",
    "郑爽",
    "梁宇",
    "谢芳",
    "David Wang",
    "宋佳",
    "唐亮",
    "韩雪",
    "冯涛",
    "邓洁",
    "曹阳",
    "彭丽",
    "曾伟",
    "肖红",
    "田野",
    "董芳",
    "潘磊",
    "袁媛",
    "Kevin Zhou",
    "蒋琪",
    "蔡明",
    "余晨",
    "杜鹃",
    "叶青",
    "程浩",
    "苏敏",
    "魏东",
    "吕佳",
    "丁宁",
    "任静",
    "沈磊",
    "姚远",
    "卢婷",
    "Grace Liu",
    "钟华",
    "汪洋",
    "田甜",
    "石磊",
    "金鑫",
    "Sophia Xu",
]

INHOUSE = CenterSpec(
    folder="inhouse-fintech",
    seed=20261122,
    base_level=80.0,
    teams=[
        TeamSpec("T1", "理财一组", ("08:30", "17:30"), 10, "voice", {"C-NEEDS": -6}),
        TeamSpec("T2", "理财二组", ("08:30", "17:30"), 10, "voice", {"C-PROD-WM": -4}),
        TeamSpec("T3", "信贷组", ("09:00", "18:00"), 10, "voice", {"C-COMPLAINT": -16}),
        TeamSpec("T4", "信用卡组", ("09:00", "18:00"), 10, "voice", {"C-PROD-CARD": -5}),
        TeamSpec(
            "T5", "晚班组", ("13:00", "22:00"), 10, "voice", {"C-COMPLY": -12, "C-EMPATHY": -5}
        ),
        TeamSpec("T6", "在线客服组", ("09:00", "18:00"), 10, "chat", {"C-COMM": -13}),
    ],
    support_teams=[
        ("QA", "质检组"),
        ("BUS", "业务支持组"),
        ("TKT", "工单组"),
        ("SALES", "销售支持台"),
        ("HSD", "高级坐席台"),
        ("FLOOR", "现场支持台"),
    ],
    names=INHOUSE_NAMES,
    roles=[
        ("AG", "坐席 Agent", "front-line"),
        ("SA", "资深坐席 Senior agent", "front-line"),
        ("TL", "组长 Team lead", "management"),
    ],
    profiles={
        "AG": {
            "C-COMPLY": 85,
            "C-PROD-WM": 78,
            "C-PROD-LOAN": 78,
            "C-PROD-CARD": 78,
            "C-NEEDS": 75,
            "C-RESOLVE": 78,
            "C-COMPLAINT": 78,
            "C-SYSTEM": 75,
            "C-EMPATHY": 80,
            "C-COMM": 80,
        },
        "SA": {
            "C-COMPLY": 90,
            "C-PROD-WM": 82,
            "C-PROD-LOAN": 82,
            "C-PROD-CARD": 82,
            "C-NEEDS": 80,
            "C-RESOLVE": 82,
            "C-COMPLAINT": 82,
            "C-SYSTEM": 80,
            "C-EMPATHY": 82,
            "C-COMM": 82,
        },
        "TL": {
            "C-COMPLY": 90,
            "C-RESOLVE": 85,
            "C-COMPLAINT": 88,
            "C-EMPATHY": 85,
            "C-COMM": 85,
            "C-COACH": 85,
        },
    },
    competencies=[
        ("C-COMPLY", "合规与风险提示", "business", "knowledge", "身份核验、风险提示与录音合规话术"),
        (
            "C-PROD-WM",
            "理财产品知识",
            "business",
            "knowledge",
            "Wealth products: terms, risk levels, redemption",
        ),
        (
            "C-PROD-LOAN",
            "信贷产品知识",
            "business",
            "knowledge",
            "Loan products, rates and repayment",
        ),
        (
            "C-PROD-CARD",
            "信用卡权益",
            "business",
            "knowledge",
            "Card benefits, fees and installments",
        ),
        (
            "C-NEEDS",
            "需求挖掘与推荐",
            "business",
            "skill",
            "Finding the customer's need before offering",
        ),
        ("C-RESOLVE", "问题一次解决", "business", "skill", "First-contact resolution"),
        (
            "C-COMPLAINT",
            "投诉处理",
            "business",
            "skill",
            "Calming an angry caller and closing the complaint",
        ),
        ("C-SYSTEM", "系统与工单操作", "business", "skill", "Core systems and correct tickets"),
        (
            "C-FINTECH",
            "金融科技基础",
            "business",
            "knowledge",
            "The company's fintech strategy and products",
        ),
        (
            "C-EMPATHY",
            "同理心与服务意识",
            "non-business",
            "attitude",
            "Seeing the call from the customer's side",
        ),
        (
            "C-COMM",
            "沟通表达",
            "non-business",
            "skill",
            "Clear, warm language on the phone and in chat",
        ),
        (
            "C-STRESS",
            "压力管理",
            "non-business",
            "attitude",
            "Handling pressure and emotions at work",
        ),
        ("C-COACH", "辅导与反馈", "non-business", "skill", "Team leads coaching their agents"),
    ],
    qa_items=[
        ("Q01", "C-COMPLY", "开场与身份核验", 5),
        ("Q02", "C-COMPLY", "风险提示完整", 10),
        ("Q03", "C-PROD-WM", "理财产品信息准确", 10),
        ("Q04", "C-PROD-LOAN", "信贷产品信息准确", 10),
        ("Q05", "C-PROD-CARD", "信用卡权益解释准确", 10),
        ("Q06", "C-NEEDS", "需求挖掘", 10),
        ("Q07", "C-RESOLVE", "问题一次解决", 10),
        ("Q08", "C-COMPLAINT", "情绪安抚与投诉处理", 10),
        ("Q09", "C-SYSTEM", "工单记录完整准确", 5),
        ("Q10", "C-EMPATHY", "服务态度与同理心", 5),
        ("Q11", "C-COMM", "表达清晰礼貌", 5),
    ],
    items_by_channel={
        "voice": ["Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07", "Q08", "Q09", "Q10", "Q11"],
        "chat": ["Q01", "Q02", "Q03", "Q05", "Q07", "Q08", "Q09", "Q10", "Q11"],
    },
    evaluators={
        "QA-孙琪": 0.0,
        "QA-Amy Lin": 6.0,
        "QA-郑刚": -7.0,
        "QA-许诺": 1.0,
        "QA-韦华": -1.0,
    },
    kpis={
        "csat": (4.55, 0.12, 2),
        "fcr": (0.80, 0.035, 3),
        "sales_conversion": (0.11, 0.012, 3),
        "dispatch_rate": (0.12, 0.02, 3),
        "aht": (310.0, 25.0, 0),
    },
    kpi_laggards={
        "fcr": [15, 27, 44],
        "sales_conversion": [5, 8],
        "dispatch_rate": [33, 36, 52],
        "csat": [47],
    },
    special={(7, "C-COMPLY"): -36.0, (18, "C-NEEDS"): -30.0},
    trainers=[
        ("TR-01", "陈老师 Chen Jing", "full-time", "", 30, 180, "4.6"),
        ("TR-02", "Grace Liu", "full-time", "", 30, 180, "4.3"),
        ("TR-03", "周强", "full-time", "", 24, 160, "4.1"),
        ("TR-04", "", "team-lead", "lead:T1", 4, 0, ""),
        ("TR-05", "", "team-lead", "lead:T2", 4, 0, ""),
        ("TR-06", "", "team-lead", "lead:T3", 4, 0, ""),
        ("TR-07", "", "team-lead", "lead:T4", 4, 0, ""),
        ("TR-08", "", "team-lead", "lead:T5", 4, 0, ""),
        ("TR-09", "", "team-lead", "lead:T6", 4, 0, ""),
        ("TR-10", "", "top-agent", "agent:T1#1", 3, 0, "4.7"),
        ("TR-11", "合规部 何律师", "part-time", "", 6, 300, "4.5"),
    ],
    trainer_skills={
        "TR-01": {
            "C-COMPLAINT": 93,
            "C-EMPATHY": 92,
            "C-COMM": 90,
            "C-STRESS": 90,
            "C-RESOLVE": 90,
            "C-COACH": 92,
        },
        "TR-02": {
            "C-PROD-WM": 92,
            "C-PROD-LOAN": 90,
            "C-PROD-CARD": 91,
            "C-NEEDS": 90,
            "C-FINTECH": 90,
        },
        "TR-03": {"C-SYSTEM": 92, "C-RESOLVE": 88, "C-COMPLY": 90, "C-COMM": 86},
        "TR-04": {"C-PROD-WM": 90, "C-NEEDS": 89, "C-COMPLY": 91},
        "TR-05": {"C-PROD-WM": 91, "C-RESOLVE": 88},
        "TR-06": {"C-PROD-LOAN": 90, "C-COMPLAINT": 89, "C-COMPLY": 90},
        "TR-07": {"C-PROD-CARD": 90, "C-COMPLAINT": 88},
        "TR-08": {"C-COMPLY": 92, "C-EMPATHY": 88, "C-PROD-CARD": 87},
        "TR-09": {"C-COMM": 91, "C-EMPATHY": 90},
        "TR-10": {"C-NEEDS": 94, "C-PROD-WM": 93},
        "TR-11": {"C-COMPLY": 98},
    },
    courses=[
        ("K-COMPLY-PS", "合规话术晨会分享", "C-COMPLY", "pre-shift", 15, 30, False),
        ("K-COMPLY-1V1", "合规话术一对一辅导", "C-COMPLY", "coaching", 45, 1, False),
        ("K-COMPLY-MV", "风险提示要点微课", "C-COMPLY", "micro-video", 12, 1, False),
        ("K-WM-PS", "理财新品每日一讲", "C-PROD-WM", "pre-shift", 15, 30, False),
        ("K-WM-MV", "理财产品风险等级微课", "C-PROD-WM", "micro-video", 15, 1, False),
        ("K-LOAN-MV", "信贷产品要点微课", "C-PROD-LOAN", "micro-video", 12, 1, False),
        ("K-CARD-PS", "信用卡权益晨会分享", "C-PROD-CARD", "pre-shift", 10, 30, False),
        ("K-CARD-MV", "分期与费用微课", "C-PROD-CARD", "micro-video", 12, 1, False),
        ("K-NEEDS-CR", "需求挖掘与产品推荐 Needs discovery", "C-NEEDS", "classroom", 90, 10, False),
        ("K-NEEDS-1V1", "需求挖掘一对一", "C-NEEDS", "coaching", 45, 1, False),
        ("K-RESOLVE-PS", "一次解决案例分享", "C-RESOLVE", "pre-shift", 15, 30, False),
        ("K-RESOLVE-CR", "问题一次解决工作坊", "C-RESOLVE", "classroom", 60, 12, False),
        ("K-COMPLAINT-PS", "投诉处理每日一招", "C-COMPLAINT", "pre-shift", 15, 30, False),
        (
            "K-COMPLAINT-CR",
            "投诉处理实战 Complaint handling",
            "C-COMPLAINT",
            "classroom",
            90,
            12,
            False,
        ),
        ("K-COMPLAINT-1V1", "投诉处理一对一", "C-COMPLAINT", "coaching", 45, 1, False),
        (
            "K-SYSTEM-SH",
            "跟岗工单组 Shadow the ticket team",
            "C-SYSTEM",
            "shadowing",
            120,
            3,
            False,
        ),
        ("K-SYSTEM-MV", "工单填写规范微课", "C-SYSTEM", "micro-video", 10, 1, False),
        ("K-FINTECH-MV", "金融科技战略与新品", "C-FINTECH", "micro-video", 15, 1, False),
        ("K-EMPATHY-CR", "同理心沟通工作坊", "C-EMPATHY", "classroom", 60, 12, True),
        ("K-EMPATHY-MV", "站在客户一侧 微课", "C-EMPATHY", "micro-video", 12, 1, True),
        ("K-COMM-CR", "沟通表达训练营 Clear and warm", "C-COMM", "classroom", 60, 12, True),
        ("K-STRESS-CR", "压力管理与情绪调适", "C-STRESS", "classroom", 60, 15, True),
        ("K-COACH-CR", "组长辅导技巧", "C-COACH", "classroom", 90, 8, False),
    ],
)


# --------------------------------------------------------------------------------------------
# Company B: a BPO vendor running inbound and online service for a client (seed 000)

BPO_NAMES = [
    "刘芳",
    "Maria Santos",
    "张磊",
    "Jose Reyes",
    "陈晨",
    "Anna Cruz",
    "李强",
    "王丽",
    "Mark Lim",
    "赵静",
    "孙浩",
    "Joy Garcia",
    "周敏",
    "吴迪",
    "Paolo Tan",
    "郑欣",
    "冯雪",
    "Liza Bautista",
    "何飞",
    "许晴",
    "Carlo Mendoza",
    "邓超",
    "彭静",
    "Grace Ong",
    "曾亮",
    "萧雅",
    "Ramon Cruz",
    "谭婷",
    "黎明",
    "Kristine Lee",
    "段鹏",
    "白雪",
    "Miguel Torres",
    "温馨",
    "方圆",
    "Nicole Yu",
    "石磊",
    "范文",
    "Bea Villanueva",
    "秦川",
    "袁杰",
    "Ivy Chua",
    "卢峰",
    "蒋欣",
    "Dan Sy",
]

BPO = CenterSpec(
    folder="bpo-inbound",
    seed=7102026,
    base_level=79.0,
    teams=[
        TeamSpec("V1", "呼入一组 Voice A", ("08:00", "17:00"), 12, "voice", {"C-RETURNS": -14}),
        TeamSpec("V2", "呼入二组 Voice B", ("12:00", "21:00"), 12, "voice", {"C-DEESC": -8}),
        TeamSpec(
            "C1",
            "在线一组 Chat",
            ("09:00", "18:00"),
            12,
            "chat",
            {"C-CHATWRITE": -12, "C-CULTURE": -9},
        ),
        TeamSpec("K1", "售后工单组 After-sales", ("09:00", "18:00"), 9, "ticket", {"C-TICKET": -7}),
    ],
    support_teams=[
        ("QA", "质检组 QA"),
        ("CLIENT-OPS", "客户运营对接 Client ops"),
        ("TRAIN", "培训组 Training"),
    ],
    names=BPO_NAMES,
    roles=[
        ("AG", "客服专员 Agent", "front-line"),
        ("SA", "高级专员 Senior agent", "front-line"),
        ("TL", "组长 Team lead", "management"),
    ],
    profiles={
        "AG": {
            "C-ORDERS": 80,
            "C-RETURNS": 80,
            "C-MEMBER": 76,
            "C-PRIVACY": 88,
            "C-DEESC": 78,
            "C-CHATWRITE": 78,
            "C-TICKET": 78,
            "C-CULTURE": 80,
        },
        "SA": {
            "C-ORDERS": 85,
            "C-RETURNS": 85,
            "C-MEMBER": 80,
            "C-PRIVACY": 90,
            "C-DEESC": 82,
            "C-CHATWRITE": 82,
            "C-TICKET": 82,
            "C-CULTURE": 82,
        },
        "TL": {"C-PRIVACY": 92, "C-DEESC": 86, "C-CULTURE": 86, "C-COACH": 85},
    },
    competencies=[
        (
            "C-ORDERS",
            "订单与物流查询",
            "business",
            "knowledge",
            "Client's order, delivery and tracking rules",
        ),
        (
            "C-RETURNS",
            "退换货政策",
            "business",
            "knowledge",
            "Client's return and refund policy, updated monthly",
        ),
        ("C-MEMBER", "会员权益", "business", "knowledge", "Membership tiers and benefits"),
        (
            "C-PRIVACY",
            "数据隐私合规",
            "business",
            "knowledge",
            "Client-mandated privacy and verification",
        ),
        ("C-DEESC", "情绪安抚与投诉降级", "business", "skill", "De-escalating angry customers"),
        (
            "C-CHATWRITE",
            "在线文字沟通规范",
            "business",
            "skill",
            "Chat writing: tone, templates, speed",
        ),
        ("C-TICKET", "工单处理", "business", "skill", "After-sales tickets, first time right"),
        (
            "C-CULTURE",
            "客户品牌文化与价值观",
            "non-business",
            "attitude",
            "The client's brand values, as the client mandates",
        ),
        ("C-TEAM", "团队协作", "non-business", "skill", "Working across shifts and teams"),
        ("C-COACH", "辅导与反馈", "non-business", "skill", "Team leads coaching their agents"),
    ],
    qa_items=[
        ("B01", "C-PRIVACY", "身份核验 Verification", 10),
        ("B02", "C-ORDERS", "订单信息准确 Order facts", 10),
        ("B03", "C-RETURNS", "退换货政策准确 Return policy", 10),
        ("B04", "C-MEMBER", "会员权益说明 Membership", 5),
        ("B05", "C-DEESC", "情绪安抚 De-escalation", 10),
        ("B06", "C-CHATWRITE", "文字规范 Writing", 10),
        ("B07", "C-TICKET", "工单完整 Ticket quality", 10),
        ("B08", "C-CULTURE", "品牌语言 Brand voice", 5),
    ],
    items_by_channel={
        "voice": ["B01", "B02", "B03", "B04", "B05", "B08"],
        "chat": ["B01", "B02", "B03", "B04", "B05", "B06", "B08"],
        "ticket": ["B01", "B02", "B03", "B07", "B08"],
    },
    evaluators={"Client QA - Wendy": -6.0, "QA-黄蕾": 0.0, "QA-Jun Reyes": 5.0, "QA-田園": 0.5},
    kpis={
        "csat": (0.90, 0.03, 3),
        "fcr": (0.76, 0.04, 3),
        "aht": (380.0, 30.0, 0),
        "repeat_contact_rate": (0.09, 0.015, 3),
    },
    kpi_laggards={
        "csat": [14, 30],
        "fcr": [5, 19, 40],
        "aht": [9, 33],
        "repeat_contact_rate": [26, 38],
    },
    special={(4, "C-PRIVACY"): -30.0, (28, "C-DEESC"): -28.0},
    trainers=[
        ("VT-01", "Rachel Tan", "vendor", "", 28, 150, "4.4"),
        ("VT-02", "高敏", "vendor", "", 28, 150, "4.2"),
        ("VT-03", "Client trainer - Wendy Ho", "vendor", "", 8, 260, "4.8"),
        ("VT-04", "", "team-lead", "lead:V1", 4, 0, ""),
        ("VT-05", "", "team-lead", "lead:V2", 4, 0, ""),
        ("VT-06", "", "team-lead", "lead:C1", 4, 0, ""),
        ("VT-07", "", "team-lead", "lead:K1", 4, 0, ""),
        ("VT-08", "", "top-agent", "agent:K1#1", 3, 0, "4.5"),
    ],
    trainer_skills={
        "VT-01": {"C-ORDERS": 92, "C-RETURNS": 93, "C-MEMBER": 90, "C-DEESC": 90, "C-TEAM": 88},
        "VT-02": {"C-CHATWRITE": 92, "C-TICKET": 90, "C-DEESC": 88, "C-COACH": 90},
        "VT-03": {"C-CULTURE": 97, "C-PRIVACY": 96, "C-RETURNS": 95},
        "VT-04": {"C-RETURNS": 91, "C-ORDERS": 90},
        "VT-05": {"C-DEESC": 90, "C-ORDERS": 88},
        "VT-06": {"C-CHATWRITE": 91, "C-CULTURE": 90},
        "VT-07": {"C-TICKET": 92},
        "VT-08": {"C-TICKET": 94},
    },
    courses=[
        ("B-ORD-MV", "订单与物流 10分钟 Orders in 10", "C-ORDERS", "micro-video", 10, 1, False),
        (
            "B-RET-PS",
            "本月退换货政策晨会 Returns this month",
            "C-RETURNS",
            "pre-shift",
            15,
            30,
            False,
        ),
        ("B-RET-CR", "退换货政策精讲 Returns deep-dive", "C-RETURNS", "classroom", 60, 15, False),
        ("B-MEM-MV", "会员权益微课", "C-MEMBER", "micro-video", 12, 1, False),
        ("B-PRIV-1V1", "隐私核验一对一 Privacy coaching", "C-PRIVACY", "coaching", 30, 1, False),
        (
            "B-PRIV-MV",
            "客户隐私规范（客户必修） Client privacy (mandatory)",
            "C-PRIVACY",
            "micro-video",
            15,
            1,
            False,
        ),
        ("B-DEESC-CR", "投诉降级工作坊 De-escalation", "C-DEESC", "classroom", 90, 12, False),
        ("B-DEESC-1V1", "投诉降级一对一", "C-DEESC", "coaching", 45, 1, False),
        (
            "B-CHAT-PS",
            "今日话术模板 Template of the day",
            "C-CHATWRITE",
            "pre-shift",
            15,
            30,
            False,
        ),
        (
            "B-CHAT-CR",
            "在线文字沟通训练 Chat writing lab",
            "C-CHATWRITE",
            "classroom",
            60,
            12,
            False,
        ),
        ("B-TKT-SH", "跟岗售后工单组 Shadow after-sales", "C-TICKET", "shadowing", 90, 3, False),
        ("B-TKT-MV", "工单规范微课", "C-TICKET", "micro-video", 10, 1, False),
        ("B-CULT-PS", "品牌故事晨会 Brand story", "C-CULTURE", "pre-shift", 15, 30, False),
        ("B-CULT-CR", "客户品牌与价值观（客户必修）", "C-CULTURE", "classroom", 60, 20, False),
        ("B-TEAM-CR", "跨班组协作 Teamwork", "C-TEAM", "classroom", 60, 15, True),
        ("B-COACH-CR", "组长辅导技巧", "C-COACH", "classroom", 90, 8, False),
    ],
)


def write(spec: CenterSpec, check: bool) -> list[str]:
    data = HERE / spec.folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, text in build(spec).items():
        path = data / f"{name}.csv"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(HERE.parent)))
        else:
            path.write_text(text, encoding="utf-8")
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if committed files differ")
    args = parser.parse_args(argv)
    stale = [path for spec in (INHOUSE, BPO) for path in write(spec, args.check)]
    if stale:
        print("stale example data (run python examples/build_examples.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
