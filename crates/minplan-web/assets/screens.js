// Narrow screens (phones): the map's layer list folds to its heading, 图层 ▸, so that it does
// not cover the map; a tap on the heading opens or closes it. Wider screens are unchanged
// (the fold applies only under the same width as the CSS rule in app.css).
(function () {
  'use strict';
  const narrow = window.matchMedia('(max-width: 720px)');
  function fold() {
    document.querySelectorAll('.layer-switcher').forEach(function (sw) {
      sw.classList.toggle('folded', narrow.matches && !sw.classList.contains('open'));
    });
  }
  document.addEventListener('click', function (e) {
    const head = e.target.closest && e.target.closest('.layer-switcher > strong');
    if (!head) return;
    const sw = head.parentElement;
    const open = !sw.classList.contains('open');
    sw.classList.toggle('open', open);
    sw.classList.toggle('folded', narrow.matches && !open);
    head.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
  document.addEventListener('DOMContentLoaded', fold);
  if (narrow.addEventListener) narrow.addEventListener('change', fold);
})();
