/* 4.2.6절 그리기 판: 코드를 실행할 수 없는 웹 책에서 이 장의 학습된 가중치로 숫자를 알아맞힙니다.
 *
 * - 전처리는 cnnbook/digit_input.py 와 같은 계산입니다 (흑백, 바탕 뒤집기, 상자로 자르기,
 *   20×20 상자 평균 축소, 무게중심으로 28×28 가운데 두기). 테두리가 고른 그림의 경로(digit_input.flat_background)이며,
 *   사진용 바탕 빼기와 숫자 덩어리 고르기는 파이썬에만 있습니다.
 * - 순전파: 합성곱 5×5×32(SAME)+ReLU → 최대 풀링 2 → 합성곱 5×5×64(SAME)+ReLU → 최대 풀링 2
 *   → 완전 연결 1024+ReLU → 완전 연결 10 → 소프트맥스. 가중치 배열은 HWIO, 펼치기는 (행, 열, 채널) 순서.
 * - 숫자로 보기 어려운 그림(점, 짧은 획, 칸을 빽빽이 칠한 낙서, 네 가장자리에 모두 닿은 획)에는 예측 대신
 *   이유와 고칠 방법을 한국어로 알립니다 (judge). 문턱값은 학습 이미지로 정했습니다 (draw_panel.py 참고).
 * - 가중치: conv1·편향·fc2 는 float32, conv2 는 출력 채널별 배율의 int8, fc1 은 학습 데이터에서 늘 0인
 *   입력의 행을 빼고 출력 뉴런별 배율의 int8 (크면 int4). 한 번도 켜지지 않은 fc1 뉴런은 fc1 의 열과 fc2 의
 *   행에서 함께 빠져 있으므로, fc1 의 폭은 편향(fc1b)의 길이입니다.
 */
(function () {
  "use strict";
  if (window.CnnbookDraw) { return; }

  function b64ToBytes(text) {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  // 메타 정보(이름 → [위치, 개수, 형식, 모양])에 따라 모든 가중치를 float32 로 풉니다.
  function decode(b64, meta) {
    const bytes = b64ToBytes(b64);
    const buf = bytes.buffer;
    const f32 = (name) => { const m = meta[name]; return new Float32Array(buf, m[0], m[1]); };
    const net = {};
    for (const name of ["conv1W", "conv1b", "conv2b", "fc1b", "fc2W", "fc2b"]) { net[name] = f32(name); }
    // int8: 마지막 축(출력 채널)마다 배율
    const c2 = meta.conv2W, c2s = f32("conv2S");
    const q8 = new Int8Array(buf, c2[0], c2[1]);
    const nOut8 = c2s.length;
    net.conv2W = new Float32Array(c2[1]);
    for (let i = 0; i < c2[1]; i++) { net.conv2W[i] = q8[i] * c2s[i % nOut8]; }
    // fc1: 살아 있는 행(fc1Keep)만 실려 있고, int8 이나 int4(두 값을 한 바이트에, 낮은 4비트가 앞, 0–15 → −8–7)
    const keep = new Uint8Array(buf, meta.fc1Keep[0], meta.fc1Keep[1]);
    const f1 = meta.fc1W, f1s = f32("fc1S");
    const nOut = f1s.length;
    const q = f1[2] === "i8" ? new Int8Array(buf, f1[0], f1[1]) : new Uint8Array(buf, f1[0], Math.ceil(f1[1] / 2));
    const value = f1[2] === "i8" ? (i) => q[i] : (i) => ((i & 1) ? (q[i >> 1] >> 4) : (q[i >> 1] & 15)) - 8;
    net.fc1W = new Float32Array(keep.length * nOut);
    let k = 0;
    for (let row = 0; row < keep.length; row++) {
      if (!keep[row]) { continue; }
      for (let j = 0; j < nOut; j++, k++) { net.fc1W[row * nOut + j] = value(k) * f1s[j]; }
    }
    return net;
  }

  // SAME 합성곱 + ReLU. 입력 [h, w, cin], 필터 [k, k, cin, cout] (HWIO), 출력 [h, w, cout]
  function conv(input, h, w, cin, W, b, k, cout) {
    const out = new Float32Array(h * w * cout);
    const pad = (k - 1) >> 1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * cout;
        for (let c = 0; c < cout; c++) { out[o + c] = b[c]; }
        for (let ky = 0; ky < k; ky++) {
          const iy = y + ky - pad;
          if (iy < 0 || iy >= h) { continue; }
          for (let kx = 0; kx < k; kx++) {
            const ix = x + kx - pad;
            if (ix < 0 || ix >= w) { continue; }
            const ibase = (iy * w + ix) * cin;
            const wbase = (ky * k + kx) * cin * cout;
            for (let ci = 0; ci < cin; ci++) {
              const v = input[ibase + ci];
              if (v === 0) { continue; }
              const wb = wbase + ci * cout;
              for (let c = 0; c < cout; c++) { out[o + c] += v * W[wb + c]; }
            }
          }
        }
        for (let c = 0; c < cout; c++) { if (out[o + c] < 0) { out[o + c] = 0; } }
      }
    }
    return out;
  }

  function pool(input, h, w, c) {
    const oh = Math.ceil(h / 2), ow = Math.ceil(w / 2);
    const out = new Float32Array(oh * ow * c).fill(-Infinity);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = ((y >> 1) * ow + (x >> 1)) * c, i = (y * w + x) * c;
        for (let k = 0; k < c; k++) { if (input[i + k] > out[o + k]) { out[o + k] = input[i + k]; } }
      }
    }
    return out;
  }

  function dense(input, W, b, nOut, relu) {
    const out = Float32Array.from(b);
    for (let i = 0; i < input.length; i++) {
      const v = input[i];
      if (v === 0) { continue; }
      const base = i * nOut;
      for (let j = 0; j < nOut; j++) { out[j] += v * W[base + j]; }
    }
    if (relu) { for (let j = 0; j < nOut; j++) { if (out[j] < 0) { out[j] = 0; } } }
    return out;
  }

  // 입력 784개(행 우선, 0–1) → {probs: 10개, conv1: [28, 28, 32]}
  function forward(net, x) {
    const c1 = conv(x, 28, 28, 1, net.conv1W, net.conv1b, 5, 32);
    const p1 = pool(c1, 28, 28, 32);
    const c2 = conv(p1, 14, 14, 32, net.conv2W, net.conv2b, 5, 64);
    const p2 = pool(c2, 14, 14, 64);
    const h = dense(p2, net.fc1W, net.fc1b, net.fc1b.length, true);
    const logits = dense(h, net.fc2W, net.fc2b, 10, false);
    const top = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, v) => a + v, 0);
    return { probs: Array.from(e, (v) => v / sum), conv1: c1 };
  }

  // ---- 전처리 (digit_input.py 와 같은 계산) ----
  const INK_THRESHOLD = 0.1, MIN_CONTRAST = 0.1, FIT = 20, SIZE = 28;

  class PanelError extends Error {}

  function rgbaToGray(data, w, h) {
    const gray = new Float64Array(w * h);
    for (let i = 0; i < w * h; i++) {
      const a = data[4 * i + 3] / 255;
      const lum = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
      gray[i] = a * lum + (1 - a);
    }
    return gray;
  }

  function median(values) {
    const s = Array.from(values).sort((a, b) => a - b);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  function toInk(gray, w, h) {
    const border = [];
    for (let x = 0; x < w; x++) { border.push(gray[x], gray[(h - 1) * w + x]); }
    for (let y = 0; y < h; y++) { border.push(gray[y * w], gray[y * w + w - 1]); }
    const invert = median(border) > 0.5;
    const ink = new Float64Array(w * h);
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < w * h; i++) {
      ink[i] = invert ? 1 - gray[i] : gray[i];
      lo = Math.min(lo, ink[i]); hi = Math.max(hi, ink[i]);
    }
    if (hi - lo < MIN_CONTRAST) { throw new PanelError("판이 비어 있습니다. 먼저 숫자를 하나 그려 주세요."); }
    for (let i = 0; i < w * h; i++) { ink[i] = Math.min(1, Math.max(0, (ink[i] - lo) / (hi - lo))); }
    return ink;
  }

  function areaMatrix(nIn, nOut) {
    const m = [];
    for (let i = 0; i < nOut; i++) {
      const lo = i * (nIn / nOut), hi = (i + 1) * (nIn / nOut);
      const row = new Float64Array(nIn);
      let sum = 0;
      for (let j = Math.floor(lo); j < Math.min(Math.ceil(hi), nIn); j++) {
        row[j] = Math.min(hi, j + 1) - Math.max(lo, j);
        sum += row[j];
      }
      for (let j = 0; j < nIn; j++) { row[j] /= sum; }
      m.push(row);
    }
    return m;
  }

  function inkToMnist(ink, w, h) {
    let top = h, bottom = -1, left = w, right = -1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (ink[y * w + x] > INK_THRESHOLD) {
          top = Math.min(top, y); bottom = Math.max(bottom, y);
          left = Math.min(left, x); right = Math.max(right, x);
        }
      }
    }
    if (bottom < 0) { throw new PanelError("획이 보이지 않습니다. 숫자를 더 진하게 그려 주세요."); }
    const ch = bottom - top + 1, cw = right - left + 1;
    const scale = FIT / Math.max(ch, cw);
    const nh = Math.max(1, Math.floor(ch * scale + 0.5)), nw = Math.max(1, Math.floor(cw * scale + 0.5));
    const R = areaMatrix(ch, nh), C = areaMatrix(cw, nw);
    // tmp = crop @ C^T  [ch, nw], small = R @ tmp  [nh, nw]
    const tmp = new Float64Array(ch * nw);
    for (let y = 0; y < ch; y++) {
      for (let j = 0; j < nw; j++) {
        let s = 0;
        const row = C[j];
        for (let x = 0; x < cw; x++) { if (row[x]) { s += ink[(top + y) * w + left + x] * row[x]; } }
        tmp[y * nw + j] = s;
      }
    }
    const small = new Float64Array(nh * nw);
    for (let i = 0; i < nh; i++) {
      const row = R[i];
      for (let y = 0; y < ch; y++) {
        if (!row[y]) { continue; }
        for (let j = 0; j < nw; j++) { small[i * nw + j] += row[y] * tmp[y * nw + j]; }
      }
    }
    let total = 0, my = 0, mx = 0;
    for (let i = 0; i < nh; i++) {
      for (let j = 0; j < nw; j++) { const v = small[i * nw + j]; total += v; my += v * i; mx += v * j; }
    }
    let oy = Math.floor((SIZE - nh) / 2), ox = Math.floor((SIZE - nw) / 2);
    const cy = my / total + oy, cx = mx / total + ox;
    oy = Math.min(Math.max(oy + Math.floor(13.5 - cy + 0.5), 0), SIZE - nh);
    ox = Math.min(Math.max(ox + Math.floor(13.5 - cx + 0.5), 0), SIZE - nw);
    const out = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < nh; i++) {
      for (let j = 0; j < nw; j++) { out[(oy + i) * SIZE + ox + j] = Math.min(1, Math.max(0, small[i * nw + j])); }
    }
    return out;
  }

  function preprocess(imageData) {
    const { data, width, height } = imageData;
    return inkToMnist(toInk(rgbaToGray(data, width, height), width, height), width, height);
  }

  // ---- 숫자로 보기 어려운 그림 알아보기 ----
  // MNIST 학습 숫자 20,000장을 판 크기로 키워(28×28 → 280×280) 같은 전처리를 거쳐 잰 최댓값보다 조금 큰 문턱값입니다.
  const MAX_THICKNESS = 6.5;  // 28×28 입력의 획 굵기(픽셀, 2 × 넓이 / 둘레) 상한. 학습 숫자의 최댓값 6.4
  const MAX_COVER = 0.35;  // 28×28 가운데 0.5보다 진한 칸의 비율 상한. 학습 숫자의 최댓값 0.327
  const SEEN = 0.5;  // 판에서 밝기가 이보다 어두우면 획으로 봅니다
  const UNSURE = 0.5;  // 가장 큰 확률이 이보다 작으면 예측과 함께 확신이 없다고 알립니다 (거절하지는 않음)

  // 판(흰 바탕에 검은 획)과 전처리한 입력 x 에서 잰 값: 획 상자의 긴 변(판 픽셀), 획이 닿은 가장자리 수, 칠한 비율
  function shapeStats(imageData, x) {
    const { data, width: w, height: h } = imageData;
    const gray = rgbaToGray(data, w, h);
    let top = h, bottom = -1, left = w, right = -1;
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        if (gray[y * w + xx] < SEEN) {
          top = Math.min(top, y); bottom = Math.max(bottom, y);
          left = Math.min(left, xx); right = Math.max(right, xx);
        }
      }
    }
    const long = bottom < 0 ? 0 : Math.max(bottom - top + 1, right - left + 1);
    const edges = bottom < 0 ? 0 : (top === 0) + (bottom === h - 1) + (left === 0) + (right === w - 1);
    let covered = 0;
    for (let i = 0; i < x.length; i++) { if (x[i] > 0.5) { covered++; } }
    return { long, edges, cover: covered / x.length };
  }

  // 숫자로 보기 어려우면 {kind, message}, 아니면 null. lineWidth: 판의 붓 굵기(판 픽셀)
  function judge(imageData, x, lineWidth) {
    const stats = shapeStats(imageData, x);
    const head = "숫자로 보기 어렵습니다: ";
    // 상자의 긴 변이 FIT 픽셀로 줄어들므로, 붓 굵기 × FIT / 긴 변 이 28×28 에서의 획 굵기입니다
    if (stats.long * MAX_THICKNESS < lineWidth * FIT) {
      return { kind: "small", stats, message: head + "점이나 아주 짧은 획입니다. 조금 더 크게 써 보세요." };
    }
    if (stats.edges === 4) {
      return { kind: "edges", stats, message: head + "획이 칸의 네 가장자리에 모두 닿았습니다. 칸 가운데에 조금 작게 써 보세요." };
    }
    if (stats.cover > MAX_COVER) {
      return { kind: "dense", stats, message: head + `칸을 너무 많이 칠했습니다 (모델 입력의 ${Math.round(100 * stats.cover)}%). ` +
        "숫자 하나를 가는 획으로 써 보세요." };
    }
    return null;
  }

  // ---- 화면 ----
  function drawGray(canvas, values, w, h, lo, hi) {
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(w, h);
    const span = hi - lo || 1;
    for (let i = 0; i < w * h; i++) {
      const v = Math.round(255 * Math.min(1, Math.max(0, (values[i] - lo) / span)));
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = 255 - v;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function mount(rootId, b64, meta) {
    const root = document.getElementById(rootId);
    const $ = (cls) => root.querySelector("." + cls);
    const net = decode(b64, meta);
    const pad = $("cnnbook-pad");
    const ctx = pad.getContext("2d");
    const lineWidth = Number(pad.dataset.lineWidth || 18);
    function clear() {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, pad.width, pad.height);
      $("cnnbook-message").textContent = "위 칸에 마우스나 손가락으로 숫자(0–9)를 하나 그려 보세요.";
      setResult("none");
      root.dataset.prediction = "";
      root.dataset.refused = "";
    }
    // 결과 칸: "none" 은 모두 숨김(첫 획 전에는 빈 자리를 두지 않음), "input" 은 28×28 입력만, "all" 은 모두
    function setResult(what) {
      root.querySelectorAll(".cnnbook-result").forEach((el) => {
        el.hidden = what === "none" || (what === "input" && !el.classList.contains("cnnbook-view"));
      });
    }
    const bars = $("cnnbook-bars");
    for (let d = 0; d < 10; d++) {
      const row = document.createElement("div");
      row.className = "cnnbook-bar-row";
      row.innerHTML = `<span class="cnnbook-digit">${d}</span><span class="cnnbook-bar"><span></span></span>` +
        `<span class="cnnbook-pct"></span>`;
      bars.appendChild(row);
    }
    const maps = $("cnnbook-maps");
    const mapCanvases = [];
    for (let c = 0; c < 32; c++) {
      const cv = document.createElement("canvas");
      cv.width = 28; cv.height = 28; cv.title = `conv1 채널 ${c}`;
      maps.appendChild(cv); mapCanvases.push(cv);
    }
    function show(x) {
      const result = forward(net, x);
      const probs = result.probs;
      const best = probs.indexOf(Math.max(...probs));
      root.dataset.prediction = String(best);
      root.dataset.refused = "";
      const second = probs.indexOf(Math.max(...probs.filter((_, d) => d !== best)));
      $("cnnbook-message").textContent = `예측: ${best} (확률 ${(100 * probs[best]).toFixed(1)}%)` +
        (probs[best] < UNSURE ? ` · 모델도 확신하지 못합니다 (다음 후보 ${second}, ${(100 * probs[second]).toFixed(1)}%)` : "");
      bars.querySelectorAll(".cnnbook-bar-row").forEach((row, d) => {
        row.querySelector(".cnnbook-bar span").style.width = `${(100 * probs[d]).toFixed(1)}%`;
        row.querySelector(".cnnbook-bar span").style.background = d === best ? "#d62728" : "#1f77b4";
        row.querySelector(".cnnbook-pct").textContent = `${(100 * probs[d]).toFixed(1)}%`;
      });
      drawGray($("cnnbook-input"), x, 28, 28, 0, 1);
      let hi = 0;
      for (const v of result.conv1) { hi = Math.max(hi, v); }
      const one = new Float32Array(28 * 28);
      for (let c = 0; c < 32; c++) {
        for (let i = 0; i < 28 * 28; i++) { one[i] = result.conv1[i * 32 + c]; }
        drawGray(mapCanvases[c], one, 28, 28, 0, hi);
      }
      setResult("all");
    }
    // 예측 대신 안내만: 전처리한 입력이 있으면 모델이 무엇을 보는지는 보여 줍니다
    function refuse(kind, message, x) {
      root.dataset.prediction = "";
      root.dataset.refused = kind;
      $("cnnbook-message").textContent = message;
      if (x) { drawGray($("cnnbook-input"), x, 28, 28, 0, 1); }
      setResult(x ? "input" : "none");
    }
    function predict() {
      const image = ctx.getImageData(0, 0, pad.width, pad.height);
      let x;
      try {
        x = preprocess(image);
      } catch (error) {
        if (!(error instanceof PanelError)) { throw error; }
        refuse("empty", error.message, null);
        return;
      }
      const verdict = judge(image, x, lineWidth);
      if (verdict) { refuse(verdict.kind, verdict.message, x); } else { show(x); }
    }
    let drawing = false, last = null;
    function point(event) {
      const r = pad.getBoundingClientRect();
      return [(event.clientX - r.left) * pad.width / r.width, (event.clientY - r.top) * pad.height / r.height];
    }
    function dot(p) {
      ctx.fillStyle = "#000000";
      ctx.beginPath(); ctx.arc(p[0], p[1], lineWidth / 2, 0, 2 * Math.PI); ctx.fill();
    }
    pad.addEventListener("pointerdown", (e) => {
      drawing = true; last = point(e); dot(last);
      if (pad.setPointerCapture) { try { pad.setPointerCapture(e.pointerId); } catch (_) { /* 무시 */ } }
      e.preventDefault();
    });
    pad.addEventListener("pointermove", (e) => {
      if (!drawing) { return; }
      const p = point(e);
      ctx.strokeStyle = "#000000"; ctx.lineWidth = lineWidth; ctx.lineCap = "round"; ctx.lineJoin = "round";
      ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
      dot(p); last = p; e.preventDefault();
    });
    const end = () => { if (drawing) { drawing = false; predict(); } };
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointerleave", end);
    $("cnnbook-clear").addEventListener("click", clear);
    clear();
    root.dataset.ready = "1";
    const api = { net, forward: (x) => forward(net, x), predict, clear, show };
    window.cnnbookPanels = window.cnnbookPanels || {};
    window.cnnbookPanels[rootId] = api;
    return api;
  }

  const limits = { MAX_THICKNESS, MAX_COVER, SEEN, FIT };
  window.CnnbookDraw = { decode, forward, preprocess, shapeStats, judge, limits, mount, PanelError };
})();
