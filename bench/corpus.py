"""Seeded synthetic consultation corpus with known campaigns, for the campaigns benchmark.

Nothing is downloaded: texts come from word and sentence banks. The shape follows what
regulators report for mass consultations (FCC 2017 net-neutrality docket, EU 2018 summer-time
consultation): most submissions belong to a few dozen form-letter campaigns of very unequal size,
most campaign members send the letter unedited or with trivial changes, and a minority personalise
it (a personal paragraph, a dropped or reordered sentence, a changed word, a signature). The rest
are genuinely individual comments, many on the same topics and so sharing vocabulary. About 5% of
templates and individual comments are in Arabic, Chinese or Russian.

Truth is by construction: every member of a campaign is meant to be counted with it, however it
was edited, so recall is measured against what a secretariat would want.

`python -m bench.corpus N PATH [--seed S]` writes PATH (.csv or .jsonl) and PATH.truth.npy.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

FIELDS = [
    "id",
    "text",
    "author",
    "organisation",
    "stakeholder_group",
    "country",
    "date",
    "email_domain",
]
CAMPAIGN_SHARE = 0.8
N_TEMPLATES = 48

TOPICS = {
    "net neutrality": [
        "broadband providers",
        "paid prioritisation",
        "throttling",
        "open internet",
        "zero rating",
        "small businesses online",
    ],
    "data protection": [
        "personal data",
        "consent",
        "data brokers",
        "cross-border transfers",
        "biometric data",
        "children's privacy",
    ],
    "artificial intelligence": [
        "automated decisions",
        "facial recognition",
        "algorithmic audits",
        "training data",
        "high-risk systems",
        "human oversight",
    ],
    "spectrum": [
        "rural broadband",
        "spectrum auctions",
        "community networks",
        "unlicensed spectrum",
        "satellite operators",
        "digital divide",
    ],
    "internet governance": [
        "multistakeholder model",
        "root zone management",
        "domain name policy",
        "the IGF mandate",
        "WSIS action lines",
        "civil society participation",
    ],
    "platform regulation": [
        "content moderation",
        "online harassment",
        "transparency reports",
        "recommender systems",
        "illegal content",
        "freedom of expression",
    ],
    "cybersecurity": [
        "critical infrastructure",
        "vulnerability disclosure",
        "encryption",
        "incident reporting",
        "supply chain security",
        "ransomware",
    ],
    "summer time": [
        "clock changes",
        "daylight saving time",
        "sleep and health",
        "road safety",
        "energy savings",
        "time zones",
    ],
}
OPENERS = [
    "I am writing to",
    "I strongly",
    "As a resident, I",
    "Please",
    "We respectfully",
    "As a small business owner, I",
    "I want to",
    "Our organisation would like to",
    "I urge you to",
    "As a parent, I",
]
VERBS = [
    "support",
    "oppose",
    "ask the regulator to protect",
    "call for stronger rules on",
    "urge you to reconsider",
    "object to the proposed changes to",
    "welcome the consultation on",
    "demand accountability for",
    "request clarity about",
    "reject any weakening of",
]
REASONS = [
    "because it affects every household in my community",
    "since the current proposal ignores the needs of ordinary users",
    "as the evidence from other countries shows clear harms",
    "because consumers have no real choice of provider",
    "since small companies cannot compete without fair rules",
    "because the costs will be passed on to the poorest families",
    "as independent experts have warned for years",
    "because transparency is the only way to rebuild trust",
    "since rural areas are already left behind",
    "because fundamental rights must not depend on market power",
]
CLAIMS = [
    "The rules on {t} must be enforced by an independent authority.",
    "Without strong safeguards, {t} will harm people who have no voice in this process.",
    "The proposal on {t} was drafted without hearing those most affected.",
    "Any decision about {t} should be reviewed every two years with public input.",
    "Companies that profit from {t} should bear the cost of oversight.",
    "Evidence about {t} must be published before the final vote.",
    "I ask the secretariat to explain how comments about {t} will be answered.",
    "Clear limits on {t} protect innovation rather than hinder it.",
    "Other regulators have shown that {t} can be governed fairly.",
    "The public deserves a plain-language summary of the plans for {t}.",
    "Independent research on {t} should be funded and made public.",
    "Local governments need a say in how {t} is handled.",
]
PERSONAL = [
    "My {rel} {job} in {place} and {story}.",
    "Last {when}, {story_past}, which is why this matters to me.",
    "I have lived in {place} for {years} years and {story}.",
    "When my {rel} {job_past}, {story_past}.",
]
RELS = [
    "mother",
    "brother",
    "neighbour",
    "daughter",
    "grandfather",
    "best friend",
    "husband",
    "aunt",
]
JOBS = [
    "runs a bakery",
    "teaches at a rural school",
    "works night shifts at the hospital",
    "repairs bicycles",
    "sells quilts online",
    "drives a delivery van",
    "studies engineering",
    "manages a small farm",
]
JOBS_PAST = [
    "lost her job",
    "started a business",
    "moved to the city",
    "fell ill",
    "retired early",
    "went back to school",
]
PLACES = [
    "a small coastal town",
    "the northern valley",
    "a suburb of the capital",
    "a mountain village",
    "an industrial city",
    "the river delta",
]
STORIES = [
    "we depend on a reliable connection to earn a living",
    "our bills have doubled in two years",
    "nobody asked us before the last change",
    "the nearest office closed and everything moved online",
    "we already pay more than people in the city",
    "our children do their homework on a phone",
]
STORIES_PAST = [
    "our internet was cut for a week",
    "we were charged twice for the same service",
    "my complaint went unanswered for months",
    "a company sold our data without telling us",
    "the local library stopped its free access programme",
    "I could not reach emergency services online",
]
WHEN = ["winter", "spring", "year", "month", "autumn"]
SYNONYMS = {
    "strong": "robust",
    "must": "should",
    "public": "people",
    "rules": "regulations",
    "fair": "just",
    "clear": "plain",
    "independent": "impartial",
    "protect": "defend",
}
FIRST = [
    "Maria",
    "John",
    "Aisha",
    "Wei",
    "Olga",
    "Carlos",
    "Fatima",
    "Peter",
    "Lina",
    "Kwame",
    "Sofia",
    "Raj",
    "Ana",
    "Ivan",
    "Mei",
    "Omar",
    "Grace",
    "Luis",
    "Nadia",
    "Tom",
]
LAST = [
    "Silva",
    "Smith",
    "Khan",
    "Chen",
    "Ivanova",
    "Garcia",
    "Haddad",
    "Müller",
    "Okafor",
    "Rossi",
    "Patel",
    "Nguyen",
    "Kowalski",
    "Mensah",
    "Tanaka",
    "Hassan",
    "Brown",
    "Lopez",
    "Novak",
    "Dubois",
]
ORGS = [
    "",
    "",
    "",
    "",
    "Digital Rights Network",
    "Chamber of Commerce",
    "Rural Connect",
    "University of the Coast",
    "Consumers United",
    "Open Net Foundation",
    "TelcoCorp",
    "Parents for Privacy",
]
GROUPS = [
    "individual",
    "civil society",
    "private sector",
    "academia",
    "technical community",
    "government",
    "intergovernmental organisation",
]
COUNTRIES = [
    "US",
    "BR",
    "IN",
    "NG",
    "DE",
    "FR",
    "KE",
    "CN",
    "RU",
    "EG",
    "MX",
    "ID",
    "ZA",
    "GB",
    "AR",
    "JP",
]
DOMAINS = [
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "proton.me",
    "mail.ru",
    "qq.com",
    "example.org",
    "uni.edu",
]
CAMPAIGN_DOMAINS = ["tempmail.net", "quick-inbox.com", "action-alerts.org"]

# Small banks in other scripts: subject, verb phrase, object, reason.
FOREIGN = {
    "ar": (
        ["نحن", "أنا", "المواطنون", "منظمتنا", "المجتمع المدني", "الشركات الصغيرة"],
        ["ندعم", "نرفض", "نطالب بحماية", "نطلب مراجعة", "ندعو إلى تعزيز", "نعترض على"],
        [
            "حيادية الشبكة",
            "حماية البيانات الشخصية",
            "الوصول العادل إلى الإنترنت",
            "حرية التعبير",
            "الشفافية في القرارات",
            "حقوق المستخدمين",
        ],
        [
            "لأن ذلك يؤثر على كل أسرة",
            "لأن المنافسة العادلة ضرورية",
            "لأن الأدلة واضحة",
            "حتى لا يتخلف الريف عن الركب",
            "لأن الثقة تحتاج إلى شفافية",
            "لأن الحقوق الأساسية لا تُباع",
        ],
        ".",
        " ",
    ),
    "zh": (
        ["我们", "我", "公民", "我们的组织", "民间社会", "小企业"],
        ["支持", "反对", "要求保护", "呼吁重新审议", "呼吁加强", "不同意"],
        ["网络中立", "个人数据保护", "公平的互联网接入", "言论自由", "决策透明", "用户权利"],
        [
            "因为这影响每个家庭",
            "因为公平竞争很重要",
            "因为证据很清楚",
            "以免农村地区落后",
            "因为信任需要透明",
            "因为基本权利不能出售",
        ],
        "。",
        "",
    ),
    "ru": (
        ["Мы", "Я", "Граждане", "Наша организация", "Гражданское общество", "Малый бизнес"],
        [
            "поддерживаем",
            "выступаем против",
            "требуем защитить",
            "просим пересмотреть",
            "призываем укрепить",
            "возражаем против",
        ],
        [
            "сетевой нейтралитет",
            "защиту персональных данных",
            "равный доступ к интернету",
            "свободу слова",
            "прозрачность решений",
            "права пользователей",
        ],
        [
            "потому что это касается каждой семьи",
            "потому что честная конкуренция необходима",
            "потому что доказательства очевидны",
            "чтобы сельские районы не отставали",
            "потому что доверию нужна прозрачность",
            "потому что основные права не продаются",
        ],
        ".",
        " ",
    ),
}


@dataclass(frozen=True)
class Template:
    """A campaign's form letter as a list of sentences, and its language."""

    sentences: tuple[str, ...]
    lang: str
    domain: str


def _english_sentence(rng: random.Random, topic: str) -> str:
    term = rng.choice(TOPICS[topic])
    if rng.random() < 0.5:
        return rng.choice(CLAIMS).format(t=term)
    return f"{rng.choice(OPENERS)} {rng.choice(VERBS)} {term} {rng.choice(REASONS)}."


def _foreign_sentence(rng: random.Random, lang: str) -> str:
    subj, verb, obj, reason, stop, sep = FOREIGN[lang]
    extra = sep.join(rng.sample(obj, 2))
    return sep.join([rng.choice(subj), rng.choice(verb), extra, rng.choice(reason)]) + stop


def _sentences(rng: random.Random, lang: str, topic: str, words: int) -> list[str]:
    out: list[str] = []
    count = 0
    while count < words:
        s = _english_sentence(rng, topic) if lang == "en" else _foreign_sentence(rng, lang)
        out.append(s)
        count += len(s.split()) if lang != "zh" else len(s) // 2
    return out


def make_templates(rng: random.Random) -> list[Template]:
    """Several dozen form letters of 80-300 words; a few in Arabic, Chinese and Russian."""
    templates = []
    for k in range(N_TEMPLATES):
        lang = ["ar", "zh", "ru"][k % 3] if k % 16 == 15 else "en"
        topic = rng.choice(list(TOPICS))
        sents = _sentences(rng, lang, topic, rng.randint(80, 300))
        if lang == "en":
            sents.insert(0, f"Dear Commissioners, I am writing about {topic}.")
        templates.append(Template(tuple(sents), lang, rng.choice(CAMPAIGN_DOMAINS + DOMAINS)))
    return templates


def _personal(rng: random.Random, target_words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < target_words:
        out.append(
            rng.choice(PERSONAL).format(
                rel=rng.choice(RELS),
                job=rng.choice(JOBS),
                job_past=rng.choice(JOBS_PAST),
                place=rng.choice(PLACES),
                story=rng.choice(STORIES),
                story_past=rng.choice(STORIES_PAST),
                when=rng.choice(WHEN),
                years=rng.randint(2, 60),
            )
        )
    return " ".join(out)


def member_text(rng: random.Random, t: Template, name: str) -> str:
    """A campaign member: mostly the letter as is, sometimes personalised (truth: still a member)."""
    r = rng.random()
    sep = "" if t.lang == "zh" else " "
    if r < 0.55:
        return sep.join(t.sentences)
    if r < 0.65:  # trivial variation: case, spacing, punctuation
        text = sep.join(t.sentences)
        return rng.choice(
            [text.upper(), text.lower(), "  " + text.replace(", ", " ,  "), text + "!!"]
        )
    sents = list(t.sentences)
    words = sum(len(s.split()) for s in sents)
    for edit in rng.sample(["personal", "delete", "reorder", "synonym", "sign"], rng.randint(1, 3)):
        if edit == "personal" and t.lang == "en":
            story = _personal(rng, int(words * rng.uniform(0.1, 0.45)))
            sents.insert(rng.randint(0, len(sents)), story)
        elif edit == "delete" and len(sents) > 6:
            del sents[rng.randrange(len(sents))]
        elif edit == "reorder" and len(sents) > 3:
            i = rng.randrange(len(sents) - 1)
            sents[i], sents[i + 1] = sents[i + 1], sents[i]
        elif edit == "synonym":
            i = rng.randrange(len(sents))
            sents[i] = " ".join(SYNONYMS.get(w, w) for w in sents[i].split())
        elif edit == "sign":
            sents.append(f"Sincerely, {name}" if t.lang == "en" else name)
    return sep.join(sents)


def unique_text(rng: random.Random) -> str:
    """An individual comment: same topics and vocabulary as the campaigns, own wording."""
    lang = rng.choices(["en", "ar", "zh", "ru"], [0.94, 0.02, 0.02, 0.02])[0]
    topic = rng.choice(list(TOPICS))
    sents = _sentences(rng, lang, topic, rng.randint(30, 250))
    if lang == "en" and rng.random() < 0.5:
        sents.insert(rng.randint(0, len(sents)), _personal(rng, rng.randint(15, 60)))
    return ("" if lang == "zh" else " ").join(sents)


def generate(n: int, seed: int = 0) -> Iterator[tuple[dict[str, str], int]]:
    """Yield (row, campaign id or -1) for n submissions, deterministically for a seed."""
    rng = random.Random(seed)
    templates = make_templates(rng)
    weights = [1.0 / (k + 1) ** 1.1 for k in range(len(templates))]  # Zipf-like campaign sizes
    start = datetime(2026, 9, 1, tzinfo=UTC)
    bursts = [
        [start + timedelta(days=rng.uniform(0, 60)) for _ in range(rng.randint(1, 3))]
        for _ in templates
    ]
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < CAMPAIGN_SHARE:
            c = rng.choices(range(len(templates)), weights)[0]
            text = member_text(rng, templates[c], name)
            when = rng.choice(bursts[c]) + timedelta(minutes=rng.expovariate(1 / 90))
            domain = templates[c].domain if rng.random() < 0.3 else rng.choice(DOMAINS)
        else:
            c = -1
            text = unique_text(rng)
            when = start + timedelta(days=rng.uniform(0, 60))
            domain = rng.choice(DOMAINS)
        row = {
            "id": f"sub-{i:07d}",
            "text": text,
            "author": name,
            "organisation": rng.choice(ORGS),
            "stakeholder_group": rng.choices(GROUPS, [60, 15, 10, 5, 4, 4, 2])[0],
            "country": rng.choice(COUNTRIES),
            "date": when.isoformat(timespec="seconds"),
            "email_domain": domain,
        }
        yield row, c


def write(path: Path, n: int, seed: int = 0) -> npt.NDArray[np.int64]:
    """Write n rows to `path` (.csv or .jsonl) and `path.truth.npy`; return the truth labels."""
    truth = np.empty(n, dtype=np.int64)
    with path.open("w", encoding="utf-8", newline="") as f:
        if path.suffix == ".jsonl":
            for k, (row, c) in enumerate(generate(n, seed)):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                truth[k] = c
        else:
            w = csv.DictWriter(f, fieldnames=FIELDS)
            w.writeheader()
            for k, (row, c) in enumerate(generate(n, seed)):
                w.writerow(row)
                truth[k] = c
    np.save(truth_path(path), truth)
    return truth


def truth_path(path: Path) -> Path:
    """Where `write` keeps the truth labels of `path`."""
    return path.with_name(path.name + ".truth.npy")


def main(argv: list[str]) -> int:
    """`python -m bench.corpus N PATH [--seed S]`."""
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    n, path = int(argv[0]), Path(argv[1])
    truth = write(path, n, seed)
    share = float((truth >= 0).mean()) if n else 0.0
    print(f"wrote {n} rows to {path}; {share:.0%} in {len(set(truth.tolist()) - {-1})} campaigns")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
