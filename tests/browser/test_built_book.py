"""만들어진 HTML 책을 실제 헤드리스 Chromium으로 열어, 독자가 보는 것을 검사합니다.

책은 먼저 만들어져 있어야 합니다 (scripts/test.sh 가 빠른 모드로 만듦). 위치는 환경 변수
``CNNBOOK_HTML`` (기본 ``_build/test/_build/html``). 페이지마다 스크린샷을 ``<html>/../screenshots/`` 에,
모은 콘솔 메시지를 ``<html>/../browser-console.txt`` 에 남깁니다.

페이지마다 실패하는 것:
- 밖(인터넷)으로 나가는 요청, 불러오지 못한 그림, 콘솔 오류와 페이지 오류 (예외 목록 없음),
  책이 직접 만든 스크립트(페이지 안의 스크립트, 재생기, widgets-config.js 등)가 낸 콘솔 경고
- 그려지지 않은 위젯 (`application/vnd.jupyter.widget-view+json` 스크립트마다 위젯 하나가 그려져야 함)
- MathJax 오류(`mjx-merror`), 제어 문자가 든 수식, 조판되지 않고 글로 남은 TeX(`$…$`, `\\frac`, `\\times`)
- `⚠️` 가 찍힌 셀 출력 (cnnbook이 오류를 알릴 때 쓰는 표시)
- 그림 문자(✅, 💡 같은 이모지와 딩뱃): 그림 문자 글꼴이 없는 컴퓨터(리눅스, 많은 교실 PC)에서 빈 상자로 보입니다
- 죽은 컨트롤: 보이는 ipywidget 입력(슬라이더, 선택 상자, 단추)을 바꿔도 다른 것이 아무것도 바뀌지 않는 것
  (파이썬 콜백이 있어야 움직이는 위젯은 노트북에서 `remove-output` 태그로 숨기고 재생기가 대신합니다)
- 코드 상자나 페이지 밖으로 나가는 긴 줄
- 펼치지 않아도 보이는 풀이의 출력 (풀이 셀 ``#@title 풀이`` 는 코드와 출력이 함께 접혀야 함)
- 글에 그대로 남은 ``**`` (굵게가 렌더링되지 않음: 예 "**99.28%**입니다")
- 한국어 낱말을 글자 중간에서 끊을 수 있는 표 칸 ("미니배/치")
- 사람이 읽기 어려운 날것의 수 (예: 6.4849853515625e-05)와 출력에 찍힌 이 컴퓨터의 경로 (예: /root/.cache/…)
- 번호 붙은 한국어 캡션("그림 N")이 없는 그림, 없거나 파일 경로인 대체 텍스트
- 출력에 남은 진행 막대 ("[03:21<00:00, 29.73단계/s]", 막대 글자), 잇달아 놓인 똑같은 접기 단추,
  출력에 찍힌 파이썬 객체의 표시 ("<Functional name=fast_cnn, built=True>")
- (장 페이지만) 그림 없이 너무 길게 이어지는 구간: 1280px 창에서 본문의 그림, 재생기, 캔버스 사이가
  ``MAX_STRETCH`` px(약 화면 일곱 개)를 넘는 곳 (글과 코드만 이어지면 독자가 지칩니다)

그림 속 글자 크기는 노트북을 실행할 때 잽니다 (cnnbook.figures.legibility: 본문 폭에서 10px 미만이면 ⚠️ 출력,
위의 ⚠️ 검사가 실패시킴). 본문의 그림마다 보이는 크기 그대로 찍은 스크린샷을 ``screenshots/figures/`` 에,
캡션 목록을 ``screenshots/figures.txt`` 에 남깁니다.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_support import block_outside, chromium, serve

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("CNNBOOK_HTML", ROOT / "_build" / "test" / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots"
CONSOLE_LOG = HTML.parent / "browser-console.txt"
HANGUL = re.compile("[\uac00-\ud7a3]")
PAGES = sorted(
    str(p.relative_to(HTML))
    for p in HTML.glob("**/*.html")
    if p.name not in {"genindex.html", "search.html", "index.html"}
    and not any(part.startswith((".", "_")) for part in p.relative_to(HTML).parts)
    and p.relative_to(HTML).parts[0] != "slides"  # 강의 슬라이드(scripts/slides.sh)는 따로 검사합니다
) if HTML.is_dir() else []

# 남이 만든 스크립트 (테마, MathJax, 위젯 관리자). 이들의 콘솔 *경고*는 기록만 하고, 오류는 똑같이 실패입니다.
MAX_STRETCH = 6000  # 장 페이지에서 그림 없이 이어져도 되는 가장 긴 구간 (px, 1280px 창)
PAGE_BUDGET = 3 * 2**20  # 페이지 HTML 하나(재생기의 장면 PNG 포함)의 크기 한도: 교실의 느린 망에서도 몇 초 안에

THIRD_PARTY = re.compile(
    r"/_static/(mathjax/|require\.min\.js|embed-amd\.js|scripts/|togglebutton\.js|copybutton\.js|clipboard\.min\.js|"
    r"sphinx-thebe\.js|doctools\.js|sphinx_highlight\.js|documentation_options\.js|design-tabs\.js|translations\.js|"
    r"searchtools\.js|language_data\.js|jquery|underscore|_sphinx_javascript_frameworks_compat\.js|slides/reveal)"
)
WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
RAW_TEX = re.compile(
    r"\\(frac|times|text|sqrt|mathrm|mathbf|left|right|cdot|sum|alpha|beta|sigma|approx|quad|hat|lfloor|rceil|le|ge)"
    r"(?![A-Za-z])|\$[^$\n]{0,120}[\\^_{}][^$\n]{0,120}\$"
)
# 그림 문자 글꼴이 없으면 빈 상자(□)로 보이는 글자: 기타 기호·딩뱃(U+2600–27BF)과 이모지(U+1F000–1FAFF)
PICTOGRAPH = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")

# 본문의 그림으로 볼 이미지: 보이고 폭이 80px 이상인 것 (JavaScript 함수)
FIGURE_IMAGE_JS = "im => im.checkVisibility() && im.getBoundingClientRect().width >= 80"

# 페이지 하나에서 한 번에 모으는 것 (JavaScript)
PAGE_FACTS = r"""
() => {
  const FIGURE_IMAGE = %(figure)s;
  const main = document.querySelector('main') || document.body;
  const scripts = Array.from(document.querySelectorAll('%(view)s'));
  const unrendered = scripts.filter(s => {
    const area = s.previousElementSibling;
    return !(area && area.classList.contains('widget-subarea') && area.querySelector('.jupyter-widgets, .widget-box, .widget-inline-hbox, .widget-image, .widget-html, .widget-label'));
  }).length;
  const prose = main.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-container, mjx-assistive-mml, textarea, .highlight, .cell_input, .MathJax').forEach(e => e.remove());
  const warned = Array.from(main.querySelectorAll('.cell_output, .output'))
    .filter(o => o.textContent.includes('\u26a0')).map(o => o.textContent.trim().slice(0, 160));
  const errorOutputs = Array.from(main.querySelectorAll('.cell_output .traceback, .cell_output .error, .output.traceback, .output.error'))
    .map(o => o.textContent.trim().slice(0, 160));
  let tex = [];
  try { if (window.MathJax && MathJax.startup && MathJax.startup.document) {
    for (const item of MathJax.startup.document.math) tex.push(String(item.math));
  } } catch (e) { tex = ['(MathJax 목록을 읽지 못함: ' + e + ')']; }
  const overflowing = Array.from(main.querySelectorAll('pre')).filter(p => {
    const style = getComputedStyle(p);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    return p.offsetParent !== null && p.scrollWidth > p.clientWidth + 2 && !scrolls;
  }).map(p => p.textContent.split('\n').sort((a, b) => b.length - a.length)[0].slice(0, 80));
  const shownSolutions = [];
  main.querySelectorAll('.cell').forEach(c => {
    const input = c.querySelector('.cell_input');
    if (!input || !input.textContent.trim().startsWith('#@title 풀이')) return;
    c.querySelectorAll('.cell_output').forEach(o => {
      // 닫힌 <details> 안은 레이아웃 상자가 남아도 보이지 않습니다: checkVisibility()가 그것까지 봅니다
      const visible = o.checkVisibility ? o.checkVisibility() : o.offsetParent !== null;
      if (visible && o.textContent.trim()) shownSolutions.push(o.textContent.trim().slice(0, 80));
    });
  });
  const stars = prose.textContent.match(/\S{0,15}\*\*\S{0,15}/g) || [];
  const splitWords = Array.from(main.querySelectorAll('td, th'))
    .filter(c => /[\uac00-\ud7a3]/.test(c.textContent) && getComputedStyle(c).wordBreak !== 'keep-all')
    .map(c => c.textContent.trim().slice(0, 30));
  const outputText = Array.from(main.querySelectorAll('.cell_output')).map(o => o.innerText).join('\n');
  const rawNumbers = outputText.match(/-?\d+\.\d{8,}(e[-+]?\d+)?/g) || [];
  const paths = outputText.match(/(\/root\/|\/home\/|\/tmp\/|\/Users\/|[A-Z]:\\Users)\S*/g) || [];
  // 그림: 본문의 보이는 그림(폭 80px 이상)마다 번호 붙은 한국어 캡션과, 파일 경로가 아닌 대체 텍스트가 있어야 합니다
  const uncaptioned = [], badAlt = [];
  Array.from(main.querySelectorAll('img')).filter(FIGURE_IMAGE).forEach(im => {
    const fig = im.closest('figure');
    const caption = fig && fig.querySelector('figcaption');
    const name = (im.getAttribute('src') || '').split('/').pop().slice(0, 24);
    if (!caption || !/그림\s*\d+/.test(caption.textContent) || !/[\uac00-\ud7a3]/.test(caption.textContent))
      uncaptioned.push(name);
    const alt = (im.getAttribute('alt') || '').trim();
    if (!/[\uac00-\ud7a3]/.test(alt) || alt.length < 10 || /_images\/|\.(png|gif|jpe?g|svg|webp)\b/i.test(alt))
      badAlt.push(`${name}: "${alt.slice(0, 40)}"`);
  });
  // 접힌 셀이 둘 이상 잇달아 있으면 똑같은 "숨긴 내용 보기" 단추가 줄지어 보입니다
  const folded = c => c && c.matches && c.matches('.cell.tag_hide-input, .cell.tag_hide-cell');
  const doubleToggles = Array.from(main.querySelectorAll('.cell.tag_hide-input, .cell.tag_hide-cell'))
    .filter(c => folded(c.nextElementSibling) && c.checkVisibility())
    .map(c => (c.querySelector('.cell_input') || c).textContent.trim().slice(0, 40));
  const reprs = outputText.match(/<(Functional|Sequential|Figure size|matplotlib\.|keras\.|tensorflow\.)[^>\n]{0,60}>/g) || [];
  const progress = outputText.match(/.{0,30}(\d+:\d\d<\d+:\d\d|[\u2588-\u258f]{2,}|\d+(\.\d+)?\s?(it|단계)\/s).{0,20}/g) || [];
  return {
    widgetScripts: scripts.length, unrendered, shownSolutions, stars, rawNumbers, paths, splitWords, uncaptioned, badAlt, progress, doubleToggles, reprs,
    merrors: document.querySelectorAll('mjx-merror').length,
    prose: prose.textContent, visible: main.innerText, warned, errorOutputs, tex, overflowing,
    pageWidth: document.documentElement.scrollWidth, viewWidth: window.innerWidth,
  };
}
""" % {"view": WIDGET_VIEW, "figure": FIGURE_IMAGE_JS}

# 보이는 ipywidget 입력을 찾아 번호를 붙입니다 (matplotlib 재생기는 .jupyter-widgets 밖이라 빠집니다).
FIND_CONTROLS = r"""
() => {
  const kinds = '.widget-slider, .widget-hslider, .widget-vslider, .widget-int-slider, .widget-dropdown, .widget-button, '
    + '.widget-toggle-button, .widget-toggle-buttons, .widget-checkbox, .widget-text, .widget-textarea, .widget-radio, '
    + '.widget-select, .widget-play';
  const raw = Array.from(document.querySelectorAll(
    kinds + ', .jupyter-widgets input, .jupyter-widgets select, .jupyter-widgets button, .jupyter-widgets textarea'));
  const controls = [];
  for (const el of raw) {
    const control = el.closest(kinds) || el;
    const box = control.getBoundingClientRect();
    const disabled = control.matches('.mod-disabled, [disabled]') || !!control.querySelector('[disabled]');
    if (!controls.includes(control) && control.offsetParent !== null && box.width > 0 && box.height > 0 && !disabled)
      controls.push(control);
  }
  controls.forEach((c, i) => c.setAttribute('data-cnnbook-control', String(i)));
  return controls.map(c => {
    const kind = (c.className.toString().match(/widget-[a-z-]+/) || [c.tagName.toLowerCase()])[0];
    const label = (c.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${kind} "${label}"`;
  });
}
"""

# 컨트롤 i 의 주변(같은 셀 출력) 상태: 컨트롤 자신을 뺀 위젯의 글, 값, 그림 주소
AROUND = r"""
(i) => {
  const control = document.querySelector('[data-cnnbook-control="' + i + '"]');
  const area = control.closest('.cell_output') || control.closest('.widget-subarea') || document.body;
  const parts = [];
  area.querySelectorAll('.jupyter-widgets, img, canvas, input, select, output').forEach(el => {
    if (control.contains(el) || el.contains(control)) return;
    if (el.tagName === 'IMG') parts.push(el.src.length + ':' + el.src.slice(-64));
    else if (el.tagName === 'CANVAS') { try { parts.push(el.toDataURL().length + el.toDataURL().slice(-64)); } catch (e) {} }
    else if ('value' in el && el.tagName !== 'OUTPUT') parts.push(String(el.value));
    else parts.push(el.textContent);
  });
  return parts.join('|');
}
"""


@pytest.fixture(scope="module")
def server():
    if not PAGES:
        pytest.fail(f"만들어진 책이 없습니다: {HTML}")
    CONSOLE_LOG.unlink(missing_ok=True)
    (SCREENSHOTS / "figures.txt").unlink(missing_ok=True)
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


class Console:
    """콘솔 메시지를 모읍니다: errors(모두 실패), own_warnings(책의 스크립트가 낸 경고, 실패), others(기록만)."""

    def __init__(self):
        self.errors, self.own_warnings, self.others = [], [], []

    def on_message(self, message):
        where = (message.location or {}).get("url", "")
        text = f"{message.type}: {message.text} ({where or '위치 모름'})"
        if message.type == "error":
            self.errors.append(text)
        elif message.type == "warning":
            (self.others if THIRD_PARTY.search(where) else self.own_warnings).append(text)
        else:
            self.others.append(text)


def open_page(browser, url):
    """페이지를 열고 (page, 밖으로 나간 요청, Console) 를 돌려줍니다."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    outside, console = [], Console()
    block_outside(page, outside)
    page.on("console", console.on_message)
    page.on("pageerror", lambda e: console.errors.append(f"pageerror: {e}"))
    page.on("response", lambda r: r.status >= 400 and console.errors.append(f"HTTP {r.status}: {r.url}"))
    page.goto(url, wait_until="networkidle")
    return page, outside, console


def wait_for_rendering(page) -> None:
    """MathJax 조판과 위젯 그리기가 끝날 때까지 (최대 20초) 기다립니다."""
    if page.locator(".math, mjx-container").count() > 0:
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
        page.evaluate("MathJax.startup.promise")
    if page.locator(WIDGET_VIEW).count():
        try:
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('%s')).every(s => s.previousElementSibling"
                " && s.previousElementSibling.classList.contains('widget-subarea')"
                " && s.previousElementSibling.children.length > 0)" % WIDGET_VIEW,
                timeout=20000,
            )
        except Exception:  # 그려지지 않은 위젯은 아래 검사가 개수로 알립니다
            pass
    page.wait_for_timeout(300)


def rendering_problems(page) -> list[str]:
    """위젯, 수식, 경고 출력, 넘치는 줄 검사. 문제 목록을 돌려줍니다."""
    facts = page.evaluate(PAGE_FACTS)
    problems = []
    if facts["unrendered"]:
        problems.append(f"위젯 {facts['widgetScripts']}개 가운데 {facts['unrendered']}개가 그려지지 않았습니다")
    if facts["merrors"]:
        problems.append(f"MathJax 오류 {facts['merrors']}개 (mjx-merror)")
    bad_tex = [t[:60] for t in facts["tex"] if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t)]
    if bad_tex:
        problems.append(f"제어 문자가 든 수식 (\\t, \\f 가 된 \\text, \\frac?): {bad_tex[:3]}")
    raw = sorted({m.group(0)[:40] for m in RAW_TEX.finditer(facts["prose"])})
    if raw:
        problems.append(f"조판되지 않은 TeX가 글에 남았습니다: {raw[:5]}")
    if facts["warned"]:
        problems.append(f"⚠️ 가 찍힌 출력: {facts['warned'][:3]}")
    glyphs = sorted(set(PICTOGRAPH.findall(facts["visible"])) - {"\u26a0"})
    if glyphs:
        problems.append(f"그림 문자 글꼴이 없으면 빈 상자로 보이는 글자: {glyphs[:8]}")
    if facts["errorOutputs"]:
        problems.append(f"오류 출력: {facts['errorOutputs'][:3]}")
    if facts["overflowing"]:
        problems.append(f"코드 상자 밖으로 나가는 줄: {facts['overflowing'][:3]}")
    if facts["shownSolutions"]:
        problems.append(f"펼치지 않아도 보이는 풀이의 출력: {facts['shownSolutions'][:3]}")
    if facts["stars"]:
        problems.append(f"글에 그대로 남은 ** (굵게가 렌더링되지 않음): {facts['stars'][:5]}")
    if facts["splitWords"]:
        problems.append(f"한국어 낱말을 글자 중간에서 끊을 수 있는 표 칸 (word-break: keep-all 이 아님): {facts['splitWords'][:3]}")
    if facts["rawNumbers"]:
        problems.append(f"사람이 읽기 어려운 날것의 수: {facts['rawNumbers'][:3]}")
    if facts["paths"]:
        problems.append(f"출력에 찍힌 이 컴퓨터의 경로: {facts['paths'][:3]}")
    if facts["uncaptioned"]:
        problems.append(f"번호 붙은 한국어 캡션(그림 N)이 없는 그림: {facts['uncaptioned'][:4]}")
    if facts["badAlt"]:
        problems.append(f"그림을 설명하지 않는 대체 텍스트(없거나 파일 경로): {facts['badAlt'][:3]}")
    if facts["doubleToggles"]:
        problems.append(f"똑같은 접기 단추가 잇달아 있습니다 (접힌 셀을 하나로 합치세요): {facts['doubleToggles'][:3]}")
    if facts["reprs"]:
        problems.append(f"출력에 찍힌 파이썬 객체의 표시 (셀의 마지막 식을 변수에 담으세요): {facts['reprs'][:3]}")
    if facts["progress"]:
        problems.append(f"출력에 남은 진행 막대: {facts['progress'][:3]}")
    if facts["pageWidth"] > facts["viewWidth"] + 2:
        problems.append(f"페이지가 가로로 넘칩니다: {facts['pageWidth']}px > {facts['viewWidth']}px")
    return problems


# 본문에서 그림(이미지, 재생기, 캔버스) 사이의 가장 긴 구간: [길이 px, 시작 px, 본문 높이 px]
PICTURE_GAP = """() => {
  const main = document.querySelector('main article') || document.querySelector('main') || document.body;
  const top0 = main.getBoundingClientRect().top + window.scrollY;
  const pictures = [...main.querySelectorAll('img, svg.cnnbook, canvas, video, .cnnbook-player')]
    .map(e => e.getBoundingClientRect()).filter(r => r.width >= 100 && r.height >= 60)
    .map(r => [r.top + window.scrollY - top0, r.bottom + window.scrollY - top0]).sort((a, b) => a[0] - b[0]);
  const height = main.scrollHeight;
  let last = 0, longest = 0, at = 0;
  for (const [top, bottom] of pictures) {
    if (top - last > longest) { longest = top - last; at = last; }
    last = Math.max(last, bottom);
  }
  if (height - last > longest) { longest = height - last; at = last; }
  return [Math.round(longest), Math.round(at), Math.round(height)];
}"""


def picture_gap_problem(page) -> str | None:
    """그림 없이 ``MAX_STRETCH`` px보다 길게 이어지는 구간이 있으면 그 설명."""
    longest, at, height = page.evaluate(PICTURE_GAP)
    if longest > MAX_STRETCH:
        return (f"그림 없이 {longest:,}px 이어지는 구간 ({at:,}px부터, 본문 {height:,}px; 한도 {MAX_STRETCH:,}px): "
                "그 사이에 그림이나 결과 그래프를 앞당기세요")
    return None


def _act(page, index: int) -> None:
    """컨트롤 하나를 사람처럼 바꿉니다: 슬라이더는 화살표 키, 선택 상자는 다른 항목, 단추와 체크 상자는 누르기."""
    control = page.locator(f'[data-cnnbook-control="{index}"]')
    select = control.locator("select")
    if control.evaluate("c => c.tagName") == "SELECT" or select.count():
        target = control if control.evaluate("c => c.tagName") == "SELECT" else select.first
        options = target.locator("option")
        current = target.evaluate("s => s.selectedIndex")
        if options.count() > 1:
            target.select_option(index=(current + 1) % options.count())
        return
    handle = control.locator(".ui-slider-handle, .noUi-handle, input[type=range]")
    if handle.count():
        handle.first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        return
    text = control.locator("input[type=text], input[type=number], textarea")
    if text.count():
        value = text.first.input_value()
        text.first.fill(str(int(value) + 1) if value.lstrip("-").isdigit() else value + "1")
        text.first.press("Enter")
        return
    clickable = control.locator("button, input[type=checkbox]")
    (clickable.first if clickable.count() else control).click()


def dead_controls(page) -> list[str]:
    """보이는 ipywidget 입력마다, 바꿨을 때 주변(다른 위젯, 그림)이 바뀌는지 봅니다. 안 바뀌는 것의 목록."""
    kinds = page.evaluate(FIND_CONTROLS)
    dead = []
    for index, kind in enumerate(kinds):
        before = page.evaluate(AROUND, index)
        try:
            _act(page, index)
        except Exception as error:  # 누를 수 없는 컨트롤도 죽은 것입니다
            dead.append(f"{kind} (조작 실패: {str(error)[:60]})")
            continue
        page.wait_for_timeout(400)
        if page.evaluate(AROUND, index) == before:
            dead.append(kind)
    return dead


def save_figure_shots(page, page_name: str) -> None:
    """본문의 그림마다 화면에 보이는 크기 그대로(1:1) 스크린샷을 ``screenshots/figures/`` 에 남기고,
    캡션과 함께 ``figures.txt`` 에 적습니다 (사람이 한눈에 훑어보는 용도)."""
    folder = SCREENSHOTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    stem = page_name.replace("/", "__").removesuffix(".html")
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    images = page.locator("main img")
    lines = []
    for k in range(images.count()):
        image = images.nth(k)
        if not image.evaluate(f"({FIGURE_IMAGE_JS})"):
            continue
        path = folder / f"{stem}-{len(lines) + 1:02d}.png"
        image.scroll_into_view_if_needed()
        image.screenshot(path=str(path))
        caption = image.evaluate(
            "im => { const c = im.closest('figure') && im.closest('figure').querySelector('figcaption');"
            " return c ? c.innerText.replace(/\\s+/g, ' ').replace(/#$/, '').trim() : '(캡션 없음)'; }")
        width = image.evaluate("im => [Math.round(im.getBoundingClientRect().width), im.naturalWidth]")
        lines.append(f"{path.name}\t보이는 폭 {width[0]}px (원래 {width[1]}px)\t{caption}")
    with (SCREENSHOTS / "figures.txt").open("a", encoding="utf-8") as index:
        index.writelines(line + "\n" for line in lines)


# ---------------------------------------------------------------- 책의 페이지들

@pytest.mark.parametrize("page_name", PAGES)
def test_page_loads_offline_and_renders(browser, server, page_name):
    page, outside, console = open_page(browser, f"{server}/{page_name}")
    wait_for_rendering(page)
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
    )
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    problems = rendering_problems(page)
    if page_name.startswith("notebooks/"):  # 장 페이지만 (소개, 용어집 같은 글 페이지는 빼고)
        problems += [p for p in [picture_gap_problem(page)] if p]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / (page_name.replace("/", "__") + ".png")), full_page=True)
    save_figure_shots(page, page_name)
    dead = dead_controls(page)
    # 아이콘: 테마의 <i class="fa-..."> 가 모두 SVG로 바뀌어야 합니다 (책이 쓰는 아이콘만 담은 번들, _ext/book_assets.py)
    icons = page.evaluate(
        "() => ({drawn: document.querySelectorAll('svg.svg-inline--fa:not(.missing)').length,"
        " missing: Array.from(document.querySelectorAll('.missing, i[class*=\"fa-\"]'))"
        ".map(e => (e.closest('svg') || e).getAttribute('data-icon') || String(e.className.baseVal ?? e.className))})"
    )
    # 위젯 보기가 하나도 없는 페이지는 위젯 자바스크립트(약 3.5 MB)를 받지 않아야 합니다 (_ext/book_assets.py)
    idle_widget_js = page.evaluate(
        "() => document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]') ? [] :"
        " Array.from(document.scripts).map(s => s.src).filter(src => /embed-amd|widgets-config/.test(src))"
    )
    page.context.close()
    with CONSOLE_LOG.open("a", encoding="utf-8") as log:
        for line in console.errors + console.own_warnings + console.others:
            log.write(f"{page_name}: {line}\n")

    assert not outside, f"밖으로 나간 요청: {outside[:5]}"
    size = (HTML / page_name).stat().st_size
    assert size <= PAGE_BUDGET, f"페이지가 {size / 2**20:.1f} MB로 한도 {PAGE_BUDGET / 2**20:.0f} MB보다 큽니다 (장면 수나 크기를 줄이세요)"
    assert not broken, f"불러오지 못한 그림: {broken}"
    assert len(HANGUL.findall(text)) > 50, "한국어 본문이 거의 없습니다"
    assert not console.errors, f"콘솔 오류: {console.errors[:12]}"
    assert not console.own_warnings, f"책의 스크립트가 낸 콘솔 경고: {console.own_warnings[:12]}"
    assert not problems, "\n".join(problems)
    assert icons["drawn"] > 5 and not icons["missing"], f"아이콘으로 바뀌지 않은 것: {icons}"
    assert not idle_widget_js, f"위젯 보기가 없는데 위젯 스크립트를 받습니다: {idle_widget_js}"
    assert not dead, (
        f"움직이지 않는 컨트롤 {len(dead)}개: {dead[:6]} — 파이썬이 있어야 움직이는 위젯 셀에는 remove-output 태그를 "
        "달고 재생기가 대신하게 하세요"
    )


def test_search_page_finds_korean_words(browser, server):
    # 다른 페이지에서는 searchindex.js 를 빼므로(_ext/book_assets.py), 찾기 페이지가 스스로 색인을 읽는지 봅니다.
    page, outside, console = open_page(browser, f"{server}/search.html?q=%ED%95%A9%EC%84%B1%EA%B3%B1")  # 합성곱
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    found = page.locator("#search-results ul.search li").count()
    content = page.evaluate("() => Array.from(document.scripts).filter(s => /searchindex/.test(s.src)).length")
    page.context.close()
    other, _, _ = open_page(browser, f"{server}/notebooks/04_2_1_convolution.html")
    elsewhere = other.evaluate("() => Array.from(document.scripts).filter(s => /searchindex/.test(s.src)).length")
    other.context.close()
    assert not outside and not console.errors, (outside, console.errors)
    assert found > 0 and content == 1, (found, content)
    assert elsewhere == 0, "찾기 페이지가 아닌 곳에서 searchindex.js 를 받습니다"


def test_footer_names_the_authors_naturally(browser, server):
    # 테마의 "By <저자>"는 한국어로 "으로 <저자>"가 되므로 저자 칸을 비우고 바닥글에 직접 적습니다 (_config.yml).
    page, _, _ = open_page(browser, f"{server}/{PAGES[0]}")
    # 페이지에는 footer가 셋 있습니다 (이전/다음, 바닥글 내용, 바닥글): 모두 봅니다
    footer = page.evaluate("() => Array.from(document.querySelectorAll('footer')).map(f => f.innerText).join('\\n')")
    page.context.close()
    assert "만든이: 합성곱 신경망 교재 만든이들" in footer, footer
    assert "으로 " not in footer.split("만든이:")[0], footer


def test_notebook_pages_offer_colab(browser, server):
    notebook_pages = [p for p in PAGES if p.startswith("notebooks/")]
    assert notebook_pages, "노트북 페이지가 없습니다"
    for name in notebook_pages:
        page, _, _ = open_page(browser, f"{server}/{name}")
        assert page.locator('a[href*="colab.research.google.com"]').count() > 0, f"{name}: Colab 단추가 없습니다"
        page.context.close()


def test_widgets_and_players_move_without_a_kernel(browser, server):
    """재생기가 있는 페이지에서 '다음 장면' 단추를 누르면 그림이 바뀌어야 합니다."""
    checked = 0
    for name in [p for p in PAGES if p.startswith("notebooks/")]:
        page, _, _ = open_page(browser, f"{server}/{name}")
        players = page.locator("div.animation")
        for index in range(players.count()):
            player = players.nth(index)
            image = player.locator("img").first
            before = image.get_attribute("src")
            player.locator("button[title='다음 장면']").first.click()
            page.wait_for_timeout(200)
            if image.get_attribute("src") == before:  # 기본 장면이 마지막 장면이면
                player.locator("button[title='첫 장면']").first.click()
                page.wait_for_timeout(200)
            assert image.get_attribute("src") != before, f"{name}: 재생기 {index + 1}가 움직이지 않습니다"
            checked += 1
        page.context.close()
    assert checked > 0, "움직여 볼 재생기가 하나도 없습니다"


# ---------------------------------------------------------------- 검사가 실패할 수 있다는 것 (작은 가짜 페이지)

def _synthetic(browser, body: str):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    console = Console()
    page.on("console", console.on_message)
    page.set_content(f"<html><body><main>{body}</main></body></html>")
    page.wait_for_timeout(100)
    return page, console


PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="  # 1×1 그림
CAPTION = "<figcaption><p><span class='caption-number'>그림 3 </span>숫자 3의 특징 맵</p></figcaption>"
GOOD = ("<p>합성곱은 곱해서 더합니다.</p><div class='cell_output'><pre>정확도 0.98</pre></div>"
        f"<figure><img src='{PIXEL}' width='200' height='40' alt='숫자 3과 그 특징 맵이 나란히 놓인 그림'>{CAPTION}</figure>"
        "<div class='cell tag_hide-input'><div class='cell_input'>a = 1</div></div><p>사이의 글</p>"
        "<div class='cell tag_hide-input'><div class='cell_input'>b = 2</div></div>")


FOLDED_SOLUTION = """<div class='cell'><details><summary>풀이 보기</summary><div class='cell_input'><pre>#@title 풀이
x = 13</pre></div><div class='cell_output'><pre>답: 13</pre></div></details></div>"""


def test_self_test_folded_solution_passes(browser):
    page, _ = _synthetic(browser, FOLDED_SOLUTION)
    assert rendering_problems(page) == []
    page.context.close()


def test_self_test_clean_page_passes(browser):
    page, console = _synthetic(browser, GOOD)
    assert rendering_problems(page) == [] and dead_controls(page) == [] and not console.errors
    page.context.close()


@pytest.mark.parametrize("body,expected", [
    ("<mjx-merror>Undefined control sequence</mjx-merror>", "MathJax 오류"),
    ("<p>출력 크기는 $\\frac{n}{s}$ 입니다</p>", "조판되지 않은 TeX"),
    ("<p>2 \\times 3</p>", "조판되지 않은 TeX"),
    ("<div class='cell_output'><pre>⚠️ 데이터가 없습니다</pre></div>", "⚠️"),
    ("<div class='cell_output'><pre>✅ 맞습니다</pre></div>", "빈 상자"),
    ("<p>힌트 💡 를 보세요</p>", "빈 상자"),
    (f"<div><{'script'} type='application/vnd.jupyter.widget-view+json'>{{}}</{'script'}></div>", "그려지지 않았습니다"),
    ("<pre style='white-space: pre; overflow: visible; width: 200px'>" + "x = 1 + " * 60 + "</pre>", "코드 상자 밖"),
    ("<div class='cell'><div class='cell_input'><pre>#@title 풀이\nx = 13</pre></div>"
     "<div class='cell_output'><pre>답: 13</pre></div></div>", "풀이의 출력"),
    ("<p>정확도는 **99.28%**입니다</p>", "그대로 남은 **"),
    ("<div class='cell_output'><pre>최대 차이 6.4849853515625e-05</pre></div>", "날것의 수"),
    ("<table><tr><td style='word-break: normal'>미니배치</td></tr></table>", "끊을 수 있는 표 칸"),
    ("<div class='cell_output'><pre>저장: /root/.cache/cnnbook/mnist_cnn.weights.npz</pre></div>", "경로"),
    (f"<img src='{PIXEL}' width='200' height='40' alt='숫자 3과 그 특징 맵이 나란히 놓인 그림'>", "캡션"),
    (f"<figure><img src='{PIXEL}' width='200' height='40' alt='../_images/bf8911.png'>{CAPTION}</figure>", "대체 텍스트"),
    ("<div class='cell_output'><pre>학습: 100%|██████████| 600/600 [03:21<00:00, 29.73단계/s]</pre></div>", "진행 막대"),
    ("<div class='cell tag_hide-input'><div class='cell_input'>a = 1</div></div>"
     "<div class='cell tag_hide-input'><div class='cell_input'>b = 2</div></div>", "접기 단추"),
    ("<div class='cell_output'><pre>&lt;Functional name=fast_cnn, built=True&gt;</pre></div>", "객체의 표시"),
])
def test_self_test_rendering_problems_fail(browser, body, expected):
    page, _ = _synthetic(browser, body)
    problems = rendering_problems(page)
    page.context.close()
    assert any(expected in p for p in problems), problems


def test_self_test_long_stretch_without_pictures_fails_and_a_picture_fixes_it(browser):
    wall = "<div style='height: 7000px'>글과 코드만 이어지는 구간</div>"
    page, _ = _synthetic(browser, wall)
    assert "그림 없이" in (picture_gap_problem(page) or "")
    page.context.close()
    half = "<div style='height: 3500px'>글</div>"
    picture = f"<figure><img src='{PIXEL}' width='400' height='200' alt='숫자 3의 특징 맵'>{CAPTION}</figure>"
    page, _ = _synthetic(browser, half + picture + half)
    assert picture_gap_problem(page) is None
    page.context.close()
    tiny = f"<img src='{PIXEL}' width='20' height='20' alt='작은 아이콘'>"  # 아이콘 크기는 그림으로 치지 않습니다
    page, _ = _synthetic(browser, half + tiny + half)
    assert picture_gap_problem(page) is not None
    page.context.close()


DEAD = """<div class='cell_output'><div class='jupyter-widgets widget-slider'>
<input type='range' min='0' max='9' value='3'></div><img src='data:image/png;base64,AAAA'></div>"""
LINKED = """<div class='cell_output'><div class='jupyter-widgets widget-slider'>
<input type='range' min='0' max='9' value='3'
 oninput="this.closest('.cell_output').querySelector('img').src='data:image/png;base64,BB'+this.value"></div>
<img src='data:image/png;base64,AAAA'></div>"""
DEAD_SELECT = """<div class='cell_output'><div class='jupyter-widgets widget-dropdown'><select>
<option>SAME</option><option>VALID</option></select></div><div class='jupyter-widgets'>특징 맵 28×28</div></div>"""


def test_self_test_dead_control_fails_and_linked_one_passes(browser):
    page, _ = _synthetic(browser, DEAD)
    assert len(dead_controls(page)) == 1
    page.context.close()
    page, _ = _synthetic(browser, DEAD_SELECT)
    assert len(dead_controls(page)) == 1
    page.context.close()
    page, _ = _synthetic(browser, LINKED)
    assert dead_controls(page) == []
    page.context.close()


def test_self_test_console_sorting(browser):
    page, console = _synthetic(browser, f"<{'script'}>console.warn('책 경고'); console.error('책 오류')</{'script'}>")
    page.context.close()
    assert any("책 오류" in e for e in console.errors)
    assert any("책 경고" in w for w in console.own_warnings)
