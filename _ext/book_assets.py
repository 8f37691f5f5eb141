"""책 HTML의 작은 손질 (Sphinx 확장, _config.yml 의 sphinx.local_extensions 로 켭니다).

1. 인라인 스크립트가 두 번 들어가는 문제를 고칩니다. Sphinx 7.4는 빌더가 만들어진 뒤 확장이
   `app.add_js_file(None, body=...)` 로 더한 인라인 스크립트를 빌더 목록에 파일 이름 `None` 으로 넣고,
   글을 쓰기 직전(prepare_writing)에 같은 스크립트를 등록부에서 이름 `''` 으로 한 번 더 넣습니다.
   `None != ''` 이라 중복이 걸러지지 않아, sphinx-thebe의 `const THEBE_JS_URL = ...` 가 모든 페이지에 두 번 들어가
   "Identifier 'THEBE_JS_URL' has already been declared" 콘솔 오류가 났습니다 (togglebutton 설정도 두 번).
   글을 쓰기 전에 빌더 목록의 `None` 을 `''` 로 바꾸면 다시 넣을 때 같은 것으로 보고 건너뜁니다.
2. 긴 코드 줄이 코드 상자 밖으로 나가지 않게 하는 스타일(static/book.css)을 더합니다.
3. 위젯 출력을 모두 지운 페이지(살아 있는 위젯은 `remove-output` 태그로 책에서 빠짐)에는 노트북 메타데이터에 위젯 상태만
   남아 있습니다. myst-nb는 그래도 위젯 자바스크립트(약 3.5 MB)를 넣으므로, 본문에 위젯 보기가 하나도 없는 페이지에서는
   위젯 상태와 그 스크립트를 뺍니다 (페이지가 가벼워지고, 보이지 않는 위젯을 그리려는 일도 없어집니다).
4. 테마의 ``_static/scripts/fontawesome.js`` (Font Awesome의 모든 아이콘, 약 1.5 MB)를 책이 쓰는 아이콘만 묶은
   ``_vendor/fontawesome-subset.js`` (수십 KB, scripts/vendor_js.sh 가 만듦)로 바꿉니다. 모든 페이지가 받는 무게가
   그만큼 줄어듭니다. 빠진 아이콘은 tests/browser/test_built_book.py 가 찾아냅니다.
5. pydata 테마는 입력하는 대로 찾기(search_as_you_type, 기본은 꺼짐)를 위해 모든 페이지에 ``searchindex.js`` 를
   넣습니다. 그 기능이 꺼져 있으면 찾기 페이지(search.html) 밖에서는 쓰이지 않으므로 다른 페이지에서 뺍니다.
"""
from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).with_name("static")


def unify_inline_scripts(app, env=None) -> None:
    """빌더의 스크립트 목록에서 이름이 None인 인라인 스크립트를 ''로 바꾸고 중복을 지웁니다."""
    builder = app.builder
    scripts = getattr(builder, "_js_files", None)
    if scripts is None:
        return
    from sphinx.builders.html._assets import _JavaScript

    unique = []
    for asset in scripts:
        if isinstance(asset, _JavaScript) and asset.filename is None:
            asset = _JavaScript("", priority=asset.priority, **asset.attributes)
        if asset not in unique:
            unique.append(asset)
    scripts[:] = unique


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def drop_unused_widget_scripts(app, pagename, templatename, context, doctree) -> None:
    """본문에 위젯 보기가 없으면 위젯 상태와 위젯 스크립트를 페이지에서 뺍니다."""
    scripts = context.get("script_files")
    if not scripts or WIDGET_VIEW in context.get("body", ""):
        return
    widget_files = set(app.config.nb_ipywidgets_js or {})

    def is_widget_asset(asset) -> bool:
        name = str(getattr(asset, "filename", asset) or "")  # 예: "_static/embed-amd.js"
        attributes = getattr(asset, "attributes", {}) or {}
        return attributes.get("type") == WIDGET_STATE or name.rsplit("/", 1)[-1] in widget_files

    context["script_files"] = [asset for asset in scripts if not is_widget_asset(asset)]


SUBSET = "fontawesome-subset.js"


def use_icon_subset(app, exception) -> None:
    """책을 다 만든 뒤 테마의 Font Awesome 번들을 책이 쓰는 아이콘만 담은 번들로 바꿉니다."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    subset, theme = static / SUBSET, static / "scripts" / "fontawesome.js"
    if not subset.is_file() or not theme.is_file():
        return
    theme.write_bytes(subset.read_bytes())
    subset.unlink()
    (theme.parent / "fontawesome.js.map").unlink(missing_ok=True)  # 원래 번들의 소스 맵은 더는 맞지 않습니다


SEARCH_INDEX = re.compile(r'\s*<script src="(?:\.\./)*searchindex\.js"></script>')


def drop_search_index(app, exception) -> None:
    """입력하는 대로 찾기가 꺼져 있으면 찾기 페이지 밖의 ``searchindex.js`` 를 뺍니다."""
    if exception is not None or app.builder.format != "html":
        return
    if (app.config.html_theme_options or {}).get("search_as_you_type"):
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if page.relative_to(outdir).as_posix() == "search.html":
            continue
        text = page.read_text(encoding="utf-8")
        lean = SEARCH_INDEX.sub("", text)
        if lean != text:
            page.write_text(lean, encoding="utf-8")


def add_static_path(app) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("builder-inited", add_static_path)
    app.add_css_file("book.css")
    # env-updated: 모든 문서를 읽은 뒤, prepare_writing 전에 한 번 (인라인 스크립트는 모두 등록된 뒤)
    app.connect("env-updated", unify_inline_scripts, priority=900)
    app.connect("html-page-context", drop_unused_widget_scripts)
    app.connect("build-finished", use_icon_subset)
    app.connect("build-finished", drop_search_index)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
