// 책에 포함된 ipywidgets 스크립트(embed-amd.js)를 이 책에 맞추는 설정. embed-amd.js 보다 먼저 실행됩니다.
(function () {
  // 1. 위젯 글꼴을 CDN이나 페이지 옆이 아니라 책의 _static/ 에서 찾게 합니다 (scripts/vendor_js.sh 가 고친 부분).
  var root = document.documentElement.dataset.content_root || "./";
  window.CNNBOOK_WIDGETS_BASE = root + "_static/embed-amd.js";

  // 2. 위젯은 MathJax 2의 MathJax.Hub.Queue 로 수식을 조판하지만 책은 MathJax 3을 씁니다.
  function bridgeMathJax() {
    var mj = window.MathJax;
    if (mj && !mj.Hub) {
      mj.Hub = {
        Queue: function (job) {
          var element = job && job[2];
          if (element && window.MathJax.typesetPromise) window.MathJax.typesetPromise([element]);
        },
      };
    }
  }
  bridgeMathJax();
  document.addEventListener("DOMContentLoaded", bridgeMathJax);
  window.addEventListener("load", bridgeMathJax);
})();
