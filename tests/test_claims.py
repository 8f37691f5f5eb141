"""글에 손으로 적은 측정값이 없습니다 (issue 15).

측정값(정확도, 시간, 크기, 개수, 비율)은 셀이 계산해 Markdown 출력이나 glue로 넣습니다. 그래야 빠른 모드의 책과
전체 모드의 책이 모두 참입니다. 이 테스트는 노트북의 마크다운 셀에서 측정값처럼 보이는 숫자를 찾아, 아래의 작은
허용 목록(사실이나 약속)에 들지 않으면 실패합니다. 코드(`…`, ``` 블록), 수식($…$), 링크 주소는 보지 않습니다.

측정값처럼 보이는 것: 퍼센트(99%, +1.2%p), 어림말이 붙은 수(약 138MB, 7,500장 남짓, 두 배쯤, 99% 넘게),
크기 단위(MB, GB), 만·억 단위의 개수(325만 개), 시간(12분, 3.8초), 소수 배수(2.27배, 1/3.4), 소수 둘째 자리
이상(0.985; 0.0으로 시작하는 학습률 같은 작은 설정값은 빼고).
28×28, 5×5, 60,000장, 4.2.1절, 1024개처럼 구조나 데이터의 사실인 수는 이 모양에 들지 않으므로 허용 목록이 필요 없습니다.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

NUM = r"\d[\d,]*(?:\.\d+)?"
APPROX_AFTER = r"(?:남짓|쯤|가량|정도|안팎|가까이|넘게|이상으로|미만으로)"
MEASUREMENT = {
    "퍼센트": NUM + r"\s*(?:%p?|퍼센트)",
    "어림(앞)": r"(?:약|대략|거의)\s*" + NUM,
    "어림(뒤)": NUM + r"\s*[가-힣A-Za-z]{0,3}\s?" + APPROX_AFTER,
    "크기": NUM + r"\s*(?:[KMGT]i?B|바이트)",
    "만·억 개수": NUM + r"\s?(?:만|억)(?=\s*(?:개|장|번|회|단계|명))",
    "시간": NUM + r"\s*(?:초|분|시간|밀리초|ms)(?![가-힣])|" + NUM + r"(?:초|시간)(?=[가-힣])|" + NUM + r"분(?=[가-힣])(?!의)",
    "배수": r"\d+\.\d+\s?배(?![가-힣])|\d+\.\d+배|1/\d+\.\d+",
    "어림 배수": r"(?:두|세|네|다섯|여섯|일곱|여덟|아홉|열|몇)\s*배\s*(?:쯤|정도|가량|가까이|남짓|넘게|이상)",
    "소수": r"(?<![\d.])(?!0\.0)\d+\.\d{2,}(?![\d.])",
}

# 허용 목록: (정규식, 이유, 예). 맞는 부분은 검사 전에 지웁니다. 작게, 하나하나 이유와 함께.
ALLOWED = [
    (r"95% 구간", "모든 비교에 붙이는 신뢰 구간의 수준 (cnnbook.stats.paired_difference의 약속)", "차이의 95% 구간"),
    (r"=\s*" + NUM + r"\s*[가-힣%]*", "같은 문장에 적힌 계산식의 결과 (읽으며 확인할 수 있음)", "(1+3+5+6)/4 = 3.75를"),
    (r"\| airbench9\d \|[^\n]*", "참고 문헌에 있는 공개 기록(airbench)을 옮긴 표의 행: 이 책이 잰 값이 아님",
     "| airbench94 | 94.01% | 3.83초 |"),
]


def prose(markdown: str) -> str:
    """마크다운에서 코드, 수식, 링크 주소, 주석, 허용 목록을 뺀 글."""
    text = re.sub(r"```.*?```|~~~.*?~~~", " ", markdown, flags=re.S)
    text = re.sub(r"\{[a-z:-]+\}`[^`]*`", " ", text)  # {glue:text}`name` 같은 역할
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    for pattern, _, _ in ALLOWED:
        text = re.sub(pattern, " ", text)
    return text


def typed_measurements(markdown: str) -> list[str]:
    """측정값처럼 보이는 부분을 (종류: 앞뒤 글) 목록으로."""
    text = prose(markdown)
    found = []
    for kind, pattern in MEASUREMENT.items():
        for match in re.finditer(pattern, text):
            context = text[max(0, match.start() - 20): match.end() + 12].replace("\n", " ").strip()
            found.append(f"{kind} '{match.group().strip()}': …{context}…")
    return found


def markdown_cells(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c.get("id", "?"), "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown"]


# ---- self-test ----
TYPED = [
    "이 모델은 테스트 이미지의 99% 넘게 맞힙니다.",
    "가중치 파일은 약 138MB입니다.",
    "검증에서 틀린 이미지는 7,500장 남짓입니다.",
    "매개변수는 약 325만 개, 정확히는 327만 개입니다.",
    "학습 시간은 두 배쯤 늘어납니다.",
    "오차가 1/3.4로 줄었습니다.",
    "한 에포크에 12분이 걸렸습니다.",
    "정확도는 0.985입니다.",
    "배치 정규화로 +1.2%p 좋아졌습니다.",
    "2.27배 빠릅니다.",
    "CPU에서 3.8초가 걸렸습니다.",
]
FACTS = [
    "28×28 이미지에 5×5 필터 32개, 2×2 최대 풀링을 씁니다. 채널은 32, 64, 출력은 1024개와 10개입니다.",
    "학습 이미지 60,000장 가운데 마지막 5,000장은 검증용이고 55,000장으로 학습합니다. 테스트 이미지는 10,000장입니다.",
    "4.2.1절에서 본 것처럼 1950–60년대의 실험입니다. CIFAR-10은 32×32 컬러 이미지 50,000장입니다.",
    "드롭아웃 rate 0.5, 픽셀 값 0–255, 매개변수 803,840개와 832개, 스트라이드 2, 학습률 0.001, 남은 값은 2배로 키움.",
    "입력의 5×5만 봅니다. ReLU가 0만 내놓습니다. 창 1, 4, 5만 계산합니다.",
    "값은 `accuracy = 0.985`이고 $p = 0.05$이며 [링크](https://example.com/99%)입니다.",
    "{glue:text}`val_acc` 정확도의 차이와 95% 구간을 봅니다. 평균 풀링은 (1+3+5+6)/4 = 3.75를 남깁니다.",
    "# 4.3 CIFAR-10 분류\n\n### 3.1 배치 정규화와 bfloat16 배치 크기, 4분의 1로 줄어듭니다.",
]


@pytest.mark.parametrize("text", TYPED)
def test_checker_finds_typed_measurements(text):
    assert typed_measurements(text), f"잡아야 하는데 통과했습니다: {text}"


@pytest.mark.parametrize("text", FACTS)
def test_checker_passes_facts(text):
    assert typed_measurements(text) == []


@pytest.mark.parametrize("pattern, reason, example", ALLOWED)
def test_allowed_entries_have_reasons_and_match_their_example(pattern, reason, example):
    assert reason and re.search(pattern, example)


# ---- 실제 책 ----
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_typed_measurements_in_markdown(path):
    found = [f"셀 {cell}: {hit}" for cell, text in markdown_cells(path) for hit in typed_measurements(text)]
    assert not found, (
        f"{path.name}: 마크다운에 손으로 적은 측정값이 있습니다. 셀이 계산해 Markdown이나 glue로 넣으세요:\n"
        + "\n".join(found)
    )
