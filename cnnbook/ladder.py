"""4.3.1–4.3.3의 실험 도우미: 이 기계의 속도와 학습 계획, 사다리의 칸을 학습하고 같은 검증 이미지에서 짝지어
비교하기, 결과를 표로 모으기.

학습 자체(모델, 파이프라인, ``train``, ``describe``, ``changes``)는 노트북에서 읽는 강의 코드이고
(:mod:`cnnbook.cifar`), 이 모듈은 그 코드를 불러 결과를 모으고 비교하는 일만 합니다.
결정은 검증 데이터로만 합니다. 이 모듈은 테스트 데이터를 받지 않습니다: 보고용 테스트 정확도는 노트북이 다 학습한
모델마다 한 번 재서 :meth:`Ladder.table` 에 넘깁니다.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnbook.errors import require

__all__ = ["Ladder", "Machine", "cifar_splits", "load_points", "save_points"]


@dataclass
class Machine:
    """학습할 장치와 정밀도, 그 장치에서 그 정밀도로 잰 행렬 곱 천장(GFLOP/s)."""

    choice: object
    gflops: float

    @classmethod
    def measure(cls) -> "Machine":
        """장치와 정밀도를 고르고(왜 골랐는지 한 줄로 알림), 천장을 잽니다."""
        from cnnbook import device

        choice = device.use_precision()
        return cls(choice, device.ceiling_gflops(choice))

    @property
    def precision(self) -> str:
        return self.choice.policy

    def times(self, seconds: float) -> str:
        """잰 시간. CPU에서 환산에 뜻이 있으면 기준 기계로 환산한 시간도 함께 적습니다."""
        from cnnbook import device

        scaled = device.reference_seconds(seconds, self.gflops, self.choice)
        measured = f"{seconds:,.0f}초"
        return measured if scaled is None else f"{measured} (기준 기계 환산 {scaled:,.0f}초)"

    def note(self) -> str:
        """장치, 정밀도, 천장과 시간을 어떻게 적는지 알리는 한국어 글 (마크다운)."""
        from cnnbook import device

        if self.choice.is_gpu:
            scale = "GPU에서 잰 시간은 잰 그대로만 적습니다."
        elif device.reference_ceiling(self.choice) is None:
            scale = ("이 CPU는 이 정밀도를 기준 기계와 다른 방식으로 계산해 천장의 비로 시간을 환산할 수 없으므로, "
                     "시간은 잰 그대로만 적습니다.")
        else:
            scale = (f"시간은 잰 그대로와 함께, 같은 정밀도의 천장이 {device.reference_ceiling(self.choice):,.0f} "
                     "GFLOP/s인 기준 기계(책을 만든 2코어 CPU)로 환산한 값(잰 시간 × 이 기계의 천장 ÷ 기준 천장)도 "
                     "적습니다. 단순한 비례이므로 대략의 눈금으로만 보세요.")
        return (f"학습 장치는 {self.choice.device_name}, 정밀도 정책은 `{self.precision}`입니다. 이 장치의 "
                f"{self.choice.compute_dtype} 행렬 곱 천장은 **{self.gflops:,.0f} GFLOP/s**입니다. {scale}")

    def plan(self, epochs: int, n_train: int, probe_batch: int, probe_steps: int,
             warn_minutes: float = 30) -> tuple[float, str]:
        """``fast_cnn`` 을 몇 단계 학습해 잰 초당 장수로, 모두 ``epochs`` 에포크의 학습 시간을 넉넉히 어림합니다.

        (어림한 초, 알리는 글)을 돌려줍니다. ``warn_minutes`` 분이 넘으면 GPU 런타임과 빠른 모드를 권합니다.
        """
        import cnnbook
        from cnnbook import cifar, device

        require(epochs > 0 and n_train > 0, f"에포크 수와 학습 이미지 수는 양수여야 합니다: {epochs}, {n_train}")
        model = cifar.fast_cnn(np.zeros(3), np.ones(3))
        rate = cifar.train_images_per_s(model, batch_size=probe_batch, steps=probe_steps)
        estimate = epochs * n_train / rate
        text = (f"이 절은 학습 이미지 {n_train:,}장으로 모두 {epochs} 에포크를 학습합니다. 이 기계에서 `fast_cnn`은 "
                f"초당 {rate:,.0f}장을 학습하므로, 모든 에포크가 그만큼 걸린다고 넉넉히 잡으면(더 가벼운 모델도 있고, "
                f"평가 시간은 뺐습니다) 학습에 **{device.format_minutes(estimate)}** 걸립니다.")
        if estimate > warn_minutes * 60:
            text += (f"\n\n**{warn_minutes:g}분이 넘습니다.** Colab이라면 GPU 런타임으로 바꾸세요"
                     "(런타임 → 런타임 유형 변경 → GPU).")
            if not cnnbook.is_fast():
                text += " 수업에서는 빠른 모드(설정 셀보다 먼저 `%env CNNBOOK_FAST=1`)로 실행하세요."
        return estimate, text


def cifar_splits(n_train: int, n_val: int, n_test: int) -> dict:
    """4.3.1과 같은 나누기: 학습 데이터의 마지막 5,000장이 검증 데이터, 채널 통계는 남은 45,000장에서.

    앞에서부터 ``n_train``, ``n_val``, ``n_test`` 장씩 쓴 (학습, 검증, 테스트) 묶음과 채널 평균·표준편차를 돌려줍니다.
    """
    import cnnbook
    from cnnbook import cifar

    (x_all, y_all), (x_test, y_test) = cnnbook.load_cifar10()
    (x_train, y_train), (x_val, y_val) = cifar.split_validation(x_all, y_all)
    require(0 < n_train <= len(x_train) and 0 < n_val <= len(x_val) and 0 < n_test <= len(x_test),
            f"이미지 수가 올바르지 않습니다: 학습 {n_train}, 검증 {n_val}, 테스트 {n_test}")
    mean, std = cifar.channel_stats(x_train)
    y_test = np.asarray(y_test).reshape(-1).astype(np.int32)
    return {
        "train": (x_train[:n_train], y_train[:n_train]),
        "val": (x_val[:n_val], y_val[:n_val]),
        "test": (x_test[:n_test], y_test[:n_test]),
        "mean": mean, "std": std,
    }


class Ladder:
    """사다리의 칸을 학습하고 결과를 모읍니다.

    ``run`` 은 같은 시드로 모델을 만들어 학습하고, 검증 이미지마다 맞혔는지(짝지은 비교에 씀)와 같은 장수의 학습
    이미지에서 잰 정확도(과대적합 폭 = 학습 − 검증)를 ``results[이름]`` 에, 모델을 ``models[이름]`` 에 적습니다.
    """

    def __init__(self, train_xy, val_xy, machine: Machine | None = None):
        self.train_xy, self.val_xy = train_xy, val_xy
        self.machine = machine
        self.results: dict[str, dict] = {}
        self.models: dict[str, object] = {}

    @property
    def n_val(self) -> int:
        return len(self.val_xy[0])

    def times(self, seconds: float) -> str:
        return self.machine.times(seconds) if self.machine else f"{seconds:,.0f}초"

    def run(self, name: str, build, recipe: dict, after: str | None = None, seeds: int = 1,
            trainer=None, describe=None):
        """모델을 만들어 학습하고 ``results[name]`` 에 적습니다. after: 비교할 앞 칸, seeds: 학습할 시드 수.

        trainer: 학습 함수(기본 ``cifar.train``; 같은 인자와 결과의 ``speedrun.train_fast`` 등),
        describe: 칸의 설정을 적는 함수(기본 ``cifar.describe``).
        """
        import cnnbook
        from cnnbook import cifar
        from cnnbook.progress import keras_progress
        from cnnbook.stats import correct_mask, seed_spread

        require(after is None or after in self.results, f"앞 칸 {after!r}이(가) 아직 없습니다.")
        trainer, describe = trainer or cifar.train, describe or cifar.describe
        x_train, y_train = self.train_xy
        x_val, y_val = self.val_xy
        cnnbook.seed_everything()
        model = build()
        result = trainer(model, self.train_xy, self.val_xy, recipe, progress=keras_progress, desc=name)
        correct = correct_mask(cifar.predict_probs(model, x_val), y_val)  # 검증 이미지마다 맞혔는지
        assert abs(correct.mean() - result["val"]) <= 2 / self.n_val, "검증 정확도와 이미지별 정답 여부가 맞지 않습니다"
        # 학습 정확도는 증강 없이, 검증 데이터와 같은 장수의 학습 이미지로 잽니다
        fitted = correct_mask(cifar.predict_probs(model, x_train[:self.n_val]), y_train[:self.n_val])
        result.update(correct=correct, fitted=fitted, train=float(fitted.mean()), setup=describe(model, recipe),
                      after=after, epochs=recipe["epochs"],
                      images=recipe["epochs"] * (len(x_train) // recipe["batch_size"]) * recipe["batch_size"],
                      seeds=[result["val"]], all_seconds=result["seconds"])
        for seed in range(1, seeds):  # 시드만 바꿔 다시 학습하고 검증 정확도를 적습니다
            cnnbook.seed_everything(cnnbook.runtime.SEED + seed)
            again = trainer(build(), self.train_xy, self.val_xy, recipe, progress=keras_progress,
                                desc=f"{name}, 시드 {seed + 1}")
            result["seeds"].append(again["val"])
            result["all_seconds"] += again["seconds"]
        self.results[name], self.models[name] = result, model
        spread = f" (시드 {seeds}개: {seed_spread(result['seeds']).korean()})" if seeds > 1 else ""
        print(f"{name}: 학습 {result['train']:.2%}, 검증 {result['val']:.2%}{spread}, "
              f"학습 시간 {self.times(result['seconds'])}, 초당 {result['images_per_s']:,.0f}장")
        return model

    def add_prediction(self, name: str, base: str, correct, how: str) -> None:
        """학습은 ``base`` 칸과 같고 예측하는 방법만 다른 칸(예: 뒤집기 평균)을 적습니다 (``correct``: 검증 이미지마다 맞혔는지)."""
        value = float(np.mean(correct))
        self.results[name] = dict(self.results[base], val=value, correct=np.asarray(correct), seeds=[value],
                                  after=base, setup=dict(self.results[base]["setup"], 예측=how), prediction_only=True)

    def compare(self, new: str, old: str | None = None):
        """같은 검증 이미지에서 잰 정확도 차이(new − old)와 95% 구간. old를 주지 않으면 new의 앞 칸."""
        from cnnbook.stats import paired_difference

        old = old or self.results[new]["after"]
        return paired_difference(self.results[old]["correct"], self.results[new]["correct"])

    def change(self, new: str, old: str | None = None) -> str:
        """앞 칸 대비 검증 정확도의 변화를 95% 구간과 판정(나아짐, 오차 범위 안, 나빠짐)까지 읽어 주는 글."""
        old = old or self.results[new]["after"]
        diff = self.compare(new, old)
        return (f"검증 정확도가 {self.results[old]['val']:.1%}에서 {self.results[new]['val']:.1%}로 바뀌었고, "
                f"차이는 {diff.korean()}로 {diff.verdict_korean()}")

    def changed(self, new: str, old: str | None = None) -> str:
        """앞 칸과 비교해 설정에서 달라진 항목 (``cifar.changes``)."""
        from cnnbook import cifar

        old = old or self.results[new]["after"]
        return cifar.changes(self.results[old]["setup"], self.results[new]["setup"])

    def gap_change(self, new: str, old: str | None = None) -> tuple[float, float, float]:
        """과대적합 폭(학습 − 검증)의 변화와 95% 구간: 학습 이미지와 검증 이미지에서 각각 짝지어 잰 차이를 뺍니다."""
        from cnnbook.stats import paired_difference

        old = old or self.results[new]["after"]
        on_train = paired_difference(self.results[old]["fitted"], self.results[new]["fitted"])
        on_val = self.compare(new, old)
        value = on_train.diff - on_val.diff
        half = float(np.hypot(on_train.high - on_train.low, on_val.high - on_val.low) / 2)
        return value, value - half, value + half

    def gap_text(self, name: str) -> tuple[float, str, float]:
        """한 칸의 과대적합 폭, 그 글(95% 구간), 구간의 아래 끝. 학습과 검증 이미지는 서로 달라 두 비율의 오차를 더해 어림."""
        r = self.results[name]
        value = r["train"] - r["val"]
        half = 1.96 * np.sqrt((r["train"] * (1 - r["train"]) + r["val"] * (1 - r["val"])) / self.n_val)
        return value, f"{value * 100:.1f}%p (95% 구간 {(value - half) * 100:.1f} – {(value + half) * 100:.1f}%p)", value - half

    def val_text(self, name: str) -> str:
        """검증 정확도. 시드가 여럿이면 평균 ± 표준편차 (시드 수, 가장 낮은 값–높은 값)."""
        from cnnbook.stats import seed_spread

        values = self.results[name]["seeds"]
        return f"{values[0]:.1%}" if len(values) == 1 else seed_spread(values).korean()

    def table(self, reported: dict | None = None) -> str:
        """모든 칸의 마크다운 표: 바뀐 것, 검증 정확도, 앞 칸 대비(짝지은 차이와 95% 구간), 과대적합 폭, 시간.

        ``reported`` (칸 이름 → 보고용 테스트 정확도)를 주면 그 열도 적습니다. 표의 어떤 판단에도 쓰지 않습니다.
        """
        reported = reported or {}
        rows = []
        for name, r in self.results.items():
            if r["after"] is None:
                changed, versus = "출발점", "—"
            else:
                changed, versus = self.changed(name), self.compare(name).korean()
            gap = "—" if r.get("prediction_only") else f"{(r['train'] - r['val']) * 100:.1f}"  # 학습 정확도는 원본으로만 잼
            test = f"{reported[name]:.1%}" if name in reported else "—"
            rows.append(f"| {name} | {changed} | {self.val_text(name)} | {versus} | {test} | {gap} | "
                        f"{r['seconds']:,.0f} | {r['images_per_s']:,.0f} |")
        header = ("| 칸 | 바뀐 것 (앞 칸과 비교) | 검증 정확도 | 앞 칸 대비 | 테스트 정확도 (보고용) | 과대적합 폭 (%p) "
                  "| 학습 초 | 학습 장/초 |\n|---|---|---:|---|---:|---:|---:|---:|\n")
        return header + "\n".join(rows)

    def trained_epochs(self) -> int:
        """이 사다리가 실제로 학습한 에포크 수 (시드까지, 예측만 다른 칸은 빼고)."""
        return sum(r["epochs"] * len(r["seeds"]) for r in self.results.values() if not r.get("prediction_only"))

    def train_seconds(self) -> float:
        """모든 칸의 학습 시간 (시드까지)."""
        return sum(r["all_seconds"] for r in self.results.values() if not r.get("prediction_only"))



POINTS_SUFFIX = ".points.json"


def save_points(ladder: Ladder, name: str) -> None:
    """사다리의 (칸 이름, 학습 초, 검증 정확도)를 캐시 폴더에 적어 둡니다 (부록 A.2의 그림이 4.3의 칸을 함께 그림)."""
    import json
    from datetime import datetime, timezone

    import cnnbook
    from cnnbook.weights_file import cache_dir

    points = [[key, float(r["seconds"]), float(r["val"])] for key, r in ladder.results.items()
              if not r.get("prediction_only")]
    record = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "version": cnnbook.__version__,
              "fast": cnnbook.is_fast(), "points": points}
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (name + POINTS_SUFFIX)).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def load_points(name: str) -> list:
    """:func:`save_points` 가 적은 점들. 파일이 없거나, 읽을 수 없거나, 다른 모드(빠른/전체)에서 적었으면 빈 목록."""
    import json

    import cnnbook
    from cnnbook.weights_file import cache_dir

    try:
        record = json.loads((cache_dir() / (name + POINTS_SUFFIX)).read_text(encoding="utf-8"))
        if record.get("fast") != cnnbook.is_fast():
            return []
        return [(str(n), float(s), float(v)) for n, s, v in record["points"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
