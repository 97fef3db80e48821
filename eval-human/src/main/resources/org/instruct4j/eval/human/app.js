'use strict';
// Model answers are untrusted: they are only ever put into the page with textContent, never as HTML.

const CRITERIA = ['helpfulness', 'honesty', 'harmlessness'];
const KEYS = { a: 'left', t: 'tie', b: 'right' };
const state = { csrf: null, item: null, criterion: 0, busy: false };

function $(id) { return document.getElementById(id); }

function show(section) {
  for (const id of ['sign-in', 'judge', 'done']) {
    $(id).hidden = id !== section;
  }
  $('sign-out').hidden = section === 'sign-in';
}

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? {} : await response.json();
  if (response.status === 401 && path !== '/api/session') {
    signedOut();
    throw new Error(data.error || 'signed out');
  }
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function signedOut() {
  state.csrf = null;
  $('who').textContent = '';
  $('progress').textContent = '';
  show('sign-in');
  $('token').focus();
}

function showProgress(progress) {
  $('progress').textContent = `Judged ${progress.judged} of ${progress.total}`;
}

function signedIn(data) {
  state.csrf = data.csrf_token;
  $('who').textContent = data.annotator;
  return loadItem();
}

// Everything on screen changes in one go, progress last, so the page never mixes two items.
async function loadItem() {
  const item = await api('GET', '/api/item');
  if (item.done) {
    state.item = null;
    showProgress(item.progress);
    show('done');
    return;
  }
  state.item = item;
  $('question').textContent = item.question;
  $('left').textContent = item.left;
  $('right').textContent = item.right;
  $('judgment-form').reset();
  $('judge-error').textContent = '';
  for (const box of ['question', 'left', 'right']) $(box).scrollTop = 0;
  select(0);
  updateSubmit();
  showProgress(item.progress);
  show('judge');
}

function select(index) {
  state.criterion = Math.max(0, Math.min(CRITERIA.length - 1, index));
  document.querySelectorAll('fieldset[data-criterion]').forEach((fieldset, i) => {
    fieldset.classList.toggle('current', i === state.criterion);
  });
}

function choices() {
  const result = {};
  for (const criterion of CRITERIA) {
    const checked = document.querySelector(`input[name="${criterion}"]:checked`);
    if (!checked) return null;
    result[criterion] = checked.value;
  }
  return result;
}

function updateSubmit() {
  $('submit').disabled = state.busy || choices() === null;
}

async function submit() {
  const chosen = choices();
  if (state.busy || chosen === null || state.item === null) return;
  state.busy = true;
  updateSubmit();
  try {
    await api('POST', '/api/judgments', { pair_id: state.item.pair_id, ...chosen });
    await loadItem();
  } catch (error) {
    $('judge-error').textContent = error.message;
  } finally {
    state.busy = false;
    updateSubmit();
  }
}

function onKey(event) {
  if ($('judge').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key in KEYS) {
    const input = document.querySelector(`input[name="${CRITERIA[state.criterion]}"][value="${KEYS[key]}"]`);
    input.checked = true;
    select(state.criterion + 1);
    updateSubmit();
    event.preventDefault();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    select(state.criterion + (event.key === 'ArrowDown' ? 1 : -1));
    event.preventDefault();
  } else if (event.key === 'Enter') {
    submit();
    event.preventDefault();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('sign-in-error').textContent = '';
    try {
      const data = await api('POST', '/api/session', { token: $('token').value.trim() });
      $('token').value = '';
      await signedIn(data);
    } catch (error) {
      $('sign-in-error').textContent = error.message;
    }
  });
  $('judgment-form').addEventListener('change', (event) => {
    const fieldset = event.target.closest('fieldset[data-criterion]');
    if (fieldset) select(CRITERIA.indexOf(fieldset.dataset.criterion));
    updateSubmit();
  });
  $('judgment-form').addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  $('sign-out').addEventListener('click', async () => {
    try { await api('DELETE', '/api/session'); } finally { signedOut(); }
  });
  document.addEventListener('keydown', onKey);
  api('GET', '/api/state').then(signedIn).catch(() => signedOut());
});
