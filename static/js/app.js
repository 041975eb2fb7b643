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
  // Text limits (data-maxchars="N"): the browser's maxlength would cut a paste silently, so the field takes
  // everything and says how much is left; over the limit it says by how much (the server refuses and keeps
  // the text). Characters are counted as the server counts them: code points, not UTF-16 units.
  function length(s) { return Array.from(s.replace(/\r\n/g, '\n')).length; }
  function fr(n) { return n.toLocaleString('fr-FR'); }
  function updateCounter(field) {
    var max = parseInt(field.getAttribute('data-maxchars'), 10);
    var note = document.getElementById(field.id + '-limite');
    if (!note || !max) return;
    var n = length(field.value), over = n - max;
    var long = field.tagName === 'TEXTAREA' || max >= 300;
    note.hidden = !long && over <= 0 && (max < 50 || n < max * 0.8);
    note.classList.toggle('text-danger', over > 0);
    note.textContent = over > 0
      ? fr(over) + (over > 1 ? ' caractères de trop' : ' caractère de trop') + ' (' + fr(max) + ' au plus).'
      : (n === 0 ? fr(max) + ' caractères au plus.' : fr(n) + ' / ' + fr(max) + ' caractères.');
  }
  function setupCounters(root) {
    root.querySelectorAll('[data-maxchars][id]').forEach(function (field) {
      if (document.getElementById(field.id + '-limite')) { updateCounter(field); return; }
      var note = document.createElement('div');
      note.className = 'form-text';
      note.id = field.id + '-limite';
      field.insertAdjacentElement('afterend', note);
      var described = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      described.push(note.id);
      field.setAttribute('aria-describedby', described.join(' '));
      updateCounter(field);
    });
  }
  document.addEventListener('input', function (e) {
    if (e.target.matches && e.target.matches('[data-maxchars]')) updateCounter(e.target);
  });
  document.addEventListener('DOMContentLoaded', function () { setupCounters(document); });
  document.addEventListener('htmx:afterSwap', function (e) { setupCounters(e.detail.target); });
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
