// Charts drawn with Chart.js from the JSON the page names: <canvas data-chart="bar" data-src="URL"
// data-key="funnel" data-label="…">. data-key may be a dotted path ("tables.par-annee.chart"); the series
// found there is either {labels, values} (one dataset named by data-label) or {labels, datasets: [{label,
// values}]}. Each chart has its data table next to it on the page (accessibility); the canvas is decorative
// for screen readers, which read the table.
(function () {
  'use strict';
  var palette = ['#1f4e8c', '#e07b00', '#2e8b57', '#8e44ad', '#b03a2e', '#5d6d7e'];
  function lookup(data, path) {
    return path.split('.').reduce(function (o, k) { return o ? o[k] : undefined; }, data);
  }
  document.addEventListener('DOMContentLoaded', function () {
    if (typeof Chart === 'undefined') return;
    var cache = {};
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var src = canvas.getAttribute('data-src');
      cache[src] = cache[src] || fetch(src, { credentials: 'same-origin' }).then(function (r) { return r.json(); });
      cache[src].then(function (data) {
        var series = lookup(data, canvas.getAttribute('data-key'));
        if (!series) return;
        var sets = series.datasets || [{ label: canvas.getAttribute('data-label'), values: series.values }];
        new Chart(canvas, {
          type: canvas.getAttribute('data-chart'),
          data: {
            labels: series.labels,
            datasets: sets.map(function (s, i) {
              return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length] };
            })
          },
          options: { animation: false, responsive: true, plugins: { legend: { display: sets.length > 1 } },
            scales: { y: { beginAtZero: true } } }
        });
        canvas.setAttribute('data-drawn', 'true');
      });
    });
  });
})();
