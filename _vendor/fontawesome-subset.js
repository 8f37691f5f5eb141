(()=>{function a2(c,a){var e=Object.keys(c);if(Object.getOwnPropertySymbols){var r=Object.getOwnPropertySymbols(c);a&&(r=r.filter(function(i){return Object.getOwnPropertyDescriptor(c,i).enumerable})),e.push.apply(e,r)}return e}function t(c){for(var a=1;a<arguments.length;a++){var e=arguments[a]!=null?arguments[a]:{};a%2?a2(Object(e),!0).forEach(function(r){p(c,r,e[r])}):Object.getOwnPropertyDescriptors?Object.defineProperties(c,Object.getOwnPropertyDescriptors(e)):a2(Object(e)).forEach(function(r){Object.defineProperty(c,r,Object.getOwnPropertyDescriptor(e,r))})}return c}function p1(c){"@babel/helpers - typeof";return p1=typeof Symbol=="function"&&typeof Symbol.iterator=="symbol"?function(a){return typeof a}:function(a){return a&&typeof Symbol=="function"&&a.constructor===Symbol&&a!==Symbol.prototype?"symbol":typeof a},p1(c)}function d3(c,a){if(!(c instanceof a))throw new TypeError("Cannot call a class as a function")}function e2(c,a){for(var e=0;e<a.length;e++){var r=a[e];r.enumerable=r.enumerable||!1,r.configurable=!0,"value"in r&&(r.writable=!0),Object.defineProperty(c,r.key,r)}}function x3(c,a,e){return a&&e2(c.prototype,a),e&&e2(c,e),Object.defineProperty(c,"prototype",{writable:!1}),c}function p(c,a,e){return a in c?Object.defineProperty(c,a,{value:e,enumerable:!0,configurable:!0,writable:!0}):c[a]=e,c}function W1(c,a){return b3(c)||S3(c,a)||S2(c,a)||w3()}function f1(c){return g3(c)||N3(c)||S2(c)||k3()}function g3(c){if(Array.isArray(c))return y1(c)}function b3(c){if(Array.isArray(c))return c}function N3(c){if(typeof Symbol<"u"&&c[Symbol.iterator]!=null||c["@@iterator"]!=null)return Array.from(c)}function S3(c,a){var e=c==null?null:typeof Symbol<"u"&&c[Symbol.iterator]||c["@@iterator"];if(e!=null){var r=[],i=!0,s=!1,f,l;try{for(e=e.call(c);!(i=(f=e.next()).done)&&(r.push(f.value),!(a&&r.length===a));i=!0);}catch(n){s=!0,l=n}finally{try{!i&&e.return!=null&&e.return()}finally{if(s)throw l}}return r}}function S2(c,a){if(c){if(typeof c=="string")return y1(c,a);var e=Object.prototype.toString.call(c).slice(8,-1);if(e==="Object"&&c.constructor&&(e=c.constructor.name),e==="Map"||e==="Set")return Array.from(c);if(e==="Arguments"||/^(?:Ui|I)nt(?:8|16|32)(?:Clamped)?Array$/.test(e))return y1(c,a)}}function y1(c,a){(a==null||a>c.length)&&(a=c.length);for(var e=0,r=new Array(a);e<a;e++)r[e]=c[e];return r}function k3(){throw new TypeError(`Invalid attempt to spread non-iterable instance.
In order to be iterable, non-array objects must have a [Symbol.iterator]() method.`)}function w3(){throw new TypeError(`Invalid attempt to destructure non-iterable instance.
In order to be iterable, non-array objects must have a [Symbol.iterator]() method.`)}var r2=function(){},O1={},k2={},w2=null,A2={mark:r2,measure:r2};try{typeof window<"u"&&(O1=window),typeof document<"u"&&(k2=document),typeof MutationObserver<"u"&&(w2=MutationObserver),typeof performance<"u"&&(A2=performance)}catch{}var A3=O1.navigator||{},i2=A3.userAgent,f2=i2===void 0?"":i2,R=O1,M=k2,s2=w2,n1=A2,$4=!!R.document,B=!!M.documentElement&&!!M.head&&typeof M.addEventListener=="function"&&typeof M.createElement=="function",y2=~f2.indexOf("MSIE")||~f2.indexOf("Trident/"),o1,t1,m1,z1,v1,y="___FONT_AWESOME___",P1=16,P2="fa",T2="svg-inline--fa",I="data-fa-i2svg",T1="data-fa-pseudo-element",y3="data-fa-pseudo-element-pending",I1="data-prefix",Z1="data-icon",l2="fontawesome-i2svg",P3="async",T3=["HTML","HEAD","STYLE","SCRIPT"],B2=(function(){try{return!0}catch{return!1}})(),V="classic",C="sharp",j1=[V,C];function s1(c){return new Proxy(c,{get:function(e,r){return r in e?e[r]:e[V]}})}var c1=s1((o1={},p(o1,V,{fa:"solid",fas:"solid","fa-solid":"solid",far:"regular","fa-regular":"regular",fal:"light","fa-light":"light",fat:"thin","fa-thin":"thin",fad:"duotone","fa-duotone":"duotone",fab:"brands","fa-brands":"brands",fak:"kit",fakd:"kit","fa-kit":"kit","fa-kit-duotone":"kit"}),p(o1,C,{fa:"solid",fass:"solid","fa-solid":"solid",fasr:"regular","fa-regular":"regular",fasl:"light","fa-light":"light",fast:"thin","fa-thin":"thin"}),o1)),a1=s1((t1={},p(t1,V,{solid:"fas",regular:"far",light:"fal",thin:"fat",duotone:"fad",brands:"fab",kit:"fak"}),p(t1,C,{solid:"fass",regular:"fasr",light:"fasl",thin:"fast"}),t1)),e1=s1((m1={},p(m1,V,{fab:"fa-brands",fad:"fa-duotone",fak:"fa-kit",fal:"fa-light",far:"fa-regular",fas:"fa-solid",fat:"fa-thin"}),p(m1,C,{fass:"fa-solid",fasr:"fa-regular",fasl:"fa-light",fast:"fa-thin"}),m1)),B3=s1((z1={},p(z1,V,{"fa-brands":"fab","fa-duotone":"fad","fa-kit":"fak","fa-light":"fal","fa-regular":"far","fa-solid":"fas","fa-thin":"fat"}),p(z1,C,{"fa-solid":"fass","fa-regular":"fasr","fa-light":"fasl","fa-thin":"fast"}),z1)),F3=/fa(s|r|l|t|d|b|k|ss|sr|sl|st)?[\-\ ]/,F2="fa-layers-text",D3=/Font ?Awesome ?([56 ]*)(Solid|Regular|Light|Thin|Duotone|Brands|Free|Pro|Sharp|Kit)?.*/i,R3=s1((v1={},p(v1,V,{900:"fas",400:"far",normal:"far",300:"fal",100:"fat"}),p(v1,C,{900:"fass",400:"fasr",300:"fasl",100:"fast"}),v1)),D2=[1,2,3,4,5,6,7,8,9,10],q3=D2.concat([11,12,13,14,15,16,17,18,19,20]),E3=["class","data-prefix","data-icon","data-fa-transform","data-fa-mask"],W={GROUP:"duotone-group",SWAP_OPACITY:"swap-opacity",PRIMARY:"primary",SECONDARY:"secondary"},r1=new Set;Object.keys(a1[V]).map(r1.add.bind(r1));Object.keys(a1[C]).map(r1.add.bind(r1));var U3=[].concat(j1,f1(r1),["2xs","xs","sm","lg","xl","2xl","beat","border","fade","beat-fade","bounce","flip-both","flip-horizontal","flip-vertical","flip","fw","inverse","layers-counter","layers-text","layers","li","pull-left","pull-right","pulse","rotate-180","rotate-270","rotate-90","rotate-by","shake","spin-pulse","spin-reverse","spin","stack-1x","stack-2x","stack","ul",W.GROUP,W.SWAP_OPACITY,W.PRIMARY,W.SECONDARY]).concat(D2.map(function(c){return"".concat(c,"x")})).concat(q3.map(function(c){return"w-".concat(c)})),J=R.FontAwesomeConfig||{};function G3(c){var a=M.querySelector("script["+c+"]");if(a)return a.getAttribute(c)}function W3(c){return c===""?!0:c==="false"?!1:c==="true"?!0:c}M&&typeof M.querySelector=="function"&&(n2=[["data-family-prefix","familyPrefix"],["data-css-prefix","cssPrefix"],["data-family-default","familyDefault"],["data-style-default","styleDefault"],["data-replacement-class","replacementClass"],["data-auto-replace-svg","autoReplaceSvg"],["data-auto-add-css","autoAddCss"],["data-auto-a11y","autoA11y"],["data-search-pseudo-elements","searchPseudoElements"],["data-observe-mutations","observeMutations"],["data-mutate-approach","mutateApproach"],["data-keep-original-source","keepOriginalSource"],["data-measure-performance","measurePerformance"],["data-show-missing-icons","showMissingIcons"]],n2.forEach(function(c){var a=W1(c,2),e=a[0],r=a[1],i=W3(G3(e));i!=null&&(J[r]=i)}));var n2,R2={styleDefault:"solid",familyDefault:"classic",cssPrefix:P2,replacementClass:T2,autoReplaceSvg:!0,autoAddCss:!0,autoA11y:!0,searchPseudoElements:!1,observeMutations:!0,mutateApproach:"async",keepOriginalSource:!0,measurePerformance:!1,showMissingIcons:!0};J.familyPrefix&&(J.cssPrefix=J.familyPrefix);var X=t(t({},R2),J);X.autoReplaceSvg||(X.observeMutations=!1);var z={};Object.keys(R2).forEach(function(c){Object.defineProperty(z,c,{enumerable:!0,set:function(e){X[c]=e,$.forEach(function(r){return r(z)})},get:function(){return X[c]}})});Object.defineProperty(z,"familyPrefix",{enumerable:!0,set:function(a){X.cssPrefix=a,$.forEach(function(e){return e(z)})},get:function(){return X.cssPrefix}});R.FontAwesomeConfig=z;var $=[];function O3(c){return $.push(c),function(){$.splice($.indexOf(c),1)}}var D=P1,A={size:16,x:0,y:0,rotate:0,flipX:!1,flipY:!1};function I3(c){if(!(!c||!B)){var a=M.createElement("style");a.setAttribute("type","text/css"),a.innerHTML=c;for(var e=M.head.childNodes,r=null,i=e.length-1;i>-1;i--){var s=e[i],f=(s.tagName||"").toUpperCase();["STYLE","LINK"].indexOf(f)>-1&&(r=s)}return M.head.insertBefore(a,r),c}}var Z3="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";function i1(){for(var c=12,a="";c-- >0;)a+=Z3[Math.random()*62|0];return a}function K(c){for(var a=[],e=(c||[]).length>>>0;e--;)a[e]=c[e];return a}function _1(c){return c.classList?K(c.classList):(c.getAttribute("class")||"").split(" ").filter(function(a){return a})}function q2(c){return"".concat(c).replace(/&/g,"&amp;").replace(/"/g,"&quot;").replace(/'/g,"&#39;").replace(/</g,"&lt;").replace(/>/g,"&gt;")}function j3(c){return Object.keys(c||{}).reduce(function(a,e){return a+"".concat(e,'="').concat(q2(c[e]),'" ')},"").trim()}function d1(c){return Object.keys(c||{}).reduce(function(a,e){return a+"".concat(e,": ").concat(c[e].trim(),";")},"")}function Y1(c){return c.size!==A.size||c.x!==A.x||c.y!==A.y||c.rotate!==A.rotate||c.flipX||c.flipY}function _3(c){var a=c.transform,e=c.containerWidth,r=c.iconWidth,i={transform:"translate(".concat(e/2," 256)")},s="translate(".concat(a.x*32,", ").concat(a.y*32,") "),f="scale(".concat(a.size/16*(a.flipX?-1:1),", ").concat(a.size/16*(a.flipY?-1:1),") "),l="rotate(".concat(a.rotate," 0 0)"),n={transform:"".concat(s," ").concat(f," ").concat(l)},m={transform:"translate(".concat(r/2*-1," -256)")};return{outer:i,inner:n,path:m}}function Y3(c){var a=c.transform,e=c.width,r=e===void 0?P1:e,i=c.height,s=i===void 0?P1:i,f=c.startCentered,l=f===void 0?!1:f,n="";return l&&y2?n+="translate(".concat(a.x/D-r/2,"em, ").concat(a.y/D-s/2,"em) "):l?n+="translate(calc(-50% + ".concat(a.x/D,"em), calc(-50% + ").concat(a.y/D,"em)) "):n+="translate(".concat(a.x/D,"em, ").concat(a.y/D,"em) "),n+="scale(".concat(a.size/D*(a.flipX?-1:1),", ").concat(a.size/D*(a.flipY?-1:1),") "),n+="rotate(".concat(a.rotate,"deg) "),n}var X3=`:root, :host {
  --fa-font-solid: normal 900 1em/1 "Font Awesome 6 Solid";
  --fa-font-regular: normal 400 1em/1 "Font Awesome 6 Regular";
  --fa-font-light: normal 300 1em/1 "Font Awesome 6 Light";
  --fa-font-thin: normal 100 1em/1 "Font Awesome 6 Thin";
  --fa-font-duotone: normal 900 1em/1 "Font Awesome 6 Duotone";
  --fa-font-sharp-solid: normal 900 1em/1 "Font Awesome 6 Sharp";
  --fa-font-sharp-regular: normal 400 1em/1 "Font Awesome 6 Sharp";
  --fa-font-sharp-light: normal 300 1em/1 "Font Awesome 6 Sharp";
  --fa-font-sharp-thin: normal 100 1em/1 "Font Awesome 6 Sharp";
  --fa-font-brands: normal 400 1em/1 "Font Awesome 6 Brands";
}

svg:not(:root).svg-inline--fa, svg:not(:host).svg-inline--fa {
  overflow: visible;
  box-sizing: content-box;
}

.svg-inline--fa {
  display: var(--fa-display, inline-block);
  height: 1em;
  overflow: visible;
  vertical-align: -0.125em;
}
.svg-inline--fa.fa-2xs {
  vertical-align: 0.1em;
}
.svg-inline--fa.fa-xs {
  vertical-align: 0em;
}
.svg-inline--fa.fa-sm {
  vertical-align: -0.0714285705em;
}
.svg-inline--fa.fa-lg {
  vertical-align: -0.2em;
}
.svg-inline--fa.fa-xl {
  vertical-align: -0.25em;
}
.svg-inline--fa.fa-2xl {
  vertical-align: -0.3125em;
}
.svg-inline--fa.fa-pull-left {
  margin-right: var(--fa-pull-margin, 0.3em);
  width: auto;
}
.svg-inline--fa.fa-pull-right {
  margin-left: var(--fa-pull-margin, 0.3em);
  width: auto;
}
.svg-inline--fa.fa-li {
  width: var(--fa-li-width, 2em);
  top: 0.25em;
}
.svg-inline--fa.fa-fw {
  width: var(--fa-fw-width, 1.25em);
}

.fa-layers svg.svg-inline--fa {
  bottom: 0;
  left: 0;
  margin: auto;
  position: absolute;
  right: 0;
  top: 0;
}

.fa-layers-counter, .fa-layers-text {
  display: inline-block;
  position: absolute;
  text-align: center;
}

.fa-layers {
  display: inline-block;
  height: 1em;
  position: relative;
  text-align: center;
  vertical-align: -0.125em;
  width: 1em;
}
.fa-layers svg.svg-inline--fa {
  -webkit-transform-origin: center center;
          transform-origin: center center;
}

.fa-layers-text {
  left: 50%;
  top: 50%;
  -webkit-transform: translate(-50%, -50%);
          transform: translate(-50%, -50%);
  -webkit-transform-origin: center center;
          transform-origin: center center;
}

.fa-layers-counter {
  background-color: var(--fa-counter-background-color, #ff253a);
  border-radius: var(--fa-counter-border-radius, 1em);
  box-sizing: border-box;
  color: var(--fa-inverse, #fff);
  line-height: var(--fa-counter-line-height, 1);
  max-width: var(--fa-counter-max-width, 5em);
  min-width: var(--fa-counter-min-width, 1.5em);
  overflow: hidden;
  padding: var(--fa-counter-padding, 0.25em 0.5em);
  right: var(--fa-right, 0);
  text-overflow: ellipsis;
  top: var(--fa-top, 0);
  -webkit-transform: scale(var(--fa-counter-scale, 0.25));
          transform: scale(var(--fa-counter-scale, 0.25));
  -webkit-transform-origin: top right;
          transform-origin: top right;
}

.fa-layers-bottom-right {
  bottom: var(--fa-bottom, 0);
  right: var(--fa-right, 0);
  top: auto;
  -webkit-transform: scale(var(--fa-layers-scale, 0.25));
          transform: scale(var(--fa-layers-scale, 0.25));
  -webkit-transform-origin: bottom right;
          transform-origin: bottom right;
}

.fa-layers-bottom-left {
  bottom: var(--fa-bottom, 0);
  left: var(--fa-left, 0);
  right: auto;
  top: auto;
  -webkit-transform: scale(var(--fa-layers-scale, 0.25));
          transform: scale(var(--fa-layers-scale, 0.25));
  -webkit-transform-origin: bottom left;
          transform-origin: bottom left;
}

.fa-layers-top-right {
  top: var(--fa-top, 0);
  right: var(--fa-right, 0);
  -webkit-transform: scale(var(--fa-layers-scale, 0.25));
          transform: scale(var(--fa-layers-scale, 0.25));
  -webkit-transform-origin: top right;
          transform-origin: top right;
}

.fa-layers-top-left {
  left: var(--fa-left, 0);
  right: auto;
  top: var(--fa-top, 0);
  -webkit-transform: scale(var(--fa-layers-scale, 0.25));
          transform: scale(var(--fa-layers-scale, 0.25));
  -webkit-transform-origin: top left;
          transform-origin: top left;
}

.fa-1x {
  font-size: 1em;
}

.fa-2x {
  font-size: 2em;
}

.fa-3x {
  font-size: 3em;
}

.fa-4x {
  font-size: 4em;
}

.fa-5x {
  font-size: 5em;
}

.fa-6x {
  font-size: 6em;
}

.fa-7x {
  font-size: 7em;
}

.fa-8x {
  font-size: 8em;
}

.fa-9x {
  font-size: 9em;
}

.fa-10x {
  font-size: 10em;
}

.fa-2xs {
  font-size: 0.625em;
  line-height: 0.1em;
  vertical-align: 0.225em;
}

.fa-xs {
  font-size: 0.75em;
  line-height: 0.0833333337em;
  vertical-align: 0.125em;
}

.fa-sm {
  font-size: 0.875em;
  line-height: 0.0714285718em;
  vertical-align: 0.0535714295em;
}

.fa-lg {
  font-size: 1.25em;
  line-height: 0.05em;
  vertical-align: -0.075em;
}

.fa-xl {
  font-size: 1.5em;
  line-height: 0.0416666682em;
  vertical-align: -0.125em;
}

.fa-2xl {
  font-size: 2em;
  line-height: 0.03125em;
  vertical-align: -0.1875em;
}

.fa-fw {
  text-align: center;
  width: 1.25em;
}

.fa-ul {
  list-style-type: none;
  margin-left: var(--fa-li-margin, 2.5em);
  padding-left: 0;
}
.fa-ul > li {
  position: relative;
}

.fa-li {
  left: calc(var(--fa-li-width, 2em) * -1);
  position: absolute;
  text-align: center;
  width: var(--fa-li-width, 2em);
  line-height: inherit;
}

.fa-border {
  border-color: var(--fa-border-color, #eee);
  border-radius: var(--fa-border-radius, 0.1em);
  border-style: var(--fa-border-style, solid);
  border-width: var(--fa-border-width, 0.08em);
  padding: var(--fa-border-padding, 0.2em 0.25em 0.15em);
}

.fa-pull-left {
  float: left;
  margin-right: var(--fa-pull-margin, 0.3em);
}

.fa-pull-right {
  float: right;
  margin-left: var(--fa-pull-margin, 0.3em);
}

.fa-beat {
  -webkit-animation-name: fa-beat;
          animation-name: fa-beat;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, ease-in-out);
          animation-timing-function: var(--fa-animation-timing, ease-in-out);
}

.fa-bounce {
  -webkit-animation-name: fa-bounce;
          animation-name: fa-bounce;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, cubic-bezier(0.28, 0.84, 0.42, 1));
          animation-timing-function: var(--fa-animation-timing, cubic-bezier(0.28, 0.84, 0.42, 1));
}

.fa-fade {
  -webkit-animation-name: fa-fade;
          animation-name: fa-fade;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, cubic-bezier(0.4, 0, 0.6, 1));
          animation-timing-function: var(--fa-animation-timing, cubic-bezier(0.4, 0, 0.6, 1));
}

.fa-beat-fade {
  -webkit-animation-name: fa-beat-fade;
          animation-name: fa-beat-fade;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, cubic-bezier(0.4, 0, 0.6, 1));
          animation-timing-function: var(--fa-animation-timing, cubic-bezier(0.4, 0, 0.6, 1));
}

.fa-flip {
  -webkit-animation-name: fa-flip;
          animation-name: fa-flip;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, ease-in-out);
          animation-timing-function: var(--fa-animation-timing, ease-in-out);
}

.fa-shake {
  -webkit-animation-name: fa-shake;
          animation-name: fa-shake;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, linear);
          animation-timing-function: var(--fa-animation-timing, linear);
}

.fa-spin {
  -webkit-animation-name: fa-spin;
          animation-name: fa-spin;
  -webkit-animation-delay: var(--fa-animation-delay, 0s);
          animation-delay: var(--fa-animation-delay, 0s);
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 2s);
          animation-duration: var(--fa-animation-duration, 2s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, linear);
          animation-timing-function: var(--fa-animation-timing, linear);
}

.fa-spin-reverse {
  --fa-animation-direction: reverse;
}

.fa-pulse,
.fa-spin-pulse {
  -webkit-animation-name: fa-spin;
          animation-name: fa-spin;
  -webkit-animation-direction: var(--fa-animation-direction, normal);
          animation-direction: var(--fa-animation-direction, normal);
  -webkit-animation-duration: var(--fa-animation-duration, 1s);
          animation-duration: var(--fa-animation-duration, 1s);
  -webkit-animation-iteration-count: var(--fa-animation-iteration-count, infinite);
          animation-iteration-count: var(--fa-animation-iteration-count, infinite);
  -webkit-animation-timing-function: var(--fa-animation-timing, steps(8));
          animation-timing-function: var(--fa-animation-timing, steps(8));
}

@media (prefers-reduced-motion: reduce) {
  .fa-beat,
.fa-bounce,
.fa-fade,
.fa-beat-fade,
.fa-flip,
.fa-pulse,
.fa-shake,
.fa-spin,
.fa-spin-pulse {
    -webkit-animation-delay: -1ms;
            animation-delay: -1ms;
    -webkit-animation-duration: 1ms;
            animation-duration: 1ms;
    -webkit-animation-iteration-count: 1;
            animation-iteration-count: 1;
    -webkit-transition-delay: 0s;
            transition-delay: 0s;
    -webkit-transition-duration: 0s;
            transition-duration: 0s;
  }
}
@-webkit-keyframes fa-beat {
  0%, 90% {
    -webkit-transform: scale(1);
            transform: scale(1);
  }
  45% {
    -webkit-transform: scale(var(--fa-beat-scale, 1.25));
            transform: scale(var(--fa-beat-scale, 1.25));
  }
}
@keyframes fa-beat {
  0%, 90% {
    -webkit-transform: scale(1);
            transform: scale(1);
  }
  45% {
    -webkit-transform: scale(var(--fa-beat-scale, 1.25));
            transform: scale(var(--fa-beat-scale, 1.25));
  }
}
@-webkit-keyframes fa-bounce {
  0% {
    -webkit-transform: scale(1, 1) translateY(0);
            transform: scale(1, 1) translateY(0);
  }
  10% {
    -webkit-transform: scale(var(--fa-bounce-start-scale-x, 1.1), var(--fa-bounce-start-scale-y, 0.9)) translateY(0);
            transform: scale(var(--fa-bounce-start-scale-x, 1.1), var(--fa-bounce-start-scale-y, 0.9)) translateY(0);
  }
  30% {
    -webkit-transform: scale(var(--fa-bounce-jump-scale-x, 0.9), var(--fa-bounce-jump-scale-y, 1.1)) translateY(var(--fa-bounce-height, -0.5em));
            transform: scale(var(--fa-bounce-jump-scale-x, 0.9), var(--fa-bounce-jump-scale-y, 1.1)) translateY(var(--fa-bounce-height, -0.5em));
  }
  50% {
    -webkit-transform: scale(var(--fa-bounce-land-scale-x, 1.05), var(--fa-bounce-land-scale-y, 0.95)) translateY(0);
            transform: scale(var(--fa-bounce-land-scale-x, 1.05), var(--fa-bounce-land-scale-y, 0.95)) translateY(0);
  }
  57% {
    -webkit-transform: scale(1, 1) translateY(var(--fa-bounce-rebound, -0.125em));
            transform: scale(1, 1) translateY(var(--fa-bounce-rebound, -0.125em));
  }
  64% {
    -webkit-transform: scale(1, 1) translateY(0);
            transform: scale(1, 1) translateY(0);
  }
  100% {
    -webkit-transform: scale(1, 1) translateY(0);
            transform: scale(1, 1) translateY(0);
  }
}
@keyframes fa-bounce {
  0% {
    -webkit-transform: scale(1, 1) translateY(0);
            transform: scale(1, 1) translateY(0);
  }
  10% {
    -webkit-transform: scale(var(--fa-bounce-start-scale-x, 1.1), var(--fa-bounce-start-scale-y, 0.9)) translateY(0);
            transform: scale(var(--fa-bounce-start-scale-x, 1.1), var(--fa-bounce-start-scale-y, 0.9)) translateY(0);
  }
  30% {
    -webkit-transform: scale(var(--fa-bounce-jump-scale-x, 0.9), var(--fa-bounce-jump-scale-y, 1.1)) translateY(var(--fa-bounce-height, -0.5em));
            transform: scale(var(--fa-bounce-jump-scale-x, 0.9), var(--fa-bounce-jump-scale-y, 1.1)) translateY(var(--fa-bounce-height, -0.5em));
  }
  50% {
    -webkit-transform: scale(var(--fa-bounce-land-scale-x, 1.05), var(--fa-bounce-land-scale-y, 0.95)) translateY(0);
            transform: scale(var(--fa-bounce-land-scale-x, 1.05), var(--fa-bounce-land-scale-y, 0.95)) translateY(0);
  }
  57% {
    -webkit-transform: scale(1, 1) translateY(var(--fa-bounce-rebound, -0.125em));
            transform: scale(1, 1) translateY(var(--fa-bounce-rebound, -0.125em));
  }
  64% {
    -webkit-transform: scale(1, 1) translateY(0);
            transform: scale(1, 1) translateY(0);
  }
  100% {
    -webkit-transform: scale(1, 1) translateY(0);
            transform: scale(1, 1) translateY(0);
  }
}
@-webkit-keyframes fa-fade {
  50% {
    opacity: var(--fa-fade-opacity, 0.4);
  }
}
@keyframes fa-fade {
  50% {
    opacity: var(--fa-fade-opacity, 0.4);
  }
}
@-webkit-keyframes fa-beat-fade {
  0%, 100% {
    opacity: var(--fa-beat-fade-opacity, 0.4);
    -webkit-transform: scale(1);
            transform: scale(1);
  }
  50% {
    opacity: 1;
    -webkit-transform: scale(var(--fa-beat-fade-scale, 1.125));
            transform: scale(var(--fa-beat-fade-scale, 1.125));
  }
}
@keyframes fa-beat-fade {
  0%, 100% {
    opacity: var(--fa-beat-fade-opacity, 0.4);
    -webkit-transform: scale(1);
            transform: scale(1);
  }
  50% {
    opacity: 1;
    -webkit-transform: scale(var(--fa-beat-fade-scale, 1.125));
            transform: scale(var(--fa-beat-fade-scale, 1.125));
  }
}
@-webkit-keyframes fa-flip {
  50% {
    -webkit-transform: rotate3d(var(--fa-flip-x, 0), var(--fa-flip-y, 1), var(--fa-flip-z, 0), var(--fa-flip-angle, -180deg));
            transform: rotate3d(var(--fa-flip-x, 0), var(--fa-flip-y, 1), var(--fa-flip-z, 0), var(--fa-flip-angle, -180deg));
  }
}
@keyframes fa-flip {
  50% {
    -webkit-transform: rotate3d(var(--fa-flip-x, 0), var(--fa-flip-y, 1), var(--fa-flip-z, 0), var(--fa-flip-angle, -180deg));
            transform: rotate3d(var(--fa-flip-x, 0), var(--fa-flip-y, 1), var(--fa-flip-z, 0), var(--fa-flip-angle, -180deg));
  }
}
@-webkit-keyframes fa-shake {
  0% {
    -webkit-transform: rotate(-15deg);
            transform: rotate(-15deg);
  }
  4% {
    -webkit-transform: rotate(15deg);
            transform: rotate(15deg);
  }
  8%, 24% {
    -webkit-transform: rotate(-18deg);
            transform: rotate(-18deg);
  }
  12%, 28% {
    -webkit-transform: rotate(18deg);
            transform: rotate(18deg);
  }
  16% {
    -webkit-transform: rotate(-22deg);
            transform: rotate(-22deg);
  }
  20% {
    -webkit-transform: rotate(22deg);
            transform: rotate(22deg);
  }
  32% {
    -webkit-transform: rotate(-12deg);
            transform: rotate(-12deg);
  }
  36% {
    -webkit-transform: rotate(12deg);
            transform: rotate(12deg);
  }
  40%, 100% {
    -webkit-transform: rotate(0deg);
            transform: rotate(0deg);
  }
}
@keyframes fa-shake {
  0% {
    -webkit-transform: rotate(-15deg);
            transform: rotate(-15deg);
  }
  4% {
    -webkit-transform: rotate(15deg);
            transform: rotate(15deg);
  }
  8%, 24% {
    -webkit-transform: rotate(-18deg);
            transform: rotate(-18deg);
  }
  12%, 28% {
    -webkit-transform: rotate(18deg);
            transform: rotate(18deg);
  }
  16% {
    -webkit-transform: rotate(-22deg);
            transform: rotate(-22deg);
  }
  20% {
    -webkit-transform: rotate(22deg);
            transform: rotate(22deg);
  }
  32% {
    -webkit-transform: rotate(-12deg);
            transform: rotate(-12deg);
  }
  36% {
    -webkit-transform: rotate(12deg);
            transform: rotate(12deg);
  }
  40%, 100% {
    -webkit-transform: rotate(0deg);
            transform: rotate(0deg);
  }
}
@-webkit-keyframes fa-spin {
  0% {
    -webkit-transform: rotate(0deg);
            transform: rotate(0deg);
  }
  100% {
    -webkit-transform: rotate(360deg);
            transform: rotate(360deg);
  }
}
@keyframes fa-spin {
  0% {
    -webkit-transform: rotate(0deg);
            transform: rotate(0deg);
  }
  100% {
    -webkit-transform: rotate(360deg);
            transform: rotate(360deg);
  }
}
.fa-rotate-90 {
  -webkit-transform: rotate(90deg);
          transform: rotate(90deg);
}

.fa-rotate-180 {
  -webkit-transform: rotate(180deg);
          transform: rotate(180deg);
}

.fa-rotate-270 {
  -webkit-transform: rotate(270deg);
          transform: rotate(270deg);
}

.fa-flip-horizontal {
  -webkit-transform: scale(-1, 1);
          transform: scale(-1, 1);
}

.fa-flip-vertical {
  -webkit-transform: scale(1, -1);
          transform: scale(1, -1);
}

.fa-flip-both,
.fa-flip-horizontal.fa-flip-vertical {
  -webkit-transform: scale(-1, -1);
          transform: scale(-1, -1);
}

.fa-rotate-by {
  -webkit-transform: rotate(var(--fa-rotate-angle, 0));
          transform: rotate(var(--fa-rotate-angle, 0));
}

.fa-stack {
  display: inline-block;
  vertical-align: middle;
  height: 2em;
  position: relative;
  width: 2.5em;
}

.fa-stack-1x,
.fa-stack-2x {
  bottom: 0;
  left: 0;
  margin: auto;
  position: absolute;
  right: 0;
  top: 0;
  z-index: var(--fa-stack-z-index, auto);
}

.svg-inline--fa.fa-stack-1x {
  height: 1em;
  width: 1.25em;
}
.svg-inline--fa.fa-stack-2x {
  height: 2em;
  width: 2.5em;
}

.fa-inverse {
  color: var(--fa-inverse, #fff);
}

.sr-only,
.fa-sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  white-space: nowrap;
  border-width: 0;
}

.sr-only-focusable:not(:focus),
.fa-sr-only-focusable:not(:focus) {
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  white-space: nowrap;
  border-width: 0;
}

.svg-inline--fa .fa-primary {
  fill: var(--fa-primary-color, currentColor);
  opacity: var(--fa-primary-opacity, 1);
}

.svg-inline--fa .fa-secondary {
  fill: var(--fa-secondary-color, currentColor);
  opacity: var(--fa-secondary-opacity, 0.4);
}

.svg-inline--fa.fa-swap-opacity .fa-primary {
  opacity: var(--fa-secondary-opacity, 0.4);
}

.svg-inline--fa.fa-swap-opacity .fa-secondary {
  opacity: var(--fa-primary-opacity, 1);
}

.svg-inline--fa mask .fa-primary,
.svg-inline--fa mask .fa-secondary {
  fill: black;
}

.fad.fa-inverse,
.fa-duotone.fa-inverse {
  color: var(--fa-inverse, #fff);
}`;function E2(){var c=P2,a=T2,e=z.cssPrefix,r=z.replacementClass,i=X3;if(e!==c||r!==a){var s=new RegExp("\\.".concat(c,"\\-"),"g"),f=new RegExp("\\--".concat(c,"\\-"),"g"),l=new RegExp("\\.".concat(a),"g");i=i.replace(s,".".concat(e,"-")).replace(f,"--".concat(e,"-")).replace(l,".".concat(r))}return i}var o2=!1;function S1(){z.autoAddCss&&!o2&&(I3(E2()),o2=!0)}var K3={mixout:function(){return{dom:{css:E2,insertCss:S1}}},hooks:function(){return{beforeDOMElementCreation:function(){S1()},beforeI2svg:function(){S1()}}}},P=R||{};P[y]||(P[y]={});P[y].styles||(P[y].styles={});P[y].hooks||(P[y].hooks={});P[y].shims||(P[y].shims=[]);var S=P[y],U2=[],Q3=function c(){M.removeEventListener("DOMContentLoaded",c),L1=1,U2.map(function(a){return a()})},L1=!1;B&&(L1=(M.documentElement.doScroll?/^loaded|^c/:/^loaded|^i|^c/).test(M.readyState),L1||M.addEventListener("DOMContentLoaded",Q3));function J3(c){B&&(L1?setTimeout(c,0):U2.push(c))}function l1(c){var a=c.tag,e=c.attributes,r=e===void 0?{}:e,i=c.children,s=i===void 0?[]:i;return typeof c=="string"?q2(c):"<".concat(a," ").concat(j3(r),">").concat(s.map(l1).join(""),"</").concat(a,">")}function t2(c,a,e){if(c&&c[a]&&c[a][e])return{prefix:a,iconName:e,icon:c[a][e]}}var $3=function(a,e){return function(r,i,s,f){return a.call(e,r,i,s,f)}},k1=function(a,e,r,i){var s=Object.keys(a),f=s.length,l=i!==void 0?$3(e,i):e,n,m,o;for(r===void 0?(n=1,o=a[s[0]]):(n=0,o=r);n<f;n++)m=s[n],o=l(o,a[m],m,a);return o};function c4(c){for(var a=[],e=0,r=c.length;e<r;){var i=c.charCodeAt(e++);if(i>=55296&&i<=56319&&e<r){var s=c.charCodeAt(e++);(s&64512)==56320?a.push(((i&1023)<<10)+(s&1023)+65536):(a.push(i),e--)}else a.push(i)}return a}function B1(c){var a=c4(c);return a.length===1?a[0].toString(16):null}function a4(c,a){var e=c.length,r=c.charCodeAt(a),i;return r>=55296&&r<=56319&&e>a+1&&(i=c.charCodeAt(a+1),i>=56320&&i<=57343)?(r-55296)*1024+i-56320+65536:r}function m2(c){return Object.keys(c).reduce(function(a,e){var r=c[e],i=!!r.icon;return i?a[r.iconName]=r.icon:a[e]=r,a},{})}function F1(c,a){var e=arguments.length>2&&arguments[2]!==void 0?arguments[2]:{},r=e.skipHooks,i=r===void 0?!1:r,s=m2(a);typeof S.hooks.addPack=="function"&&!i?S.hooks.addPack(c,m2(a)):S.styles[c]=t(t({},S.styles[c]||{}),s),c==="fas"&&F1("fa",a)}var H1,h1,V1,j=S.styles,e4=S.shims,r4=(H1={},p(H1,V,Object.values(e1[V])),p(H1,C,Object.values(e1[C])),H1),X1=null,G2={},W2={},O2={},I2={},Z2={},i4=(h1={},p(h1,V,Object.keys(c1[V])),p(h1,C,Object.keys(c1[C])),h1);function f4(c){return~U3.indexOf(c)}function s4(c,a){var e=a.split("-"),r=e[0],i=e.slice(1).join("-");return r===c&&i!==""&&!f4(i)?i:null}var j2=function(){var a=function(s){return k1(j,function(f,l,n){return f[n]=k1(l,s,{}),f},{})};G2=a(function(i,s,f){if(s[3]&&(i[s[3]]=f),s[2]){var l=s[2].filter(function(n){return typeof n=="number"});l.forEach(function(n){i[n.toString(16)]=f})}return i}),W2=a(function(i,s,f){if(i[f]=f,s[2]){var l=s[2].filter(function(n){return typeof n=="string"});l.forEach(function(n){i[n]=f})}return i}),Z2=a(function(i,s,f){var l=s[2];return i[f]=f,l.forEach(function(n){i[n]=f}),i});var e="far"in j||z.autoFetchSvg,r=k1(e4,function(i,s){var f=s[0],l=s[1],n=s[2];return l==="far"&&!e&&(l="fas"),typeof f=="string"&&(i.names[f]={prefix:l,iconName:n}),typeof f=="number"&&(i.unicodes[f.toString(16)]={prefix:l,iconName:n}),i},{names:{},unicodes:{}});O2=r.names,I2=r.unicodes,X1=x1(z.styleDefault,{family:z.familyDefault})};O3(function(c){X1=x1(c.styleDefault,{family:z.familyDefault})});j2();function K1(c,a){return(G2[c]||{})[a]}function l4(c,a){return(W2[c]||{})[a]}function O(c,a){return(Z2[c]||{})[a]}function _2(c){return O2[c]||{prefix:null,iconName:null}}function n4(c){var a=I2[c],e=K1("fas",c);return a||(e?{prefix:"fas",iconName:e}:null)||{prefix:null,iconName:null}}function q(){return X1}var Q1=function(){return{prefix:null,iconName:null,rest:[]}};function x1(c){var a=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},e=a.family,r=e===void 0?V:e,i=c1[r][c],s=a1[r][c]||a1[r][i],f=c in S.styles?c:null;return s||f||null}var z2=(V1={},p(V1,V,Object.keys(e1[V])),p(V1,C,Object.keys(e1[C])),V1);function g1(c){var a,e=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},r=e.skipLookups,i=r===void 0?!1:r,s=(a={},p(a,V,"".concat(z.cssPrefix,"-").concat(V)),p(a,C,"".concat(z.cssPrefix,"-").concat(C)),a),f=null,l=V;(c.includes(s[V])||c.some(function(m){return z2[V].includes(m)}))&&(l=V),(c.includes(s[C])||c.some(function(m){return z2[C].includes(m)}))&&(l=C);var n=c.reduce(function(m,o){var v=s4(z.cssPrefix,o);if(j[o]?(o=r4[l].includes(o)?B3[l][o]:o,f=o,m.prefix=o):i4[l].indexOf(o)>-1?(f=o,m.prefix=x1(o,{family:l})):v?m.iconName=v:o!==z.replacementClass&&o!==s[V]&&o!==s[C]&&m.rest.push(o),!i&&m.prefix&&m.iconName){var H=f==="fa"?_2(m.iconName):{},h=O(m.prefix,m.iconName);H.prefix&&(f=null),m.iconName=H.iconName||h||m.iconName,m.prefix=H.prefix||m.prefix,m.prefix==="far"&&!j.far&&j.fas&&!z.autoFetchSvg&&(m.prefix="fas")}return m},Q1());return(c.includes("fa-brands")||c.includes("fab"))&&(n.prefix="fab"),(c.includes("fa-duotone")||c.includes("fad"))&&(n.prefix="fad"),!n.prefix&&l===C&&(j.fass||z.autoFetchSvg)&&(n.prefix="fass",n.iconName=O(n.prefix,n.iconName)||n.iconName),(n.prefix==="fa"||f==="fa")&&(n.prefix=q()||"fas"),n}var o4=(function(){function c(){d3(this,c),this.definitions={}}return x3(c,[{key:"add",value:function(){for(var e=this,r=arguments.length,i=new Array(r),s=0;s<r;s++)i[s]=arguments[s];var f=i.reduce(this._pullDefinitions,{});Object.keys(f).forEach(function(l){e.definitions[l]=t(t({},e.definitions[l]||{}),f[l]),F1(l,f[l]);var n=e1[V][l];n&&F1(n,f[l]),j2()})}},{key:"reset",value:function(){this.definitions={}}},{key:"_pullDefinitions",value:function(e,r){var i=r.prefix&&r.iconName&&r.icon?{0:r}:r;return Object.keys(i).map(function(s){var f=i[s],l=f.prefix,n=f.iconName,m=f.icon,o=m[2];e[l]||(e[l]={}),o.length>0&&o.forEach(function(v){typeof v=="string"&&(e[l][v]=m)}),e[l][n]=m}),e}}]),c})(),v2=[],_={},Y={},t4=Object.keys(Y);function m4(c,a){var e=a.mixoutsTo;return v2=c,_={},Object.keys(Y).forEach(function(r){t4.indexOf(r)===-1&&delete Y[r]}),v2.forEach(function(r){var i=r.mixout?r.mixout():{};if(Object.keys(i).forEach(function(f){typeof i[f]=="function"&&(e[f]=i[f]),p1(i[f])==="object"&&Object.keys(i[f]).forEach(function(l){e[f]||(e[f]={}),e[f][l]=i[f][l]})}),r.hooks){var s=r.hooks();Object.keys(s).forEach(function(f){_[f]||(_[f]=[]),_[f].push(s[f])})}r.provides&&r.provides(Y)}),e}function D1(c,a){for(var e=arguments.length,r=new Array(e>2?e-2:0),i=2;i<e;i++)r[i-2]=arguments[i];var s=_[c]||[];return s.forEach(function(f){a=f.apply(null,[a].concat(r))}),a}function Z(c){for(var a=arguments.length,e=new Array(a>1?a-1:0),r=1;r<a;r++)e[r-1]=arguments[r];var i=_[c]||[];i.forEach(function(s){s.apply(null,e)})}function T(){var c=arguments[0],a=Array.prototype.slice.call(arguments,1);return Y[c]?Y[c].apply(null,a):void 0}function R1(c){c.prefix==="fa"&&(c.prefix="fas");var a=c.iconName,e=c.prefix||q();if(a)return a=O(e,a)||a,t2(Y2.definitions,e,a)||t2(S.styles,e,a)}var Y2=new o4,z4=function(){z.autoReplaceSvg=!1,z.observeMutations=!1,Z("noAuto")},v4={i2svg:function(){var a=arguments.length>0&&arguments[0]!==void 0?arguments[0]:{};return B?(Z("beforeI2svg",a),T("pseudoElements2svg",a),T("i2svg",a)):Promise.reject("Operation requires a DOM of some kind.")},watch:function(){var a=arguments.length>0&&arguments[0]!==void 0?arguments[0]:{},e=a.autoReplaceSvgRoot;z.autoReplaceSvg===!1&&(z.autoReplaceSvg=!0),z.observeMutations=!0,J3(function(){h4({autoReplaceSvgRoot:e}),Z("watch",a)})}},H4={icon:function(a){if(a===null)return null;if(p1(a)==="object"&&a.prefix&&a.iconName)return{prefix:a.prefix,iconName:O(a.prefix,a.iconName)||a.iconName};if(Array.isArray(a)&&a.length===2){var e=a[1].indexOf("fa-")===0?a[1].slice(3):a[1],r=x1(a[0]);return{prefix:r,iconName:O(r,e)||e}}if(typeof a=="string"&&(a.indexOf("".concat(z.cssPrefix,"-"))>-1||a.match(F3))){var i=g1(a.split(" "),{skipLookups:!0});return{prefix:i.prefix||q(),iconName:O(i.prefix,i.iconName)||i.iconName}}if(typeof a=="string"){var s=q();return{prefix:s,iconName:O(s,a)||a}}}},g={noAuto:z4,config:z,dom:v4,parse:H4,library:Y2,findIconDefinition:R1,toHtml:l1},h4=function(){var a=arguments.length>0&&arguments[0]!==void 0?arguments[0]:{},e=a.autoReplaceSvgRoot,r=e===void 0?M:e;(Object.keys(S.styles).length>0||z.autoFetchSvg)&&B&&z.autoReplaceSvg&&g.dom.i2svg({node:r})};function b1(c,a){return Object.defineProperty(c,"abstract",{get:a}),Object.defineProperty(c,"html",{get:function(){return c.abstract.map(function(r){return l1(r)})}}),Object.defineProperty(c,"node",{get:function(){if(B){var r=M.createElement("div");return r.innerHTML=c.html,r.children}}}),c}function V4(c){var a=c.children,e=c.main,r=c.mask,i=c.attributes,s=c.styles,f=c.transform;if(Y1(f)&&e.found&&!r.found){var l=e.width,n=e.height,m={x:l/n/2,y:.5};i.style=d1(t(t({},s),{},{"transform-origin":"".concat(m.x+f.x/16,"em ").concat(m.y+f.y/16,"em")}))}return[{tag:"svg",attributes:i,children:a}]}function M4(c){var a=c.prefix,e=c.iconName,r=c.children,i=c.attributes,s=c.symbol,f=s===!0?"".concat(a,"-").concat(z.cssPrefix,"-").concat(e):s;return[{tag:"svg",attributes:{style:"display: none;"},children:[{tag:"symbol",attributes:t(t({},i),{},{id:f}),children:r}]}]}function J1(c){var a=c.icons,e=a.main,r=a.mask,i=c.prefix,s=c.iconName,f=c.transform,l=c.symbol,n=c.title,m=c.maskId,o=c.titleId,v=c.extra,H=c.watchable,h=H===void 0?!1:H,u=r.found?r:e,b=u.width,N=u.height,k=i==="fak",L=[z.replacementClass,s?"".concat(z.cssPrefix,"-").concat(s):""].filter(function(F){return v.classes.indexOf(F)===-1}).filter(function(F){return F!==""||!!F}).concat(v.classes).join(" "),d={children:[],attributes:t(t({},v.attributes),{},{"data-prefix":i,"data-icon":s,class:L,role:v.attributes.role||"img",xmlns:"http://www.w3.org/2000/svg",viewBox:"0 0 ".concat(b," ").concat(N)})},w=k&&!~v.classes.indexOf("fa-fw")?{width:"".concat(b/N*16*.0625,"em")}:{};h&&(d.attributes[I]=""),n&&(d.children.push({tag:"title",attributes:{id:d.attributes["aria-labelledby"]||"title-".concat(o||i1())},children:[n]}),delete d.attributes.title);var x=t(t({},d),{},{prefix:i,iconName:s,main:e,mask:r,maskId:m,transform:f,symbol:l,styles:t(t({},w),v.styles)}),U=r.found&&e.found?T("generateAbstractMask",x)||{children:[],attributes:{}}:T("generateAbstractIcon",x)||{children:[],attributes:{}},G=U.children,N1=U.attributes;return x.children=G,x.attributes=N1,l?M4(x):V4(x)}function H2(c){var a=c.content,e=c.width,r=c.height,i=c.transform,s=c.title,f=c.extra,l=c.watchable,n=l===void 0?!1:l,m=t(t(t({},f.attributes),s?{title:s}:{}),{},{class:f.classes.join(" ")});n&&(m[I]="");var o=t({},f.styles);Y1(i)&&(o.transform=Y3({transform:i,startCentered:!0,width:e,height:r}),o["-webkit-transform"]=o.transform);var v=d1(o);v.length>0&&(m.style=v);var H=[];return H.push({tag:"span",attributes:m,children:[a]}),s&&H.push({tag:"span",attributes:{class:"sr-only"},children:[s]}),H}function C4(c){var a=c.content,e=c.title,r=c.extra,i=t(t(t({},r.attributes),e?{title:e}:{}),{},{class:r.classes.join(" ")}),s=d1(r.styles);s.length>0&&(i.style=s);var f=[];return f.push({tag:"span",attributes:i,children:[a]}),e&&f.push({tag:"span",attributes:{class:"sr-only"},children:[e]}),f}var w1=S.styles;function q1(c){var a=c[0],e=c[1],r=c.slice(4),i=W1(r,1),s=i[0],f=null;return Array.isArray(s)?f={tag:"g",attributes:{class:"".concat(z.cssPrefix,"-").concat(W.GROUP)},children:[{tag:"path",attributes:{class:"".concat(z.cssPrefix,"-").concat(W.SECONDARY),fill:"currentColor",d:s[0]}},{tag:"path",attributes:{class:"".concat(z.cssPrefix,"-").concat(W.PRIMARY),fill:"currentColor",d:s[1]}}]}:f={tag:"path",attributes:{fill:"currentColor",d:s}},{found:!0,width:a,height:e,icon:f}}var p4={found:!1,width:512,height:512};function L4(c,a){!B2&&!z.showMissingIcons&&c&&console.error('Icon with name "'.concat(c,'" and prefix "').concat(a,'" is missing.'))}function E1(c,a){var e=a;return a==="fa"&&z.styleDefault!==null&&(a=q()),new Promise(function(r,i){var s={found:!1,width:512,height:512,icon:T("missingIconAbstract")||{}};if(e==="fa"){var f=_2(c)||{};c=f.iconName||c,a=f.prefix||a}if(c&&a&&w1[a]&&w1[a][c]){var l=w1[a][c];return r(q1(l))}L4(c,a),r(t(t({},p4),{},{icon:z.showMissingIcons&&c?T("missingIconAbstract")||{}:{}}))})}var h2=function(){},U1=z.measurePerformance&&n1&&n1.mark&&n1.measure?n1:{mark:h2,measure:h2},Q='FA "6.5.2"',u4=function(a){return U1.mark("".concat(Q," ").concat(a," begins")),function(){return X2(a)}},X2=function(a){U1.mark("".concat(Q," ").concat(a," ends")),U1.measure("".concat(Q," ").concat(a),"".concat(Q," ").concat(a," begins"),"".concat(Q," ").concat(a," ends"))},$1={begin:u4,end:X2},M1=function(){};function V2(c){var a=c.getAttribute?c.getAttribute(I):null;return typeof a=="string"}function d4(c){var a=c.getAttribute?c.getAttribute(I1):null,e=c.getAttribute?c.getAttribute(Z1):null;return a&&e}function x4(c){return c&&c.classList&&c.classList.contains&&c.classList.contains(z.replacementClass)}function g4(){if(z.autoReplaceSvg===!0)return C1.replace;var c=C1[z.autoReplaceSvg];return c||C1.replace}function b4(c){return M.createElementNS("http://www.w3.org/2000/svg",c)}function N4(c){return M.createElement(c)}function K2(c){var a=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},e=a.ceFn,r=e===void 0?c.tag==="svg"?b4:N4:e;if(typeof c=="string")return M.createTextNode(c);var i=r(c.tag);Object.keys(c.attributes||[]).forEach(function(f){i.setAttribute(f,c.attributes[f])});var s=c.children||[];return s.forEach(function(f){i.appendChild(K2(f,{ceFn:r}))}),i}function S4(c){var a=" ".concat(c.outerHTML," ");return a="".concat(a,"Font Awesome fontawesome.com "),a}var C1={replace:function(a){var e=a[0];if(e.parentNode)if(a[1].forEach(function(i){e.parentNode.insertBefore(K2(i),e)}),e.getAttribute(I)===null&&z.keepOriginalSource){var r=M.createComment(S4(e));e.parentNode.replaceChild(r,e)}else e.remove()},nest:function(a){var e=a[0],r=a[1];if(~_1(e).indexOf(z.replacementClass))return C1.replace(a);var i=new RegExp("".concat(z.cssPrefix,"-.*"));if(delete r[0].attributes.id,r[0].attributes.class){var s=r[0].attributes.class.split(" ").reduce(function(l,n){return n===z.replacementClass||n.match(i)?l.toSvg.push(n):l.toNode.push(n),l},{toNode:[],toSvg:[]});r[0].attributes.class=s.toSvg.join(" "),s.toNode.length===0?e.removeAttribute("class"):e.setAttribute("class",s.toNode.join(" "))}var f=r.map(function(l){return l1(l)}).join(`
`);e.setAttribute(I,""),e.innerHTML=f}};function M2(c){c()}function Q2(c,a){var e=typeof a=="function"?a:M1;if(c.length===0)e();else{var r=M2;z.mutateApproach===P3&&(r=R.requestAnimationFrame||M2),r(function(){var i=g4(),s=$1.begin("mutate");c.map(i),s(),e()})}}var c2=!1;function J2(){c2=!0}function G1(){c2=!1}var u1=null;function C2(c){if(s2&&z.observeMutations){var a=c.treeCallback,e=a===void 0?M1:a,r=c.nodeCallback,i=r===void 0?M1:r,s=c.pseudoElementsCallback,f=s===void 0?M1:s,l=c.observeMutationsRoot,n=l===void 0?M:l;u1=new s2(function(m){if(!c2){var o=q();K(m).forEach(function(v){if(v.type==="childList"&&v.addedNodes.length>0&&!V2(v.addedNodes[0])&&(z.searchPseudoElements&&f(v.target),e(v.target)),v.type==="attributes"&&v.target.parentNode&&z.searchPseudoElements&&f(v.target.parentNode),v.type==="attributes"&&V2(v.target)&&~E3.indexOf(v.attributeName))if(v.attributeName==="class"&&d4(v.target)){var H=g1(_1(v.target)),h=H.prefix,u=H.iconName;v.target.setAttribute(I1,h||o),u&&v.target.setAttribute(Z1,u)}else x4(v.target)&&i(v.target)})}}),B&&u1.observe(n,{childList:!0,attributes:!0,characterData:!0,subtree:!0})}}function k4(){u1&&u1.disconnect()}function w4(c){var a=c.getAttribute("style"),e=[];return a&&(e=a.split(";").reduce(function(r,i){var s=i.split(":"),f=s[0],l=s.slice(1);return f&&l.length>0&&(r[f]=l.join(":").trim()),r},{})),e}function A4(c){var a=c.getAttribute("data-prefix"),e=c.getAttribute("data-icon"),r=c.innerText!==void 0?c.innerText.trim():"",i=g1(_1(c));return i.prefix||(i.prefix=q()),a&&e&&(i.prefix=a,i.iconName=e),i.iconName&&i.prefix||(i.prefix&&r.length>0&&(i.iconName=l4(i.prefix,c.innerText)||K1(i.prefix,B1(c.innerText))),!i.iconName&&z.autoFetchSvg&&c.firstChild&&c.firstChild.nodeType===Node.TEXT_NODE&&(i.iconName=c.firstChild.data)),i}function y4(c){var a=K(c.attributes).reduce(function(i,s){return i.name!=="class"&&i.name!=="style"&&(i[s.name]=s.value),i},{}),e=c.getAttribute("title"),r=c.getAttribute("data-fa-title-id");return z.autoA11y&&(e?a["aria-labelledby"]="".concat(z.replacementClass,"-title-").concat(r||i1()):(a["aria-hidden"]="true",a.focusable="false")),a}function P4(){return{iconName:null,title:null,titleId:null,prefix:null,transform:A,symbol:!1,mask:{iconName:null,prefix:null,rest:[]},maskId:null,extra:{classes:[],styles:{},attributes:{}}}}function p2(c){var a=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{styleParser:!0},e=A4(c),r=e.iconName,i=e.prefix,s=e.rest,f=y4(c),l=D1("parseNodeAttributes",{},c),n=a.styleParser?w4(c):[];return t({iconName:r,title:c.getAttribute("title"),titleId:c.getAttribute("data-fa-title-id"),prefix:i,transform:A,mask:{iconName:null,prefix:null,rest:[]},maskId:null,symbol:!1,extra:{classes:s,styles:n,attributes:f}},l)}var T4=S.styles;function $2(c){var a=z.autoReplaceSvg==="nest"?p2(c,{styleParser:!1}):p2(c);return~a.extra.classes.indexOf(F2)?T("generateLayersText",c,a):T("generateSvgReplacementMutation",c,a)}var E=new Set;j1.map(function(c){E.add("fa-".concat(c))});Object.keys(c1[V]).map(E.add.bind(E));Object.keys(c1[C]).map(E.add.bind(E));E=f1(E);function L2(c){var a=arguments.length>1&&arguments[1]!==void 0?arguments[1]:null;if(!B)return Promise.resolve();var e=M.documentElement.classList,r=function(v){return e.add("".concat(l2,"-").concat(v))},i=function(v){return e.remove("".concat(l2,"-").concat(v))},s=z.autoFetchSvg?E:j1.map(function(o){return"fa-".concat(o)}).concat(Object.keys(T4));s.includes("fa")||s.push("fa");var f=[".".concat(F2,":not([").concat(I,"])")].concat(s.map(function(o){return".".concat(o,":not([").concat(I,"])")})).join(", ");if(f.length===0)return Promise.resolve();var l=[];try{l=K(c.querySelectorAll(f))}catch{}if(l.length>0)r("pending"),i("complete");else return Promise.resolve();var n=$1.begin("onTree"),m=l.reduce(function(o,v){try{var H=$2(v);H&&o.push(H)}catch(h){B2||h.name==="MissingIcon"&&console.error(h)}return o},[]);return new Promise(function(o,v){Promise.all(m).then(function(H){Q2(H,function(){r("active"),r("complete"),i("pending"),typeof a=="function"&&a(),n(),o()})}).catch(function(H){n(),v(H)})})}function B4(c){var a=arguments.length>1&&arguments[1]!==void 0?arguments[1]:null;$2(c).then(function(e){e&&Q2([e],a)})}function F4(c){return function(a){var e=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},r=(a||{}).icon?a:R1(a||{}),i=e.mask;return i&&(i=(i||{}).icon?i:R1(i||{})),c(r,t(t({},e),{},{mask:i}))}}var D4=function(a){var e=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},r=e.transform,i=r===void 0?A:r,s=e.symbol,f=s===void 0?!1:s,l=e.mask,n=l===void 0?null:l,m=e.maskId,o=m===void 0?null:m,v=e.title,H=v===void 0?null:v,h=e.titleId,u=h===void 0?null:h,b=e.classes,N=b===void 0?[]:b,k=e.attributes,L=k===void 0?{}:k,d=e.styles,w=d===void 0?{}:d;if(a){var x=a.prefix,U=a.iconName,G=a.icon;return b1(t({type:"icon"},a),function(){return Z("beforeDOMElementCreation",{iconDefinition:a,params:e}),z.autoA11y&&(H?L["aria-labelledby"]="".concat(z.replacementClass,"-title-").concat(u||i1()):(L["aria-hidden"]="true",L.focusable="false")),J1({icons:{main:q1(G),mask:n?q1(n.icon):{found:!1,width:null,height:null,icon:{}}},prefix:x,iconName:U,transform:t(t({},A),i),symbol:f,title:H,maskId:o,titleId:u,extra:{attributes:L,styles:w,classes:N}})})}},R4={mixout:function(){return{icon:F4(D4)}},hooks:function(){return{mutationObserverCallbacks:function(e){return e.treeCallback=L2,e.nodeCallback=B4,e}}},provides:function(a){a.i2svg=function(e){var r=e.node,i=r===void 0?M:r,s=e.callback,f=s===void 0?function(){}:s;return L2(i,f)},a.generateSvgReplacementMutation=function(e,r){var i=r.iconName,s=r.title,f=r.titleId,l=r.prefix,n=r.transform,m=r.symbol,o=r.mask,v=r.maskId,H=r.extra;return new Promise(function(h,u){Promise.all([E1(i,l),o.iconName?E1(o.iconName,o.prefix):Promise.resolve({found:!1,width:512,height:512,icon:{}})]).then(function(b){var N=W1(b,2),k=N[0],L=N[1];h([e,J1({icons:{main:k,mask:L},prefix:l,iconName:i,transform:n,symbol:m,maskId:v,title:s,titleId:f,extra:H,watchable:!0})])}).catch(u)})},a.generateAbstractIcon=function(e){var r=e.children,i=e.attributes,s=e.main,f=e.transform,l=e.styles,n=d1(l);n.length>0&&(i.style=n);var m;return Y1(f)&&(m=T("generateAbstractTransformGrouping",{main:s,transform:f,containerWidth:s.width,iconWidth:s.width})),r.push(m||s.icon),{children:r,attributes:i}}}},q4={mixout:function(){return{layer:function(e){var r=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},i=r.classes,s=i===void 0?[]:i;return b1({type:"layer"},function(){Z("beforeDOMElementCreation",{assembler:e,params:r});var f=[];return e(function(l){Array.isArray(l)?l.map(function(n){f=f.concat(n.abstract)}):f=f.concat(l.abstract)}),[{tag:"span",attributes:{class:["".concat(z.cssPrefix,"-layers")].concat(f1(s)).join(" ")},children:f}]})}}}},E4={mixout:function(){return{counter:function(e){var r=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},i=r.title,s=i===void 0?null:i,f=r.classes,l=f===void 0?[]:f,n=r.attributes,m=n===void 0?{}:n,o=r.styles,v=o===void 0?{}:o;return b1({type:"counter",content:e},function(){return Z("beforeDOMElementCreation",{content:e,params:r}),C4({content:e.toString(),title:s,extra:{attributes:m,styles:v,classes:["".concat(z.cssPrefix,"-layers-counter")].concat(f1(l))}})})}}}},U4={mixout:function(){return{text:function(e){var r=arguments.length>1&&arguments[1]!==void 0?arguments[1]:{},i=r.transform,s=i===void 0?A:i,f=r.title,l=f===void 0?null:f,n=r.classes,m=n===void 0?[]:n,o=r.attributes,v=o===void 0?{}:o,H=r.styles,h=H===void 0?{}:H;return b1({type:"text",content:e},function(){return Z("beforeDOMElementCreation",{content:e,params:r}),H2({content:e,transform:t(t({},A),s),title:l,extra:{attributes:v,styles:h,classes:["".concat(z.cssPrefix,"-layers-text")].concat(f1(m))}})})}}},provides:function(a){a.generateLayersText=function(e,r){var i=r.title,s=r.transform,f=r.extra,l=null,n=null;if(y2){var m=parseInt(getComputedStyle(e).fontSize,10),o=e.getBoundingClientRect();l=o.width/m,n=o.height/m}return z.autoA11y&&!i&&(f.attributes["aria-hidden"]="true"),Promise.resolve([e,H2({content:e.innerHTML,width:l,height:n,transform:s,title:i,extra:f,watchable:!0})])}}},G4=new RegExp('"',"ug"),u2=[1105920,1112319];function W4(c){var a=c.replace(G4,""),e=a4(a,0),r=e>=u2[0]&&e<=u2[1],i=a.length===2?a[0]===a[1]:!1;return{value:B1(i?a[0]:a),isSecondary:r||i}}function d2(c,a){var e="".concat(y3).concat(a.replace(":","-"));return new Promise(function(r,i){if(c.getAttribute(e)!==null)return r();var s=K(c.children),f=s.filter(function(G){return G.getAttribute(T1)===a})[0],l=R.getComputedStyle(c,a),n=l.getPropertyValue("font-family").match(D3),m=l.getPropertyValue("font-weight"),o=l.getPropertyValue("content");if(f&&!n)return c.removeChild(f),r();if(n&&o!=="none"&&o!==""){var v=l.getPropertyValue("content"),H=~["Sharp"].indexOf(n[2])?C:V,h=~["Solid","Regular","Light","Thin","Duotone","Brands","Kit"].indexOf(n[2])?a1[H][n[2].toLowerCase()]:R3[H][m],u=W4(v),b=u.value,N=u.isSecondary,k=n[0].startsWith("FontAwesome"),L=K1(h,b),d=L;if(k){var w=n4(b);w.iconName&&w.prefix&&(L=w.iconName,h=w.prefix)}if(L&&!N&&(!f||f.getAttribute(I1)!==h||f.getAttribute(Z1)!==d)){c.setAttribute(e,d),f&&c.removeChild(f);var x=P4(),U=x.extra;U.attributes[T1]=a,E1(L,h).then(function(G){var N1=J1(t(t({},x),{},{icons:{main:G,mask:Q1()},prefix:h,iconName:d,extra:U,watchable:!0})),F=M.createElementNS("http://www.w3.org/2000/svg","svg");a==="::before"?c.insertBefore(F,c.firstChild):c.appendChild(F),F.outerHTML=N1.map(function(u3){return l1(u3)}).join(`
`),c.removeAttribute(e),r()}).catch(i)}else r()}else r()})}function O4(c){return Promise.all([d2(c,"::before"),d2(c,"::after")])}function I4(c){return c.parentNode!==document.head&&!~T3.indexOf(c.tagName.toUpperCase())&&!c.getAttribute(T1)&&(!c.parentNode||c.parentNode.tagName!=="svg")}function x2(c){if(B)return new Promise(function(a,e){var r=K(c.querySelectorAll("*")).filter(I4).map(O4),i=$1.begin("searchPseudoElements");J2(),Promise.all(r).then(function(){i(),G1(),a()}).catch(function(){i(),G1(),e()})})}var Z4={hooks:function(){return{mutationObserverCallbacks:function(e){return e.pseudoElementsCallback=x2,e}}},provides:function(a){a.pseudoElements2svg=function(e){var r=e.node,i=r===void 0?M:r;z.searchPseudoElements&&x2(i)}}},g2=!1,j4={mixout:function(){return{dom:{unwatch:function(){J2(),g2=!0}}}},hooks:function(){return{bootstrap:function(){C2(D1("mutationObserverCallbacks",{}))},noAuto:function(){k4()},watch:function(e){var r=e.observeMutationsRoot;g2?G1():C2(D1("mutationObserverCallbacks",{observeMutationsRoot:r}))}}}},b2=function(a){var e={size:16,x:0,y:0,flipX:!1,flipY:!1,rotate:0};return a.toLowerCase().split(" ").reduce(function(r,i){var s=i.toLowerCase().split("-"),f=s[0],l=s.slice(1).join("-");if(f&&l==="h")return r.flipX=!0,r;if(f&&l==="v")return r.flipY=!0,r;if(l=parseFloat(l),isNaN(l))return r;switch(f){case"grow":r.size=r.size+l;break;case"shrink":r.size=r.size-l;break;case"left":r.x=r.x-l;break;case"right":r.x=r.x+l;break;case"up":r.y=r.y-l;break;case"down":r.y=r.y+l;break;case"rotate":r.rotate=r.rotate+l;break}return r},e)},_4={mixout:function(){return{parse:{transform:function(e){return b2(e)}}}},hooks:function(){return{parseNodeAttributes:function(e,r){var i=r.getAttribute("data-fa-transform");return i&&(e.transform=b2(i)),e}}},provides:function(a){a.generateAbstractTransformGrouping=function(e){var r=e.main,i=e.transform,s=e.containerWidth,f=e.iconWidth,l={transform:"translate(".concat(s/2," 256)")},n="translate(".concat(i.x*32,", ").concat(i.y*32,") "),m="scale(".concat(i.size/16*(i.flipX?-1:1),", ").concat(i.size/16*(i.flipY?-1:1),") "),o="rotate(".concat(i.rotate," 0 0)"),v={transform:"".concat(n," ").concat(m," ").concat(o)},H={transform:"translate(".concat(f/2*-1," -256)")},h={outer:l,inner:v,path:H};return{tag:"g",attributes:t({},h.outer),children:[{tag:"g",attributes:t({},h.inner),children:[{tag:r.icon.tag,children:r.icon.children,attributes:t(t({},r.icon.attributes),h.path)}]}]}}}},A1={x:0,y:0,width:"100%",height:"100%"};function N2(c){var a=arguments.length>1&&arguments[1]!==void 0?arguments[1]:!0;return c.attributes&&(c.attributes.fill||a)&&(c.attributes.fill="black"),c}function Y4(c){return c.tag==="g"?c.children:[c]}var X4={hooks:function(){return{parseNodeAttributes:function(e,r){var i=r.getAttribute("data-fa-mask"),s=i?g1(i.split(" ").map(function(f){return f.trim()})):Q1();return s.prefix||(s.prefix=q()),e.mask=s,e.maskId=r.getAttribute("data-fa-mask-id"),e}}},provides:function(a){a.generateAbstractMask=function(e){var r=e.children,i=e.attributes,s=e.main,f=e.mask,l=e.maskId,n=e.transform,m=s.width,o=s.icon,v=f.width,H=f.icon,h=_3({transform:n,containerWidth:v,iconWidth:m}),u={tag:"rect",attributes:t(t({},A1),{},{fill:"white"})},b=o.children?{children:o.children.map(N2)}:{},N={tag:"g",attributes:t({},h.inner),children:[N2(t({tag:o.tag,attributes:t(t({},o.attributes),h.path)},b))]},k={tag:"g",attributes:t({},h.outer),children:[N]},L="mask-".concat(l||i1()),d="clip-".concat(l||i1()),w={tag:"mask",attributes:t(t({},A1),{},{id:L,maskUnits:"userSpaceOnUse",maskContentUnits:"userSpaceOnUse"}),children:[u,k]},x={tag:"defs",children:[{tag:"clipPath",attributes:{id:d},children:Y4(H)},w]};return r.push(x,{tag:"rect",attributes:t({fill:"currentColor","clip-path":"url(#".concat(d,")"),mask:"url(#".concat(L,")")},A1)}),{children:r,attributes:i}}}},K4={provides:function(a){var e=!1;R.matchMedia&&(e=R.matchMedia("(prefers-reduced-motion: reduce)").matches),a.missingIconAbstract=function(){var r=[],i={fill:"currentColor"},s={attributeType:"XML",repeatCount:"indefinite",dur:"2s"};r.push({tag:"path",attributes:t(t({},i),{},{d:"M156.5,447.7l-12.6,29.5c-18.7-9.5-35.9-21.2-51.5-34.9l22.7-22.7C127.6,430.5,141.5,440,156.5,447.7z M40.6,272H8.5 c1.4,21.2,5.4,41.7,11.7,61.1L50,321.2C45.1,305.5,41.8,289,40.6,272z M40.6,240c1.4-18.8,5.2-37,11.1-54.1l-29.5-12.6 C14.7,194.3,10,216.7,8.5,240H40.6z M64.3,156.5c7.8-14.9,17.2-28.8,28.1-41.5L69.7,92.3c-13.7,15.6-25.5,32.8-34.9,51.5 L64.3,156.5z M397,419.6c-13.9,12-29.4,22.3-46.1,30.4l11.9,29.8c20.7-9.9,39.8-22.6,56.9-37.6L397,419.6z M115,92.4 c13.9-12,29.4-22.3,46.1-30.4l-11.9-29.8c-20.7,9.9-39.8,22.6-56.8,37.6L115,92.4z M447.7,355.5c-7.8,14.9-17.2,28.8-28.1,41.5 l22.7,22.7c13.7-15.6,25.5-32.9,34.9-51.5L447.7,355.5z M471.4,272c-1.4,18.8-5.2,37-11.1,54.1l29.5,12.6 c7.5-21.1,12.2-43.5,13.6-66.8H471.4z M321.2,462c-15.7,5-32.2,8.2-49.2,9.4v32.1c21.2-1.4,41.7-5.4,61.1-11.7L321.2,462z M240,471.4c-18.8-1.4-37-5.2-54.1-11.1l-12.6,29.5c21.1,7.5,43.5,12.2,66.8,13.6V471.4z M462,190.8c5,15.7,8.2,32.2,9.4,49.2h32.1 c-1.4-21.2-5.4-41.7-11.7-61.1L462,190.8z M92.4,397c-12-13.9-22.3-29.4-30.4-46.1l-29.8,11.9c9.9,20.7,22.6,39.8,37.6,56.9 L92.4,397z M272,40.6c18.8,1.4,36.9,5.2,54.1,11.1l12.6-29.5C317.7,14.7,295.3,10,272,8.5V40.6z M190.8,50 c15.7-5,32.2-8.2,49.2-9.4V8.5c-21.2,1.4-41.7,5.4-61.1,11.7L190.8,50z M442.3,92.3L419.6,115c12,13.9,22.3,29.4,30.5,46.1 l29.8-11.9C470,128.5,457.3,109.4,442.3,92.3z M397,92.4l22.7-22.7c-15.6-13.7-32.8-25.5-51.5-34.9l-12.6,29.5 C370.4,72.1,384.4,81.5,397,92.4z"})});var f=t(t({},s),{},{attributeName:"opacity"}),l={tag:"circle",attributes:t(t({},i),{},{cx:"256",cy:"364",r:"28"}),children:[]};return e||l.children.push({tag:"animate",attributes:t(t({},s),{},{attributeName:"r",values:"28;14;28;28;14;28;"})},{tag:"animate",attributes:t(t({},f),{},{values:"1;0;1;1;0;1;"})}),r.push(l),r.push({tag:"path",attributes:t(t({},i),{},{opacity:"1",d:"M263.7,312h-16c-6.6,0-12-5.4-12-12c0-71,77.4-63.9,77.4-107.8c0-20-17.8-40.2-57.4-40.2c-29.1,0-44.3,9.6-59.2,28.7 c-3.9,5-11.1,6-16.2,2.4l-13.1-9.2c-5.6-3.9-6.9-11.8-2.6-17.2c21.2-27.2,46.4-44.7,91.2-44.7c52.3,0,97.4,29.8,97.4,80.2 c0,67.6-77.4,63.5-77.4,107.8C275.7,306.6,270.3,312,263.7,312z"}),children:e?[]:[{tag:"animate",attributes:t(t({},f),{},{values:"1;0;0;0;0;1;"})}]}),e||r.push({tag:"path",attributes:t(t({},i),{},{opacity:"0",d:"M232.5,134.5l7,168c0.3,6.4,5.6,11.5,12,11.5h9c6.4,0,11.7-5.1,12-11.5l7-168c0.3-6.8-5.2-12.5-12-12.5h-23 C237.7,122,232.2,127.7,232.5,134.5z"}),children:[{tag:"animate",attributes:t(t({},f),{},{values:"0;0;1;1;0;0;"})}]}),{tag:"g",attributes:{class:"missing"},children:r}}}},Q4={hooks:function(){return{parseNodeAttributes:function(e,r){var i=r.getAttribute("data-fa-symbol"),s=i===null?!1:i===""?!0:i;return e.symbol=s,e}}}},J4=[K3,R4,q4,E4,U4,Z4,j4,_4,X4,K4,Q4];m4(J4,{mixoutsTo:g});var c6=g.noAuto,a6=g.config,c3=g.library,a3=g.dom,e6=g.parse,r6=g.findIconDefinition,i6=g.toHtml,f6=g.icon,s6=g.layer,l6=g.text,n6=g.counter;var e3={prefix:"fab",iconName:"github",icon:[496,512,[],"f09b","M165.9 397.4c0 2-2.3 3.6-5.2 3.6-3.3.3-5.6-1.3-5.6-3.6 0-2 2.3-3.6 5.2-3.6 3-.3 5.6 1.3 5.6 3.6zm-31.1-4.5c-.7 2 1.3 4.3 4.3 4.9 2.6 1 5.6 0 6.2-2s-1.3-4.3-4.3-5.2c-2.6-.7-5.5.3-6.2 2.3zm44.2-1.7c-2.9.7-4.9 2.6-4.6 4.9.3 2 2.9 3.3 5.9 2.6 2.9-.7 4.9-2.6 4.6-4.6-.3-1.9-3-3.2-5.9-2.9zM244.8 8C106.1 8 0 113.3 0 252c0 110.9 69.8 205.8 169.5 239.2 12.8 2.3 17.3-5.6 17.3-12.1 0-6.2-.3-40.4-.3-61.4 0 0-70 15-84.7-29.8 0 0-11.4-29.1-27.8-36.6 0 0-22.9-15.7 1.6-15.4 0 0 24.9 2 38.6 25.8 21.9 38.6 58.6 27.5 72.9 20.9 2.3-16 8.8-27.1 16-33.7-55.9-6.2-112.3-14.3-112.3-110.5 0-27.5 7.6-41.3 23.6-58.9-2.6-6.5-11.1-33.3 2.6-67.9 20.9-6.5 69 27 69 27 20-5.6 41.5-8.5 62.8-8.5s42.8 2.9 62.8 8.5c0 0 48.1-33.6 69-27 13.7 34.7 5.2 61.4 2.6 67.9 16 17.7 25.8 31.5 25.8 58.9 0 96.5-58.9 104.2-114.8 110.5 9.2 7.9 17 22.9 17 46.4 0 33.7-.3 75.4-.3 83.6 0 6.5 4.6 14.4 17.3 12.1C428.2 457.8 496 362.9 496 252 496 113.3 383.5 8 244.8 8zM97.2 352.9c-1.3 1-1 3.3.7 5.2 1.6 1.6 3.9 2.3 5.2 1 1.3-1 1-3.3-.7-5.2-1.6-1.6-3.9-2.3-5.2-1zm-10.8-8.1c-.7 1.3.3 2.9 2.3 3.9 1.6 1 3.6.7 4.3-.7.7-1.3-.3-2.9-2.3-3.9-2-.6-3.6-.3-4.3.7zm32.4 35.6c-1.6 1.3-1 4.3 1.3 6.2 2.3 2.3 5.2 2.6 6.5 1 1.3-1.3.7-4.3-1.3-6.2-2.2-2.3-5.2-2.6-6.5-1zm-11.4-14.7c-1.6 1-1.6 3.6 0 5.9 1.6 2.3 4.3 3.3 5.6 2.3 1.6-1.3 1.6-3.9 0-6.2-1.4-2.3-4-3.3-5.6-2z"]};var r3={prefix:"fas",iconName:"bars",icon:[448,512,["navicon"],"f0c9","M0 96C0 78.3 14.3 64 32 64H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 128 0 113.7 0 96zM0 256c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32zM448 416c0 17.7-14.3 32-32 32H32c-17.7 0-32-14.3-32-32s14.3-32 32-32H416c17.7 0 32 14.3 32 32z"]};var i3={prefix:"fas",iconName:"lightbulb",icon:[384,512,[128161],"f0eb","M272 384c9.6-31.9 29.5-59.1 49.2-86.2l0 0c5.2-7.1 10.4-14.2 15.4-21.4c19.8-28.5 31.4-63 31.4-100.3C368 78.8 289.2 0 192 0S16 78.8 16 176c0 37.3 11.6 71.9 31.4 100.3c5 7.2 10.2 14.3 15.4 21.4l0 0c19.8 27.1 39.7 54.4 49.2 86.2H272zM192 512c44.2 0 80-35.8 80-80V416H112v16c0 44.2 35.8 80 80 80zM112 176c0 8.8-7.2 16-16 16s-16-7.2-16-16c0-61.9 50.1-112 112-112c8.8 0 16 7.2 16 16s-7.2 16-16 16c-44.2 0-80 35.8-80 80z"]};var f3={prefix:"fas",iconName:"compress",icon:[448,512,[],"f066","M160 64c0-17.7-14.3-32-32-32s-32 14.3-32 32v64H32c-17.7 0-32 14.3-32 32s14.3 32 32 32h96c17.7 0 32-14.3 32-32V64zM32 320c-17.7 0-32 14.3-32 32s14.3 32 32 32H96v64c0 17.7 14.3 32 32 32s32-14.3 32-32V352c0-17.7-14.3-32-32-32H32zM352 64c0-17.7-14.3-32-32-32s-32 14.3-32 32v96c0 17.7 14.3 32 32 32h96c17.7 0 32-14.3 32-32s-14.3-32-32-32H352V64zM320 320c-17.7 0-32 14.3-32 32v96c0 17.7 14.3 32 32 32s32-14.3 32-32V384h64c17.7 0 32-14.3 32-32s-14.3-32-32-32H320z"]};var s3={prefix:"fas",iconName:"list",icon:[512,512,["list-squares"],"f03a","M40 48C26.7 48 16 58.7 16 72v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V72c0-13.3-10.7-24-24-24H40zM192 64c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3 32-32s-14.3-32-32-32H192zM16 232v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V232c0-13.3-10.7-24-24-24H40c-13.3 0-24 10.7-24 24zM40 368c-13.3 0-24 10.7-24 24v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7 24-24V392c0-13.3-10.7-24-24-24H40z"]};var l3={prefix:"fas",iconName:"angle-right",icon:[320,512,[8250],"f105","M278.6 233.4c12.5 12.5 12.5 32.8 0 45.3l-160 160c-12.5 12.5-32.8 12.5-45.3 0s-12.5-32.8 0-45.3L210.7 256 73.4 118.6c-12.5-12.5-12.5-32.8 0-45.3s32.8-12.5 45.3 0l160 160z"]};var n3={prefix:"fas",iconName:"file-pdf",icon:[512,512,[],"f1c1","M0 64C0 28.7 28.7 0 64 0L224 0l0 128c0 17.7 14.3 32 32 32l128 0 0 144-208 0c-35.3 0-64 28.7-64 64l0 144-48 0c-35.3 0-64-28.7-64-64L0 64zm384 64l-128 0L256 0 384 128zM176 352l32 0c30.9 0 56 25.1 56 56s-25.1 56-56 56l-16 0 0 32c0 8.8-7.2 16-16 16s-16-7.2-16-16l0-48 0-80c0-8.8 7.2-16 16-16zm32 80c13.3 0 24-10.7 24-24s-10.7-24-24-24l-16 0 0 48 16 0zm96-80l32 0c26.5 0 48 21.5 48 48l0 64c0 26.5-21.5 48-48 48l-32 0c-8.8 0-16-7.2-16-16l0-128c0-8.8 7.2-16 16-16zm32 128c8.8 0 16-7.2 16-16l0-64c0-8.8-7.2-16-16-16l-16 0 0 96 16 0zm80-112c0-8.8 7.2-16 16-16l48 0c8.8 0 16 7.2 16 16s-7.2 16-16 16l-32 0 0 32 32 0c8.8 0 16 7.2 16 16s-7.2 16-16 16l-32 0 0 48c0 8.8-7.2 16-16 16s-16-7.2-16-16l0-64 0-64z"]};var o3={prefix:"fas",iconName:"download",icon:[512,512,[],"f019","M288 32c0-17.7-14.3-32-32-32s-32 14.3-32 32V274.7l-73.4-73.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3l128 128c12.5 12.5 32.8 12.5 45.3 0l128-128c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0L288 274.7V32zM64 352c-35.3 0-64 28.7-64 64v32c0 35.3 28.7 64 64 64H448c35.3 0 64-28.7 64-64V416c0-35.3-28.7-64-64-64H346.5l-45.3 45.3c-25 25-65.5 25-90.5 0L165.5 352H64zm368 56a24 24 0 1 1 0 48 24 24 0 1 1 0-48z"]};var t3={prefix:"fas",iconName:"outdent",icon:[448,512,["dedent"],"f03b","M0 64C0 46.3 14.3 32 32 32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 96 0 81.7 0 64zM192 192c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H224c-17.7 0-32-14.3-32-32zm32 96H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H224c-17.7 0-32-14.3-32-32s14.3-32 32-32zM0 448c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32zM.2 268.6c-8.2-6.4-8.2-18.9 0-25.3l101.9-79.3c10.5-8.2 25.8-.7 25.8 12.6V335.3c0 13.3-15.3 20.8-25.8 12.6L.2 268.6z"]};var m3={prefix:"fas",iconName:"sun",icon:[512,512,[9728],"f185","M361.5 1.2c5 2.1 8.6 6.6 9.6 11.9L391 121l107.9 19.8c5.3 1 9.8 4.6 11.9 9.6s1.5 10.7-1.6 15.2L446.9 256l62.3 90.3c3.1 4.5 3.7 10.2 1.6 15.2s-6.6 8.6-11.9 9.6L391 391 371.1 498.9c-1 5.3-4.6 9.8-9.6 11.9s-10.7 1.5-15.2-1.6L256 446.9l-90.3 62.3c-4.5 3.1-10.2 3.7-15.2 1.6s-8.6-6.6-9.6-11.9L121 391 13.1 371.1c-5.3-1-9.8-4.6-11.9-9.6s-1.5-10.7 1.6-15.2L65.1 256 2.8 165.7c-3.1-4.5-3.7-10.2-1.6-15.2s6.6-8.6 11.9-9.6L121 121 140.9 13.1c1-5.3 4.6-9.8 9.6-11.9s10.7-1.5 15.2 1.6L256 65.1 346.3 2.8c4.5-3.1 10.2-3.7 15.2-1.6zM160 256a96 96 0 1 1 192 0 96 96 0 1 1 -192 0zm224 0a128 128 0 1 0 -256 0 128 128 0 1 0 256 0z"]};var z3={prefix:"fas",iconName:"file",icon:[384,512,[128196,128459,61462],"f15b","M0 64C0 28.7 28.7 0 64 0H224V128c0 17.7 14.3 32 32 32H384V448c0 35.3-28.7 64-64 64H64c-35.3 0-64-28.7-64-64V64zm384 64H256V0L384 128z"]};var v3={prefix:"fas",iconName:"magnifying-glass",icon:[512,512,[128269,"search"],"f002","M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3 0L330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416 208zM208 352a144 144 0 1 0 0-288 144 144 0 1 0 0 288z"]};var H3={prefix:"fas",iconName:"arrow-up",icon:[384,512,[8593],"f062","M214.6 41.4c-12.5-12.5-32.8-12.5-45.3 0l-160 160c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 0L160 141.2V448c0 17.7 14.3 32 32 32s32-14.3 32-32V141.2L329.4 246.6c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3l-160-160z"]};var h3={prefix:"fas",iconName:"circle-half-stroke",icon:[512,512,[9680,"adjust"],"f042","M448 256c0-106-86-192-192-192V448c106 0 192-86 192-192zM0 256a256 256 0 1 1 512 0A256 256 0 1 1 0 256z"]};var V3={prefix:"fas",iconName:"expand",icon:[448,512,[],"f065","M32 32C14.3 32 0 46.3 0 64v96c0 17.7 14.3 32 32 32s32-14.3 32-32V96h64c17.7 0 32-14.3 32-32s-14.3-32-32-32H32zM64 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v96c0 17.7 14.3 32 32 32h96c17.7 0 32-14.3 32-32s-14.3-32-32-32H64V352zM320 32c-17.7 0-32 14.3-32 32s14.3 32 32 32h64v64c0 17.7 14.3 32 32 32s32-14.3 32-32V64c0-17.7-14.3-32-32-32H320zM448 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v64H320c-17.7 0-32 14.3-32 32s14.3 32 32 32h96c17.7 0 32-14.3 32-32V352z"]};var M3={prefix:"fas",iconName:"xmark",icon:[384,512,[128473,10005,10006,10060,215,"close","multiply","remove","times"],"f00d","M342.6 150.6c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0L192 210.7 86.6 105.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3L146.7 256 41.4 361.4c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 0L192 301.3 297.4 406.6c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3L237.3 256 342.6 150.6z"]};var C3={prefix:"fas",iconName:"rocket",icon:[512,512,[],"f135","M156.6 384.9L125.7 354c-8.5-8.5-11.5-20.8-7.7-32.2c3-8.9 7-20.5 11.8-33.8L24 288c-8.6 0-16.6-4.6-20.9-12.1s-4.2-16.7 .2-24.1l52.5-88.5c13-21.9 36.5-35.3 61.9-35.3l82.3 0c2.4-4 4.8-7.7 7.2-11.3C289.1-4.1 411.1-8.1 483.9 5.3c11.6 2.1 20.6 11.2 22.8 22.8c13.4 72.9 9.3 194.8-111.4 276.7c-3.5 2.4-7.3 4.8-11.3 7.2v82.3c0 25.4-13.4 49-35.3 61.9l-88.5 52.5c-7.4 4.4-16.6 4.5-24.1 .2s-12.1-12.2-12.1-20.9V380.8c-14.1 4.9-26.4 8.9-35.7 11.9c-11.2 3.6-23.4 .5-31.8-7.8zM384 168a40 40 0 1 0 0-80 40 40 0 1 0 0 80z"]};var p3={prefix:"fas",iconName:"moon",icon:[384,512,[127769,9214],"f186","M223.5 32C100 32 0 132.3 0 256S100 480 223.5 480c60.6 0 115.5-24.2 155.8-63.4c5-4.9 6.3-12.5 3.1-18.7s-10.1-9.7-17-8.5c-9.8 1.7-19.8 2.6-30.1 2.6c-96.9 0-175.5-78.8-175.5-176c0-65.8 36-123.1 89.3-153.3c6.1-3.5 9.2-10.5 7.7-17.3s-7.3-11.9-14.3-12.5c-6.3-.5-12.6-.8-19-.8z"]};var L3={prefix:"fas",iconName:"angle-left",icon:[320,512,[8249],"f104","M41.4 233.4c-12.5 12.5-12.5 32.8 0 45.3l160 160c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3L109.3 256 246.6 118.6c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0l-160 160z"]};c3.add(L3,l3,H3,r3,h3,f3,o3,V3,z3,n3,i3,s3,v3,p3,t3,C3,m3,M3,e3);a3.watch();})();
