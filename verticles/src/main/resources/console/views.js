// DOM helpers: elements are built with textContent only, so nothing the server or a client sent is
// ever read as HTML.

/** An element with attributes (a string value, or a function for on<event>) and children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** Replaces a table's body with one row per item, each cell from a column's function. */
export function fillTable(table, items, columns, empty = 'none') {
  const body = table.tBodies[0] || table.appendChild(document.createElement('tbody'));
  body.replaceChildren();
  if (items.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: columns.length, class: 'empty' }, empty)));
    return;
  }
  for (const item of items) {
    body.append(el('tr', {}, columns.map((column) => el('td', {}, column(item)))));
  }
}

/** A definition list of an object's fields, nested objects as JSON. */
export function fields(object) {
  return el(
    'dl',
    { class: 'fields' },
    Object.entries(object).map(([key, value]) => [
      el('dt', {}, key),
      el('dd', {}, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)),
    ]));
}

export function setText(id, value) {
  const node = document.getElementById(id);
  if (node && node.textContent !== String(value)) {
    node.textContent = String(value);
  }
}

export function formatNumber(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  return Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function formatDuration(ms) {
  const seconds = Math.floor(ms / 1000);
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + s + 's';
}

export function formatBytes(bytes) {
  if (bytes < 1024) {
    return bytes + ' B';
  }
  if (bytes < 1024 * 1024) {
    return (bytes / 1024).toFixed(1) + ' KiB';
  }
  return (bytes / 1024 / 1024).toFixed(1) + ' MiB';
}
