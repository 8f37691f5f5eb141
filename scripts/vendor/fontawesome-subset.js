// 책이 실제로 쓰는 Font Awesome 아이콘만 담은 번들 (테마의 fontawesome.js 1.5 MB 대신 수십 KB).
// scripts/vendor_js.sh 가 esbuild로 묶어 _vendor/fontawesome-subset.js 로 두고, _ext/book_assets.py 가 책을 만든 뒤
// _static/scripts/fontawesome.js 를 이것으로 바꿉니다. 테마가 쓰는 아이콘이 늘면 여기에 더하세요:
// tests/browser/test_built_book.py 가 아이콘으로 바뀌지 않은 <i class="fa-..."> 를 찾아냅니다.
import { dom, library } from "@fortawesome/fontawesome-svg-core";
import { faGithub } from "@fortawesome/free-brands-svg-icons";
import {
  faAngleLeft, faAngleRight, faArrowUp, faBars, faCircleHalfStroke, faCompress, faDownload, faExpand, faFile,
  faFilePdf, faLightbulb, faList, faMagnifyingGlass, faMoon, faOutdent, faRocket, faSun, faXmark,
} from "@fortawesome/free-solid-svg-icons";

library.add(
  faAngleLeft, faAngleRight, faArrowUp, faBars, faCircleHalfStroke, faCompress, faDownload, faExpand, faFile,
  faFilePdf, faLightbulb, faList, faMagnifyingGlass, faMoon, faOutdent, faRocket, faSun, faXmark, faGithub,
);
dom.watch();
