// Small behaviours that htmx does not cover; no inline script anywhere (CSP).
(function () {
  'use strict';
  // Remove a chosen CPV code.
  document.addEventListener('click', function (e) {
    var btn = e.target.closest('[data-remove-chip]');
    if (!btn) return;
    var chip = btn.closest('.cpv-chip');
    var input = document.getElementById('cpv_query');
    if (chip) chip.remove();
    if (input) input.focus();
  });
  // After a CPV is chosen: clear the suggestions and avoid duplicates.
  document.addEventListener('htmx:afterSwap', function (e) {
    if (e.detail.target && e.detail.target.id === 'cpv-selected') {
      var seen = {};
      e.detail.target.querySelectorAll('input[name="cpv_codes"]').forEach(function (i) {
        if (seen[i.value]) i.closest('.cpv-chip').remove(); else seen[i.value] = true;
      });
      var list = document.getElementById('cpv-suggestions');
      if (list) list.innerHTML = '';
      var input = document.getElementById('cpv_query');
      if (input) { input.value = ''; input.focus(); }
    }
  });
  // Print buttons (agendas, table sheets).
  document.addEventListener('click', function (e) {
    if (e.target.closest('[data-print]')) window.print();
  });
  // Destructive forms ask first (data-confirm="question").
  document.addEventListener('submit', function (e) {
    var form = e.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
  });
  // Move focus to the error summary when a form comes back with errors.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.getElementById('erreurs');
    if (summary) summary.focus();
  });
  // A form refused inside another page (the page reached again at its #section): once loaded and scrolled to
  // that section, focus its error summary.
  window.addEventListener('load', function () {
    var summary = document.querySelector('[data-focus-on-load]');
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: 'center' });
    }
  });
})();
