// forms.js — forms built from what the gateway declares, never from a list
// kept here: payload forms from a plugin's field schema (so a new plugin
// gets a form with no console change) and the tenant + API key picker that
// the playground and the replay page share.
import { h, freshId } from './ui.js';
import { tenantKey, setTenantKey } from './api.js';

// The plugin's message-id field (the first field it joins into
// provider_message_id), or '' when the id is a hash of several fields.
export function messageIdField(plugin) {
  return plugin.mapping?.message_id?.join?.[0] || '';
}

function constraintHint(field) {
  const parts = [];
  if (field.type !== 'string') parts.push(field.type);
  if (field.format === 'identifier') parts.push('letters, digits, . _ -');
  if (field.min_length !== undefined && field.max_length !== undefined) {
    parts.push(`${field.min_length}–${field.max_length} chars`);
  } else if (field.max_length !== undefined) {
    parts.push(`≤ ${field.max_length} chars`);
  }
  if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
  if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`);
  return parts.join(' · ');
}

function inputFor(field, initial) {
  const name = `field-${field.name}`;
  const common = { name, id: name, dataset: { field: field.name }, required: field.required };
  switch (field.type) {
    case 'boolean':
      return h('input', { ...common, type: 'checkbox', checked: initial === true });
    case 'integer':
    case 'number':
      return h('input', { ...common, type: 'number', step: field.type === 'integer' ? '1' : 'any',
        min: field.minimum, max: field.maximum, value: initial ?? '' });
    case 'object':
    case 'array':
      return h('textarea', { ...common, rows: 3, class: 'mono',
        value: initial === undefined ? '' : JSON.stringify(initial, null, 1) });
    default:
      if ((field.max_length || 0) > 200) {
        return h('textarea', { ...common, rows: 2, maxLength: field.max_length, value: initial ?? '' });
      }
      return h('input', { ...common, type: 'text', maxLength: field.max_length,
        placeholder: field.type === 'timestamp' ? '2024-05-01T12:00:00Z' : '', value: initial ?? '' });
  }
}

function readInput(field, input) {
  if (field.type === 'boolean') return input.checked;
  const text = input.value;
  if (text === '') return undefined;
  if (field.type === 'integer' || field.type === 'number') return Number(text);
  if (field.type === 'object' || field.type === 'array') {
    try { return JSON.parse(text); } catch { return text; }  // the gateway names the field
  }
  return text;
}

// A form for one plugin's payload. tenant: the initial tenant id; the
// message-id field starts with a fresh id and has a button for another.
export function payloadForm(plugin, { tenant = '', onChange = () => {} } = {}) {
  const idField = messageIdField(plugin);
  const tenantField = plugin.mapping?.tenant_field || 'tenant_id';
  const inputs = new Map();
  const rows = plugin.fields.map((field) => {
    let initial = field.example;
    if (field.name === idField) initial = freshId(plugin.name);
    if (field.name === tenantField) initial = tenant;
    if (field.type === 'timestamp') initial = new Date().toISOString();
    const input = inputFor(field, initial);
    input.addEventListener('input', onChange);
    inputs.set(field.name, input);
    const control = field.name === idField
      ? h('div', { class: 'field-row' }, input, h('button', {
        type: 'button', class: 'small', title: 'a new provider message id',
        onclick: () => { input.value = freshId(plugin.name); onChange(); },
      }, 'new id'))
      : input;
    const hint = [field.description, constraintHint(field)].filter(Boolean).join(' — ');
    if (field.type === 'boolean') {
      return h('label', { class: 'check', title: hint }, input, field.name);
    }
    return h('label', { for: input.id }, h('span', {}, field.name,
      field.required ? h('span', { class: 'req', title: 'required' }, '*') : null),
    control, hint ? h('span', { class: 'hint' }, hint) : null);
  });
  return {
    element: h('div', { class: 'form-grid', dataset: { plugin: plugin.name } }, rows),
    payload() {
      const out = {};
      for (const field of plugin.fields) {
        const value = readInput(field, inputs.get(field.name));
        if (value !== undefined && !(field.type === 'boolean' && !field.required && value === false)) {
          out[field.name] = value;
        }
      }
      return out;
    },
    setTenant(id) {
      const input = inputs.get(tenantField);
      if (input) input.value = id;
    },
    messageId() {
      return idField ? inputs.get(idField).value : '';
    },
    newMessageId() {
      if (idField) inputs.get(idField).value = freshId(plugin.name);
    },
  };
}

// Tenant select + its API key. tenants: /v1/internal/tenants' list;
// authRequired: whether ingest calls need a key at all.
export function tenantPicker(tenants, { authRequired = true, onChange = () => {} } = {}) {
  const configured = tenants.filter((t) => t.configured);
  const select = h('select', { id: 'tenant', name: 'tenant', dataset: { testid: 'tenant' } },
    configured.map((t) => h('option', { value: t.id }, t.id)));
  const key = h('input', { id: 'api-key', type: 'password', autocomplete: 'off',
    placeholder: authRequired ? 'the tenant\'s API key' : 'not needed: auth.mode is none',
    disabled: !authRequired });
  const hint = h('span', { class: 'hint' });
  const refresh = () => {
    const tenant = configured.find((t) => t.id === select.value);
    key.value = tenantKey(select.value);
    hint.textContent = !authRequired ? ''
      : tenant && tenant.api_keys === 0
        ? 'this tenant has no API key configured: only signed provider webhooks can reach it'
        : 'kept in this tab only; the gateway stores only its SHA-256';
    onChange();
  };
  select.addEventListener('change', refresh);
  key.addEventListener('input', () => { setTenantKey(select.value, key.value); onChange(); });
  const element = h('div', { class: 'form-grid' },
    h('label', { for: 'tenant' }, 'Tenant', select),
    h('label', { for: 'api-key' }, 'API key', key, hint));
  queueMicrotask(refresh);
  return {
    element,
    tenant: () => select.value,
    key: () => key.value,
  };
}
