// 강의 슬라이드 설정: 16:9, 1280×720. 내용이 슬라이드보다 크면 그 슬라이드만 줄여서 맞춥니다.
window.cnnbookDeck = function (Reveal, RevealNotes) {
  window.Reveal = Reveal;
  var WIDTH = 1280, HEIGHT = 720, MARGIN = 24;

  // 슬라이드의 내용(발표자 노트 제외)을 감싼 상자를 줄여서 1280×720 안에 넣습니다.
  function wrapper(slide) {
    var box = slide.querySelector(':scope > .deck-fit');
    if (box) return box;
    box = document.createElement('div');
    box.className = 'deck-fit';
    Array.prototype.slice.call(slide.childNodes).forEach(function (node) {
      if (!(node.matches && (node.matches('aside.notes') || node.matches('section')))) box.appendChild(node);
    });
    slide.insertBefore(box, slide.firstChild);
    return box;
  }

  function fit(slide) {
    if (!slide || slide.querySelector(':scope > section')) return;
    var box = wrapper(slide);
    box.style.zoom = '';
    for (var i = 0; i < 4; i++) {
      var high = box.scrollHeight * (parseFloat(box.style.zoom) || 1);
      var wide = box.scrollWidth * (parseFloat(box.style.zoom) || 1);
      var scale = Math.min((HEIGHT - MARGIN) / Math.max(high, 1), (WIDTH - 48 - MARGIN) / Math.max(wide, 1));
      if (scale >= 1) break;
      box.style.zoom = String(Math.floor((parseFloat(box.style.zoom) || 1) * scale * 1000) / 1000);
    }
  }

  function refit() {
    fit(Reveal.getCurrentSlide());
    Reveal.layout();
  }

  Reveal.initialize({
    width: WIDTH, height: HEIGHT, margin: 0.02, minScale: 0.2, maxScale: 2.0,
    controls: true, progress: true, hash: true, navigationMode: 'linear', history: false, center: true,
    transition: 'none', slideNumber: 'c/t', plugins: [RevealNotes],
    keyboard: true, pdfSeparateFragments: false
  });
  Reveal.on('ready', function () {
    document.querySelectorAll('.reveal img').forEach(function (img) {
      img.addEventListener('load', refit);
    });
    refit();
    if (window.MathJax && MathJax.startup) {
      MathJax.startup.promise.then(function () { refit(); document.body.dataset.mathReady = '1'; });
    } else {
      document.body.dataset.mathReady = '1';
    }
    document.body.dataset.deckReady = '1';
  });
  Reveal.on('slidechanged', refit);
};
