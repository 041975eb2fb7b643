// Charts drawn with Chart.js from the JSON the page names: <canvas data-chart="bar" data-src="URL"
// data-key="funnel" data-label="…">. Each chart has its data table next to it on the page (accessibility);
// the canvas is decorative for screen readers, which read the table.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    if (typeof Chart === 'undefined') return;
    var cache = {};
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var src = canvas.getAttribute('data-src');
      cache[src] = cache[src] || fetch(src, { credentials: 'same-origin' }).then(function (r) { return r.json(); });
      cache[src].then(function (data) {
        var series = data[canvas.getAttribute('data-key')];
        if (!series) return;
        new Chart(canvas, {
          type: canvas.getAttribute('data-chart'),
          data: {
            labels: series.labels,
            datasets: [{ label: canvas.getAttribute('data-label'), data: series.values, backgroundColor: '#1f4e8c' }]
          },
          options: { animation: false, responsive: true, plugins: { legend: { display: false } },
            scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
        });
        canvas.setAttribute('data-drawn', 'true');
      });
    });
  });
})();
