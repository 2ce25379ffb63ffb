// A small line chart on <canvas>, drawn here rather than with a charting library so the page needs no CDN. Keeps
// the last `capacity` points of each series; the y axis starts at 0 and scales to the largest visible value.
// A null value is a gap (e.g. no request finished in that interval, so there is no latency to show). The element's
// data-latest attribute holds the newest plotted value of the first series (tests and scripts read it).

export class LineChart {
  constructor(canvas, series, { capacity = 90, unit = '', digits = 1 } = {}) {
    this.canvas = canvas;
    this.series = series.map(s => ({ ...s, points: [] }));
    this.capacity = capacity;
    this.unit = unit;
    this.digits = digits;
    canvas.dataset.latest = '0';
    canvas.dataset.points = '0';
    this.draw();
  }

  push(values) {
    this.series.forEach((s, i) => {
      s.points.push(values[i]);
      if (s.points.length > this.capacity) s.points.shift();
    });
    if (Number.isFinite(values[0])) this.canvas.dataset.latest = String(values[0]);
    this.canvas.dataset.points = String(this.series[0].points.length);
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    // Draw at the device's pixel density so lines stay sharp on high-DPI screens.
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, canvas.clientWidth || 600);
    const height = Math.max(80, canvas.clientHeight || 160);
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);

    const left = 48, right = 8, top = 20, bottom = 14;
    const plotWidth = width - left - right, plotHeight = height - top - bottom;
    const max = niceCeiling(Math.max(0, ...this.series.flatMap(s => s.points).filter(Number.isFinite)));

    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const y = top + plotHeight - (i / 4) * plotHeight;
      g.strokeStyle = i === 0 ? '#9aa3ae' : '#e6e9ee';
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(left + plotWidth, y);
      g.stroke();
      g.fillStyle = '#6b7280';
      g.textAlign = 'right';
      g.fillText(formatNumber((max * i) / 4, this.digits), left - 6, y);
    }

    let legendX = left;
    for (const s of this.series) {
      g.fillStyle = s.color;
      g.fillRect(legendX, 4, 10, 10);
      g.fillStyle = '#1d2330';
      g.textAlign = 'left';
      const latest = s.points.findLast(Number.isFinite);
      const label = `${s.label} ${latest === undefined ? '–' : formatNumber(latest, this.digits) + this.unit}`;
      g.fillText(label, legendX + 14, 9);
      legendX += 22 + g.measureText(label).width;
    }

    const step = plotWidth / Math.max(1, this.capacity - 1);
    for (const s of this.series) {
      if (s.points.length === 0) continue;
      g.strokeStyle = s.color;
      g.lineWidth = 1.75;
      g.beginPath();
      const offset = this.capacity - s.points.length; // newest point at the right edge
      let drawing = false;
      s.points.forEach((v, i) => {
        if (!Number.isFinite(v)) {
          drawing = false;
          return;
        }
        const x = left + (offset + i) * step;
        const y = top + plotHeight - (v / max) * plotHeight;
        if (drawing) g.lineTo(x, y);
        else g.moveTo(x, y);
        drawing = true;
      });
      g.stroke();
      g.lineWidth = 1;
    }
  }
}

/** The smallest 1, 2 or 5 times a power of ten at or above the value, so the axis labels are round. */
function niceCeiling(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}

function formatNumber(value, digits) {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  return value.toFixed(digits);
}
