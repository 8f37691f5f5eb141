"""4.2.6절 화면(View)과 숫자 그리기 위젯: 만들고 고칠 수 있는지, 잘못된 값에 한국어 오류를 내는지."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from cnnbook import BookError, inside  # noqa: E402
from cnnbook.figures import inside as figs  # noqa: E402

RNG = np.random.default_rng(0)
IMAGES = RNG.random((20, 28, 28)).astype(np.float32)
LABELS = np.arange(20) % 10


def fake_maps(n=20):
    return {"conv1": RNG.random((n, 28, 28, 32)), "pool1": RNG.random((n, 14, 14, 32)),
            "conv2": RNG.random((n, 14, 14, 64)), "pool2": RNG.random((n, 7, 7, 64))}


def test_mosaic_layout():
    m = figs.mosaic(np.ones((7, 7, 64)))
    assert m.shape == (8 * 8 - 1, 8 * 8 - 1) and np.isnan(m[7, 0]) and m[0, 0] == 1
    assert figs.mosaic(np.ones((28, 28, 32))).shape == (4 * 29 - 1, 8 * 29 - 1)


def test_each_map_to_its_own_max_and_strongest_channel():
    maps = np.zeros((4, 4, 3), np.float32)
    maps[..., 1] = 0.01  # 아주 약한 채널도
    maps[0, 0, 2] = 5.0
    scaled = figs.each_to_its_max(maps)
    assert scaled[..., 1].max() == 1.0 and scaled[0, 0, 2] == 1.0 and not scaled[..., 0].any()
    assert figs.strongest_channel(maps) == 2  # 합 5.0 > 0.16


def test_feature_maps_view_picks_the_strongest_channel_and_scales_each_map():
    acts = fake_maps()
    acts["conv2"][13, :, :, 17] += 3.0  # 숫자 3의 두 번째 이미지(#13)에서 채널 17이 가장 셈
    acts["conv2"][13, :, :, 40] *= 0.001  # 아주 약한 채널도 격자에서는 자기 최댓값으로 밝게
    view = figs.FeatureMapsView(IMAGES, LABELS, acts)
    view.update(digit=3, nth=1, layer="conv2")
    assert "채널 17" in view.ax_zoom.get_title() and "가장 세게" in view.ax_zoom.get_title()
    grid = view.im_grid.get_array()
    cell = grid[5 * 15:5 * 15 + 14, 0:14]  # 채널 40 = 6째 줄(5), 첫 칸
    assert np.nanmax(cell) == pytest.approx(1.0) and view.im_grid.get_clim() == (0, 1)
    view.update(digit=3, nth=1, layer="conv2", channel=40)
    assert "채널 40" in view.ax_zoom.get_title() and "가장" not in view.ax_zoom.get_title()


def test_feature_maps_view_all_layers():
    view = figs.FeatureMapsView(IMAGES, LABELS, fake_maps())
    for layer in inside.FEATURE_LAYERS:
        view.update(digit=3, nth=1, layer=layer, channel=70)
        assert figs.SHAPES[layer] in view.ax_grid.get_title()
    assert view.index_of(3, 1) == 13
    with pytest.raises(BookError):
        view.update(layer="fc1")


def test_other_views_update():
    conv2 = figs.Conv2FiltersView(RNG.normal(size=(5, 5, 32, 64)))
    conv2.update(channel=63)
    assert conv2.image.get_array().shape == (4 * 6 - 1, 8 * 6 - 1)
    with pytest.raises(BookError):
        conv2.update(channel=64)
    rf = figs.ReceptiveFieldView(IMAGES[0], inside.receptive_fields(), inside.receptive_box)
    rf.update(layer="pool2", row=0.99, col=0.0)
    assert "16×16" in rf.text.get_text()
    peaks = {name: inside.channel_peaks(v) for name, v in fake_maps().items()}
    top = figs.TopPatchesView(IMAGES, peaks, inside.top_patches)
    top.update(layer="conv2", channel=5)
    assert top.pic.get_array().shape == (14, 9 * 16 - 2)  # 14×14 조각 9개를 한 줄로 (사이에 회색 틈 두 줄)
    labels = [t.get_text() for t in top.ax.get_xticklabels()]
    assert len(labels) == 9 and all(label.startswith("#") for label in labels)
    patches, _, _, _ = inside.top_patches(peaks["conv2"], IMAGES, "conv2", 5, k=9)
    np.testing.assert_allclose(top.pic.get_array()[:, 16:30], patches[1])
    assert np.ma.getmaskarray(top.pic.get_array()[:, 14:16]).all()  # 틈 (NaN은 가려진 칸)
    tv = figs.TransformView(IMAGES[0], {"a": lambda x: np.full((1, 10), 0.1)}, inside.affine_images)
    tv.update(shift=3, angle=20, scale=1.2, noise=0.2)
    digit = figs.DigitView()
    digit.update(image=IMAGES[0], probs=np.eye(10)[4], maps=RNG.random((28, 28, 32)))
    assert "예측: 4" in digit.ax_bar.get_title()
    with pytest.raises(BookError):
        digit.update(image=IMAGES[0], probs=np.ones(9), maps=RNG.random((28, 28, 32)))


def test_digit_pad_opens_lazily(capsys):
    import cnnbook

    cnnbook.use_korean_font()
    pytest.importorskip("ipycanvas")
    from cnnbook.digit_pad import digit_pad

    box = digit_pad(figs.DigitView(), lambda x: {})
    assert len(box.children) == 1 and "열기" in box.children[0].description
    box.children[0].click()
    pad = box.children[0]
    assert pad.__class__.__name__ == "HBox"  # [판·단추·올리기, 출력]
    # 잘못된 파일을 올리면 출력에 한국어 한 줄 (오류가 밖으로 나오지 않음)
    upload = pad.children[0].children[2]
    import datetime as dt

    value = ({"name": "a.txt", "type": "text/plain", "size": 5, "last_modified": dt.datetime.now(dt.timezone.utc),
              "content": memoryview(b"hello")},)
    try:
        upload.value = value  # ipywidgets 8
    except Exception:
        upload.set_trait("value", {"a.txt": {"metadata": {"name": "a.txt"}, "content": b"hello"}})  # 7: 읽기 전용
    # 커널 밖에서는 Output 위젯이 출력을 잡지 않고 표준 출력으로 보냅니다
    assert "이미지 파일이 아닙니다" in capsys.readouterr().out
