"""강의 슬라이드를 헤드리스 Chromium으로 넘겨 봅니다.

``scripts/slides.py`` 로 슬라이드를 새로 만듭니다: 빠른 모드로 만든 테스트 책
(``_build/test/_build/jupyter_execute``, scripts/test.sh 의 4단계)의 실행 결과를 그대로 씁니다. 그 결과가 없거나
원본과 코드가 다른 장이 있으면 노트북을 여기서 실행하지 않고 (오래 걸림) 바로 실패합니다.
슬라이드는 책과 섞이지 않도록 ``_build/test/slides/`` 에 두고, 스크린샷은 ``_build/test/slides-screenshots/`` 에 남깁니다.
환경 변수 ``CNNBOOK_SLIDES`` 로 이미 만든 슬라이드 폴더를 가리키면 만들지 않고 그것을 엽니다.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser_support import block_outside, chromium, serve

ROOT = Path(__file__).resolve().parents[2]
TEST_BUILD = ROOT / "_build" / "test"
SCREENSHOTS = TEST_BUILD / "slides-screenshots"
WIDTH, HEIGHT = 1280, 720
MAX_SLIDES = 35  # 75분 강의 하나에 넘길 수 있는 슬라이드
# 지금 슬라이드에 보이는 코드와, 제목이나 그림이 있는지
SLIDE_FACTS = """() => {
  const slide = Reveal.getCurrentSlide();
  const visible = el => !el.closest('aside.notes') && el.getClientRects().length > 0;
  const code = Array.from(slide.querySelectorAll('.jp-InputArea pre, .input_area pre, .highlight pre'))
    .filter(visible).map(p => p.textContent);
  const heading = Array.from(slide.querySelectorAll('h1, h2, h3, h4')).some(visible);
  const figure = Array.from(slide.querySelectorAll('img, canvas, svg:not(mjx-container svg)')).some(visible);
  return {code, heading, figure};
}"""
CHECK_OR_PROSE = re.compile(r"^\s*assert\b|\bMarkdown\(", re.M)
HANGUL = re.compile("[\uac00-\ud7a3]")


def toc_notebooks() -> list[Path]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [ROOT / (c["file"] + ".ipynb") for p in toc.get("parts", []) for c in p.get("chapters", [])]
    return [f for f in files if f.suffix == ".ipynb" and f.is_file()]


NOTEBOOKS = toc_notebooks()  # 목차의 장마다 슬라이드 하나

# 지금 보이는 슬라이드의 내용이 차지하는 상자 (발표자 노트 제외), 슬라이드 틀(.slides) 기준
CONTENT_BOX = """() => {
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
  const slide = Reveal.getCurrentSlide();
  const scale = Reveal.getScale();
  let box = null;
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest('aside.notes') || el.closest('mjx-assistive-mml')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    box = box ? {left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                 right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom)}
              : {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }
  if (!box) return null;
  return {left: (box.left - frame.left) / scale, top: (box.top - frame.top) / scale,
          right: (box.right - frame.left) / scale, bottom: (box.bottom - frame.top) / scale};
}"""


EXECUTED = TEST_BUILD / "_build" / "jupyter_execute"  # 빠른 모드 테스트 책이 남긴 실행된 노트북
# slides.py 가 실행된 노트북을 찾는 곳 (테스트 책, 그리고 bash scripts/book.sh 로 만든 책)
SEARCHED = (EXECUTED, ROOT / "_build" / "jupyter_execute")


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "code"]


def unexecuted() -> list[str]:
    """실행된 결과가 없거나 원본과 코드가 달라진 장 (슬라이드를 만들려면 노트북을 다시 실행해야 함)."""
    def ready(nb: Path) -> bool:
        found = [folder / nb.relative_to(ROOT) for folder in SEARCHED]
        return any(f.is_file() and code_cells(f) == code_cells(nb) for f in found)

    return [nb.stem for nb in NOTEBOOKS if not ready(nb)]


@pytest.fixture(scope="module")
def decks() -> Path:
    given = os.environ.get("CNNBOOK_SLIDES")
    if given:
        return Path(given)
    # 노트북을 여기서 실행하면 아주 오래 걸리므로, 실행된 결과가 없으면 바로 실패합니다 (만들어진 책이 없을 때와 같이)
    stale = unexecuted()
    if stale:
        pytest.fail(
            f"슬라이드를 만들 실행된 노트북이 없거나 낡았습니다 ({EXECUTED}): {', '.join(stale)}. "
            "먼저 빠른 모드로 테스트 책을 만드세요: "
            "CNNBOOK_FAST=1 .venv/bin/jupyter-book build . --path-output _build/test "
            "(bash scripts/test.sh 의 4단계). 또는 이미 만든 슬라이드 폴더를 환경 변수 CNNBOOK_SLIDES 로 가리키세요 "
            "(예: bash scripts/slides.sh 로 만든 _build/html/slides).",
            pytrace=False,
        )
    out = TEST_BUILD / "slides"
    if out.exists():
        shutil.rmtree(out)
    env = dict(os.environ, CNNBOOK_FAST="1")
    if not env.get("CNNBOOK_DATA") and (ROOT.parent / "shared" / "data").is_dir():
        env["CNNBOOK_DATA"] = str(ROOT.parent / "shared" / "data")
    run = subprocess.run(  # slides.sh 는 필요하면 nbconvert 를 설치합니다
        ["bash", str(ROOT / "scripts" / "slides.sh"), "--out", str(out), "--executed", str(EXECUTED),
         "--no-execute"],  # 노트북은 실행하지 않음 (위에서 실행된 결과가 모두 있는지 확인함)
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert run.returncode == 0, f"슬라이드를 만들지 못했습니다:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def server(decks):
    with serve(decks) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def title_of(notebook: Path) -> str:
    first = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"]
    text = "".join(first) if isinstance(first, list) else first
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def test_every_chapter_has_a_deck(decks):
    missing = [nb.stem for nb in NOTEBOOKS if not (decks / f"{nb.stem}.html").is_file()]
    assert not missing, f"슬라이드가 없는 장: {missing}"
    assert (decks / "index.html").is_file()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_deck_offline_fits_and_moves(browser, server, decks, notebook):
    name = notebook.stem
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="ko-KR")
    page = context.new_page()
    outside, errors = [], []
    block_outside(page, outside, allowed_schemes=("data:", "blob:"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status}: {r.url}"))
    page.goto(f"{server}/{name}.html", wait_until="networkidle")
    ready = "document.body.dataset.deckReady && document.body.dataset.mathReady"
    page.wait_for_function(ready, timeout=30000)

    shots = SCREENSHOTS / name
    if shots.exists():
        shutil.rmtree(shots)
    shots.mkdir(parents=True)

    # 제목 슬라이드
    assert page.evaluate("Reveal.isFirstSlide()")
    heading = page.locator("section.present h1").first
    assert heading.is_visible(), "제목 슬라이드에 제목이 보이지 않습니다"
    assert title_of(notebook) in heading.inner_text()

    total = page.evaluate("Reveal.getTotalSlides()")
    assert total >= 3, f"슬라이드가 {total}장뿐입니다"
    seen, overflow, checks_shown, bare, code_slides = set(), [], [], [], 0
    for number in range(total):
        if number:
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(120)
        indices = page.evaluate("JSON.stringify(Reveal.getIndices())")
        seen.add(indices)
        box = page.evaluate(CONTENT_BOX)
        if box and (box["left"] < -1 or box["top"] < -1 or box["right"] > WIDTH + 1
                    or box["bottom"] > HEIGHT + 1):
            overflow.append(f"{number + 1}번 슬라이드 {indices}: {box}")
        facts = page.evaluate(SLIDE_FACTS)
        code_slides += bool(facts["code"])
        if any(CHECK_OR_PROSE.search(code) for code in facts["code"]):
            checks_shown.append(f"{number + 1}번 {indices}")
        if not (facts["heading"] or facts["figure"]):
            bare.append(f"{number + 1}번 {indices}")
        page.screenshot(path=str(shots / f"{number + 1:03d}.png"))
    last = page.evaluate("Reveal.isLastSlide()")
    notes = page.evaluate(
        "Array.from(document.querySelectorAll('.reveal .slides > section')).map(s => "
        "[!!s.querySelector('h2'), Array.from(s.querySelectorAll('aside.notes')).map(a => a.textContent)"
        ".join(' ').trim().length])"
    )
    math_errors = page.locator("mjx-merror").count()
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length"
    )
    text = page.evaluate("document.querySelector('.reveal .slides').textContent")
    context.close()

    assert not outside, f"밖으로 나간 요청: {outside[:5]}"
    assert not errors, f"페이지 오류: {errors[:5]}"
    assert len(seen) == total and last, f"→ 키로 {len(seen)}/{total}장만 넘겼습니다"
    assert not overflow, "1280×720을 넘는 슬라이드:\n" + "\n".join(overflow[:10])
    assert total <= MAX_SLIDES, f"슬라이드가 {total}장으로 강의 하나({MAX_SLIDES}장)를 넘습니다"
    assert code_slides > 0, "코드가 보이는 슬라이드가 하나도 없습니다 (코드를 찾는 선택자가 틀렸을 수 있음)"
    assert not checks_shown, f"assert나 Markdown( 코드를 보이는 슬라이드: {checks_shown[:8]}"
    assert not bare, f"제목도 그림도 없는 슬라이드: {bare[:8]}"
    assert not math_errors, f"수식 오류 {math_errors}개"
    assert not broken, f"불러오지 못한 그림 {broken}개"
    assert len(HANGUL.findall(text)) > 100, "한국어 내용이 거의 없습니다"
    sections = [n for has_h2, n in notes if has_h2]
    assert sections and all(n > 0 for n in sections), f"발표자 노트가 없는 절이 있습니다: {notes}"
