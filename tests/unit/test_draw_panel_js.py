"""그리기 판(draw_panel.js)의 순전파와 전처리를 헤드리스 Chromium에서 파이썬과 비교합니다.

- 테스트 숫자 1,000장: 브라우저의 top-1 이 케라스 모델(양자화 전 float32)과 99.5% 이상 같아야 합니다.
- 같은 획을 파이썬(PIL)과 브라우저(canvas)에서 그려 전처리한 28×28 이 0.05 안, top-1 이 같아야 합니다.
- 숫자로 보기 어려운 그림(점, 짧은 획, 빽빽한 낙서, 네 가장자리에 닿은 획)은 예측 대신 한국어 안내를 받고,
  판 크기로 키운 MNIST 테스트 숫자 2,000장은 거의 거절되지 않아야 합니다 (거절 비율을 출력).
Chromium이 없으면 건너뜁니다.
"""
from __future__ import annotations

import json
import os

import numpy as np
import pytest
from browser_support import chromium, serve

from cnnbook import digit_input, draw_panel
from cnnbook.errors import BookError
from cnnbook.drawn_digits import STROKES  # 숫자 모양의 획 (280×280 판 좌표): 1, 7, 0, 4, 3

N_DIGITS = 1000
N_REFUSAL_DIGITS = 2000
MAX_REFUSED = 2  # 테스트 숫자 2,000장 가운데 거절해도 되는 수 (0.1%)
REFUSED = "숫자로 보기 어렵습니다"
# 숫자로 보기 어려운 그림과 그 이유(judge 의 kind)
NOT_DIGITS = {
    "dot": ([[(140, 140)]], "small"),
    "tick": ([[(130, 130), (150, 145)]], "small"),
    "scribble": ([[(40 + (i % 2) * 200, 40 + i * 10) for i in range(21)]], "dense"),
    "hatch": ([[(40 + (i % 2) * 200, 40 + i * 15) for i in range(14)],
               [(40 + i * 15, 40 + (i % 2) * 200) for i in range(14)]], "dense"),
    "cross": ([[(0, 0), (280, 280)], [(280, 0), (0, 280)]], "edges"),
}


@pytest.fixture(scope="module")
def weights():
    """책의 학습된 가중치 (캐시; 없으면 빠른 모드로 짧게 학습)."""
    import cnnbook

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CNNBOOK_FAST", os.environ.get("CNNBOOK_FAST", "1"))
        return cnnbook.trained_mnist_cnn(verbose=False).get_weights()


@pytest.fixture(scope="module")
def masks(weights):
    """(fc1 의 살아 있는 행, 살아 있는 뉴런): 학습 이미지 10,000장에서 한 번이라도 0보다 컸던 pool2 입력과 fc1 뉴런."""
    import cnnbook
    from cnnbook import inside

    (x_train, _), _ = cnnbook.load_mnist()
    extractor = inside.feature_extractor(keras_model(weights), ("pool2", "fc1"))
    pool2, fc1 = inside.activations(extractor, x_train[:10_000] / 255.0)
    return draw_panel.active_inputs(pool2), draw_panel.active_units(fc1)


@pytest.fixture(scope="module")
def keep(masks):
    return masks[0]


@pytest.fixture(scope="module")
def units(masks):
    return masks[1]


@pytest.fixture(scope="module")
def page(tmp_path_factory, weights, keep, units):
    folder = tmp_path_factory.mktemp("panel")
    html = ("<!doctype html><meta charset='utf-8'><body>"
            + draw_panel.panel_html(weights, "panel-test", keep=keep, units=units) + "</body>")
    (folder / "index.html").write_text(html, encoding="utf-8")
    with serve(folder) as url, chromium() as browser:
        tab = browser.new_page()
        errors = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(f"{url}/index.html")
        tab.wait_for_function("document.getElementById('panel-test').dataset.ready === '1'", timeout=30_000)
        tab.errors = errors
        yield tab


def keras_model(weights):
    from cnnbook.mnist_model import build_keras_cnn

    model = build_keras_cnn(probabilities=True)
    model.set_weights(weights)
    return model


def test_js_forward_agrees_with_keras(page, weights, keep, units):
    import cnnbook

    (_, _), (x_test, _) = cnnbook.load_mnist()
    x = (x_test[:N_DIGITS] / 255.0).astype(np.float32)
    probs_js = np.array(page.evaluate(
        "xs => xs.map(x => window.cnnbookPanels['panel-test'].forward(Float32Array.from(x)).probs)",
        x.reshape(N_DIGITS, -1).round(5).tolist(),
    ))
    model = keras_model(weights)
    probs_keras = model.predict(x[..., None], verbose=0)
    agreement = float(np.mean(probs_js.argmax(1) == probs_keras.argmax(1)))
    # 양자화한 가중치로 계산한 케라스와는 확률까지 거의 같아야 합니다 (순전파 코드 자체의 확인)
    model.set_weights(draw_panel.dequantised(weights, keep, units))
    probs_quant = model.predict(x[..., None], verbose=0)
    report = {"agreement": agreement, "kept_rows": int(keep.sum()), "kept_units": int(units.sum()),
              "fc1": draw_panel.fc1_encoding(weights[4], keep, units)[1], "max_prob_diff_vs_quantised": float(np.abs(probs_js - probs_quant).max())}
    out = os.environ.get("CNNBOOK_PANEL_REPORT")
    if out:
        with open(out, "w") as f:
            json.dump(report, f)
    print(report)
    assert agreement >= 0.995, report
    assert report["max_prob_diff_vs_quantised"] < 1e-3, report
    assert not page.errors


def js_render_and_preprocess(page, strokes):
    return page.evaluate(
        """strokes => {
            const c = document.createElement('canvas'); c.width = 280; c.height = 280;
            const ctx = c.getContext('2d');
            ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 280, 280);
            ctx.fillStyle = '#000'; ctx.strokeStyle = '#000';
            ctx.lineWidth = 18; ctx.lineCap = 'round'; ctx.lineJoin = 'round';
            for (const s of strokes) {
                ctx.beginPath(); ctx.moveTo(s[0][0], s[0][1]);
                for (const p of s.slice(1)) { ctx.lineTo(p[0], p[1]); }
                ctx.stroke();
                for (const p of s) { ctx.beginPath(); ctx.arc(p[0], p[1], 9, 0, 2 * Math.PI); ctx.fill(); }
            }
            const image = ctx.getImageData(0, 0, 280, 280);
            const x = window.CnnbookDraw.preprocess(image);
            const probs = window.cnnbookPanels['panel-test'].forward(x).probs;
            return {x: Array.from(x), probs, verdict: window.CnnbookDraw.judge(image, x, 18)};
        }""",
        [[list(p) for p in s] for s in strokes],
    )


@pytest.mark.parametrize("digit", sorted(STROKES))
def test_same_strokes_same_input(page, weights, digit):
    result = js_render_and_preprocess(page, STROKES[digit])
    x_js = np.array(result["x"], np.float32).reshape(28, 28)
    x_py = digit_input.preprocess_gray(digit_input.render_strokes(STROKES[digit]))
    assert np.abs(x_js - x_py).max() <= 0.05, np.abs(x_js - x_py).max()
    probs_py = keras_model(weights).predict(x_py[None, :, :, None], verbose=0)[0]
    assert int(np.argmax(result["probs"])) == int(np.argmax(probs_py))
    assert result["verdict"] is None  # 숫자 모양의 획은 거절하지 않습니다


@pytest.mark.parametrize("name", sorted(NOT_DIGITS))
def test_not_digits_are_refused(page, name):
    strokes, kind = NOT_DIGITS[name]
    verdict = js_render_and_preprocess(page, strokes)["verdict"]
    assert verdict is not None and verdict["kind"] == kind, verdict
    assert verdict["message"].startswith(REFUSED)


def test_python_judge_is_the_same_rule(page):
    """draw_panel.judge (파이썬, 책의 측정에 씀)와 draw_panel.js 의 judge 는 같은 문턱값, 같은 판정입니다."""
    limits = page.evaluate("window.CnnbookDraw.limits")
    assert limits == {"MAX_THICKNESS": draw_panel.MAX_THICKNESS, "MAX_COVER": draw_panel.MAX_COVER,
                      "SEEN": draw_panel.SEEN, "FIT": digit_input.FIT}
    shapes = {**{f"digit {d}": s for d, s in STROKES.items()}, **{name: s for name, (s, _) in NOT_DIGITS.items()}}
    for name, strokes in shapes.items():
        verdict = js_render_and_preprocess(page, strokes)["verdict"]
        gray = digit_input.render_strokes(strokes)
        x_py = digit_input.ink_to_mnist(1.0 - gray)  # 판의 전처리 (흰 바탕이라 뒤집기만)
        assert draw_panel.judge(gray, x_py) == (verdict and verdict["kind"]), name


def test_python_judge_refuses_dot_not_mnist():
    import cnnbook

    (_, _), (x_test, _) = cnnbook.load_mnist()
    assert [draw_panel.judge_mnist(d / 255.0) for d in x_test[:20]] == [None] * 20
    dot = digit_input.render_strokes(NOT_DIGITS["dot"][0])
    assert draw_panel.judge(dot, digit_input.ink_to_mnist(1.0 - dot)) == "small"
    assert draw_panel.stroke_thickness(digit_input.ink_to_mnist(1.0 - dot)) > draw_panel.MAX_THICKNESS


def mouse_draw(page, strokes):
    """판 좌표(280×280)의 획들을 마우스로 그립니다 (점 하나는 누르고 떼기)."""
    box = page.locator("#panel-test canvas.cnnbook-pad").bounding_box()
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
        page.mouse.down()
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
            for t in (0.25, 0.5, 0.75, 1.0):
                page.mouse.move(box["x"] + x0 + t * (x1 - x0), box["y"] + y0 + t * (y1 - y0))
        page.mouse.up()


@pytest.mark.parametrize("name, advice", [("dot", "크게"), ("scribble", "가는 획")])
def test_mouse_dot_and_scribble_get_korean_message(page, name, advice):
    page.evaluate("window.cnnbookPanels['panel-test'].clear()")
    mouse_draw(page, NOT_DIGITS[name][0])
    root = page.locator("#panel-test")
    message = root.locator(".cnnbook-message").inner_text()
    assert message.startswith(REFUSED) and advice in message, message
    assert root.get_attribute("data-prediction") == ""
    assert root.get_attribute("data-refused") == NOT_DIGITS[name][1]
    # 확률 막대와 특징 맵은 숨기고, 모델이 보는 28×28 입력만 보여 줍니다
    assert root.locator(".cnnbook-view").is_visible()
    assert not root.locator(".cnnbook-bars").is_visible() and not root.locator(".cnnbook-maps").is_visible()
    # 지우고 숫자를 그리면 다시 예측합니다
    page.evaluate("window.cnnbookPanels['panel-test'].clear()")
    mouse_draw(page, STROKES[7])
    assert root.get_attribute("data-prediction") in {str(d) for d in range(10)}
    assert root.get_attribute("data-refused") == ""
    assert root.locator(".cnnbook-message").inner_text().startswith("예측")
    assert not page.errors


def test_no_blank_area_before_the_first_stroke(page):
    page.evaluate("window.cnnbookPanels['panel-test'].clear()")
    root = page.locator("#panel-test")
    assert all(not el.is_visible() for el in root.locator(".cnnbook-result").all())
    pad = root.locator("canvas.cnnbook-pad").bounding_box()
    panel = root.bounding_box()
    # 판 아래에는 지우기 단추와 안내 한두 줄만 있습니다
    assert panel["height"] < pad["height"] + 120, (panel, pad)


def test_mnist_digits_are_rarely_refused(page):
    """MNIST 테스트 숫자를 판 크기(280×280)로 키워 같은 전처리와 판정을 거치면 거의 모두 통과합니다."""
    import cnnbook

    (_, _), (x_test, _) = cnnbook.load_mnist()
    digits = x_test[:N_REFUSAL_DIGITS].reshape(N_REFUSAL_DIGITS, -1).astype(int).tolist()
    kinds = page.evaluate(
        """digits => {
            const small = document.createElement('canvas'); small.width = 28; small.height = 28;
            const big = document.createElement('canvas'); big.width = 280; big.height = 280;
            const sctx = small.getContext('2d'), bctx = big.getContext('2d');
            bctx.imageSmoothingEnabled = true;
            return digits.map(d => {
                const img = sctx.createImageData(28, 28);
                d.forEach((v, i) => { img.data.set([255 - v, 255 - v, 255 - v, 255], 4 * i); });
                sctx.putImageData(img, 0, 0);
                bctx.drawImage(small, 0, 0, 280, 280);
                const image = bctx.getImageData(0, 0, 280, 280);
                const verdict = window.CnnbookDraw.judge(image, window.CnnbookDraw.preprocess(image), 18);
                return verdict ? verdict.kind : '';
            });
        }""",
        digits,
    )
    refused = [i for i, kind in enumerate(kinds) if kind]
    print(f"MNIST 테스트 숫자 {len(kinds):,}장 가운데 거절 {len(refused)}장: {[(i, kinds[i]) for i in refused]}")
    assert len(kinds) == N_REFUSAL_DIGITS
    assert len(refused) <= MAX_REFUSED, [(i, kinds[i]) for i in refused]


def test_empty_canvas_gives_message(page):
    page.evaluate("window.cnnbookPanels['panel-test'].clear(); window.cnnbookPanels['panel-test'].predict()")
    root = page.locator("#panel-test")
    assert "비어" in root.locator(".cnnbook-message").inner_text()
    assert root.get_attribute("data-prediction") == ""


def test_mouse_drawing_predicts(page):
    pad = page.locator("#panel-test canvas.cnnbook-pad")
    box = pad.bounding_box()
    page.evaluate("window.cnnbookPanels['panel-test'].clear()")
    page.mouse.move(box["x"] + 140, box["y"] + 40)
    page.mouse.down()
    for y in range(40, 241, 10):
        page.mouse.move(box["x"] + 140, box["y"] + y)
    page.mouse.up()
    root = page.locator("#panel-test")
    assert root.get_attribute("data-prediction") in {str(d) for d in range(10)}
    assert "예측" in root.locator(".cnnbook-message").inner_text()


def test_panel_size_is_small(weights, keep):
    size = draw_panel.DrawPanel(weights, keep=keep).size_bytes  # 뉴런을 빼지 않아도
    assert size < 3.3 * 2**20, size  # 가중치 3,274,634개를 담고도 3.3 MB 안에


def test_pruning_is_lossless_on_training_images(weights, keep):
    # 늘 0인 입력의 행을 0으로 바꿔도 그 학습 이미지들의 fc1 출력은 그대로입니다
    import cnnbook
    from cnnbook import inside

    (x_train, _), _ = cnnbook.load_mnist()
    extractor = inside.feature_extractor(keras_model(weights), ("pool2",))
    (pool2,) = inside.activations(extractor, x_train[:500] / 255.0)
    flat = pool2.reshape(500, -1)
    pruned = weights[4] * keep[:, None]
    assert np.allclose(flat @ weights[4], flat @ pruned, atol=1e-4)
    assert not keep.all() and keep.any()


def test_unit_pruning_is_lossless_on_training_images(weights, keep, units):
    # 한 번도 켜지지 않은 fc1 뉴런을 빼도(열과 편향을 0으로) 그 학습 이미지들의 로짓은 그대로입니다
    import cnnbook

    (x_train, _), _ = cnnbook.load_mnist()
    images = x_train[:500, ..., None] / 255.0
    full = keras_model(weights)
    pruned = keras_model(weights)
    w = [np.array(a) for a in weights]
    w[4][:, ~units], w[5][~units] = 0, 0
    pruned.set_weights(w)
    assert np.allclose(full.predict(images, verbose=0), pruned.predict(images, verbose=0), atol=1e-5)
    assert 0 < units.sum() <= 1024
    packed, meta = draw_panel.pack_weights(weights, keep, units)
    assert meta["fc1b"][1] == meta["fc1S"][1] == units.sum() and meta["fc2W"][3] == [int(units.sum()), 10]


def test_masks_are_checked(weights):
    with pytest.raises(BookError, match="뉴런"):
        draw_panel.pack_weights(weights, None, np.zeros(1024, bool))
    with pytest.raises(BookError, match="모양"):
        draw_panel.pack_weights(weights, None, np.ones(10, bool))
    with pytest.raises(BookError, match="1024"):
        draw_panel.active_units(np.ones((3, 7)))


def test_judge_mnist_checks_its_input():
    with pytest.raises(BookError, match="0–1"):
        draw_panel.judge_mnist(np.full((28, 28), 255.0))
    with pytest.raises(BookError, match="28×28"):
        draw_panel.judge_mnist(np.zeros((5, 5)))
