"""인터넷 없는 교실: 휠하우스(wheelhouse)에서 네트워크 없이 cnnbook 을 설치할 수 있는지 확인합니다.

지금 저장소에서 cnnbook 휠을 만들어 빈 휠하우스에 넣고, 새 가상 환경에 ``pip install --no-index
--find-links <휠하우스> cnnbook`` 으로 설치합니다. 네트워크는 막습니다 (``--no-index``, 닿을 수 없는
프록시, pip 설정 파일과 PIP_* 환경 변수 무시). cnnbook 이 쓰는 패키지(numpy, matplotlib, ipywidgets 등)는
테스트 환경에 이미 있는 것을 새 환경에 *보이게만* 해서 휠을 다시 내려받지 않습니다: 텐서플로(수백 MB)까지
담은 진짜 휠하우스를 만드는 ``pip download`` 단계는 인터넷이 필요하므로 이 테스트가 하지 않습니다
(book/instructor.md 에 적어 둠).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "PYTHON"))}
    blackhole = "http://127.0.0.1:9"  # 아무것도 듣지 않는 주소: 밖으로 나가려 하면 실패합니다
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               http_proxy=blackhole, https_proxy=blackhole, HTTP_PROXY=blackhole, HTTPS_PROXY=blackhole)
    return env


def site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def test_install_from_wheelhouse_without_network(tmp_path):
    env = offline_env()
    # 1. 휠하우스: 지금 저장소의 cnnbook 휠 하나 (복사본에서 만들어 저장소에 build/ 를 남기지 않음)
    source = tmp_path / "src"
    shutil.copytree(ROOT / "cnnbook", source / "cnnbook",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, source / name)
    wheelhouse = tmp_path / "wheelhouse"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheelhouse), str(source)], check=True, capture_output=True, env=env)
    (wheel,) = wheelhouse.glob("cnnbook-*.whl")

    # 2. 새 가상 환경. 의존 패키지는 지금 환경의 것을 보이게 합니다 (cnnbook 자신은 빼고).
    target = tmp_path / "classroom"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    deps = tmp_path / "deps"
    deps.mkdir()
    for entry in site_packages(Path(sys.executable)).iterdir():
        lowered = entry.name.lower()
        if "cnnbook" in lowered or lowered.startswith(("__editable__", "_cnnbook")):
            continue
        (deps / entry.name).symlink_to(entry)
    (site_packages(python) / "classroom-deps.pth").write_text(str(deps) + "\n", encoding="utf-8")

    # 3. 네트워크 없이 설치
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index",
         "--find-links", str(wheelhouse), "cnnbook"],
        capture_output=True, text=True, env=env,
    )
    assert install.returncode == 0, f"휠하우스에서 설치하지 못했습니다:\n{install.stdout}\n{install.stderr}"

    # 4. 저장소 밖에서 불러오면 새 환경에 설치된 cnnbook 이 나와야 합니다.
    code = ("import cnnbook, cnnbook.exercises; print(cnnbook.__file__); print(cnnbook.__version__)")
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    where, version = out.stdout.split()
    assert Path(where).is_relative_to(site_packages(python)), where
    assert wheel.name.startswith(f"cnnbook-{version}-")
    # 판은 cnnbook/__init__.py 한 곳에서 옵니다 (pyproject.toml 은 dynamic 으로 읽음).
    init = (ROOT / "cnnbook" / "__init__.py").read_text(encoding="utf-8")
    assert f'__version__ = "{version}"' in init.splitlines()
