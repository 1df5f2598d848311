// ui.js — small DOM helpers shared by every page: element building (no
// innerHTML with data, so nothing the gateway returns can inject markup),
// number and time formats, status badges, JSON highlighting and toasts.

// h('div', {class: 'card', onclick: f}, child, 'text', [more]) → Element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'value') el.value = value;  // textareas have no value attribute
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) el.append(child);
  }
  return el;
}

export function number(n) {
  if (n === null || n === undefined) return '—';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function ago(ms, now = Date.now()) {
  if (!ms) return '—';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s ago`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
}

export function clock(ms) {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

export function statusBadge(status) {
  let cls = 's5xx';
  if (status === 201 || status === 204) cls = 's2xx';
  else if (status >= 200 && status < 300) cls = 's200';
  else if (status === 429) cls = 's429';
  else if (status >= 400 && status < 500) cls = 's4xx';
  return h('span', { class: `badge ${cls}`, dataset: { status: String(status) } }, String(status));
}

export function channelBadge(channel) {
  return h('span', { class: 'badge channel' }, channel || '—');
}

// Pretty JSON with its keys, strings, numbers and literals coloured.
export function jsonBlock(value, attrs = {}) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const pre = h('pre', attrs);
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const m of text.matchAll(token)) {
    pre.append(text.slice(last, m.index));
    const cls = m[1] ? (m[2] ? 'k' : 's') : m[3] ? 'b' : 'n';
    pre.append(h('span', { class: cls }, m[1] || m[0]));
    if (m[2]) pre.append(m[2]);
    last = m.index + m[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

export function toast(message, { error = false } = {}) {
  const el = h('div', { class: `toast${error ? ' error' : ''}`, role: 'status' }, message);
  document.getElementById('toasts').append(el);
  setTimeout(() => el.remove(), error ? 7000 : 3500);
}

export function empty(title, detail) {
  return h('div', { class: 'empty' }, h('strong', {}, title), detail);
}

export function card(title, body, extra) {
  return h('section', { class: 'card' }, h('header', {}, h('h2', {}, title), extra), body);
}

// A new id for a provider message, unique enough for a console session.
export function freshId(prefix = 'console') {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${prefix}-${Date.now().toString(36)}-${random[0].toString(36)}${random[1].toString(36)}`;
}
