// A small line chart on a canvas: a few series over the same time axis, newest on the right.

/**
 * Draws series of numbers (each {label, color, values}) on a canvas, scaled to the largest value,
 * with that value and a legend written on it.
 */
export function drawChart(canvas, series, { points = 300, unit = '/s' } = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const top = 18;
  const bottom = height - 4;
  const left = 4;
  const right = width - 4;
  let max = 1;
  for (const s of series) {
    for (const v of s.values) {
      max = Math.max(max, v);
    }
  }
  max = niceCeiling(max);
  g.strokeStyle = '#d9dde3';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = Math.round(top + ((bottom - top) * i) / 4) + 0.5;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(right, y);
    g.stroke();
  }
  const step = (right - left) / Math.max(1, points - 1);
  for (const s of series) {
    const values = s.values.slice(-points);
    const start = right - step * (values.length - 1);
    g.strokeStyle = s.color;
    g.lineWidth = 1.5;
    g.beginPath();
    values.forEach((v, i) => {
      const x = start + step * i;
      const y = bottom - ((bottom - top) * v) / max;
      if (i === 0) {
        g.moveTo(x, y);
      } else {
        g.lineTo(x, y);
      }
    });
    g.stroke();
  }
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'top';
  g.fillStyle = '#555';
  g.fillText(max + unit, left + 2, 2);
  let x = left + 70;
  for (const s of series) {
    const last = s.values.length ? s.values[s.values.length - 1] : 0;
    const text = s.label + ' ' + last;
    g.fillStyle = s.color;
    g.fillRect(x, 5, 10, 3);
    g.fillStyle = '#333';
    g.fillText(text, x + 14, 2);
    x += g.measureText(text).width + 30;
  }
}

/** 1, 2 or 5 times a power of ten, at least the value: a scale a reader takes in at a glance. */
function niceCeiling(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) {
    if (value <= m * power) {
      return m * power;
    }
  }
  return 10 * power;
}
