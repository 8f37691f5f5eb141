"""손으로 돌리는 시드 벤치마크(benchmarks/cifar_seeds.py, speedrun_seeds.py)의 이어 쓰기: 같은 코드, 처방, 기계로
끝낸 시드만 남기고, 하나라도 다르면 처음부터 잽니다."""
from __future__ import annotations

import json

from benchmarks.cifar_seeds import resume

MACHINE = {"device": "CPU (AVX512_BF16)", "policy": "mixed_bfloat16", "gflops": 870.0, "cores": 2, "tensorflow": "2.21.0"}


def record(**changes):
    base = {"started": "2026-12-05 06:00 UTC", "finished": None, "recipe": {"epochs": 16}, "full_recipe": True,
            "code": "abc", "train_images": 45000, "val_images": 5000, "test_images": 10000,
            "machine": dict(MACHINE), "runs": []}
    base.update(changes)
    return base


def test_finished_seeds_are_kept_and_only_the_rest_are_trained(tmp_path):
    path = tmp_path / "seeds.json"
    old = record(runs=[{"seed": 42, "val": 0.93}, {"seed": 7, "val": 0.5}])
    path.write_text(json.dumps(old), encoding="utf-8")
    new = record(started="2026-12-05 09:00 UTC", machine=dict(MACHINE, gflops=900.0))  # 천장은 잴 때마다 조금 다름
    assert resume(new, [42, 43, 44], path) == [43, 44]
    assert new["runs"] == [{"seed": 42, "val": 0.93}]  # 요청하지 않은 시드(7)는 버림
    assert new["started"] == "2026-12-05 06:00 UTC" and "resumed" in new


def test_different_code_recipe_or_machine_starts_over(tmp_path, capsys):
    path = tmp_path / "seeds.json"
    path.write_text(json.dumps(record(runs=[{"seed": 42, "val": 0.93}])), encoding="utf-8")
    for changed in (record(code="xyz"), record(recipe={"epochs": 8}), record(train_images=2000),
                    record(machine=dict(MACHINE, policy="float32"))):
        assert resume(changed, [42, 43], path) == [42, 43] and changed["runs"] == []
    assert "처음부터" in capsys.readouterr().out


def test_no_file_means_all_seeds(tmp_path):
    assert resume(record(), [42, 43], tmp_path / "none.json") == [42, 43]
