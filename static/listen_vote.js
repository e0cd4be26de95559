// listen_vote.js: voting one statement at a time without reloading the page.
//
// Progressive enhancement of the voting card on an exercise's page (templates/listen/show.html):
// without this script each vote is a form post that comes back to the card (#vote) with the
// next statement and a confirmation. With it, the vote and its undo go through the JSON API
// (/api/v1/listen/<slug>/vote and /vote/undo, which answer with the card: progress, the next
// statement and the confirmation), and the card is updated in place, so the page neither
// reloads nor scrolls. Anything unexpected falls back to posting the form as usual.

const card = document.querySelector('[data-listen-vote-card]');

function csrfToken() {
  const input = card.querySelector('input[name="csrf_token"]');
  return input ? input.value : '';
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function hidden(name, value) {
  return el('input', { type: 'hidden', name, value: String(value) });
}

// The confirmation after a vote, with its undo, as the page renders it.
function confirmation(slug, confirm, undone) {
  const box = card.querySelector('[data-vote-confirm]');
  box.replaceChildren();
  if (confirm) {
    const form = el('form', { action: `/listen/${slug}/vote/undo`, method: 'post', novalidate: '', 'data-listen-undo': '' },
      hidden('csrf_token', csrfToken()), hidden('contribution', confirm.id), hidden('from', 'card'),
      el('button', { class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0', type: 'submit' },
        'Undo', el('span', { class: 'nhsuk-u-visually-hidden' }, ' your vote')));
    box.append(el('div', { class: 'nhsuk-inset-text ahp-vote-card__done' },
      el('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '),
      el('p', {}, el('strong', { 'data-vote-confirm-text': '' }, confirm.text)), form));
  } else if (undone) {
    box.append(el('div', { class: 'nhsuk-inset-text ahp-vote-card__done' },
      el('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '),
      el('p', {}, el('strong', {}, 'Your vote has been taken back.'), ' You can vote on the statement again.')));
  }
}

// Shows the card the API answered with; false when the page has no place for it.
function show(slug, c) {
  const statement = card.querySelector('[data-vote-statement]');
  const progress = card.querySelector('[data-vote-progress]');
  const allDone = card.querySelector('[data-vote-all-done]');
  if (!statement || !progress) return false;
  confirmation(slug, c.confirm, c.undone);
  if (c.statement) {
    card.querySelector('[data-vote-body]').textContent = c.statement.body;
    card.querySelector('[data-vote-prompt]').textContent = c.statement.prompt_text || '';
    card.querySelector('[data-vote-audience]').textContent = c.statement.audience_name || '';
    card.querySelector('[data-vote-id]').value = String(c.statement.id);
    progress.textContent = `Statement ${c.progress.number} of ${c.progress.total}`;
    statement.hidden = false;
    if (allDone) allDone.hidden = true;
  } else {
    progress.textContent = `You have voted on all ${c.progress.total} statements`;
    statement.hidden = true;
    if (allDone) allDone.hidden = false;
  }
  return true;
}

async function send(slug, path, body) {
  const res = await fetch(`/api/v1/listen/${slug}/${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

// Posts the form the ordinary way, keeping the button's name and value.
function fallback(form, submitter) {
  if (submitter && submitter.name) form.append(hidden(submitter.name, submitter.value));
  HTMLFormElement.prototype.submit.call(form);
}

if (card && window.fetch) {
  const slug = card.dataset.slug;
  card.addEventListener('submit', async (event) => {
    const form = event.target;
    const undo = form.hasAttribute('data-listen-undo');
    if (!undo && !form.hasAttribute('data-listen-vote')) return;
    event.preventDefault();
    const submitter = event.submitter;
    const id = Number(form.querySelector('input[name="contribution"]').value);
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const answer = undo
        ? await send(slug, 'vote/undo', { contribution: id, from: 'card' })
        : await send(slug, 'vote', { contribution: id, vote: submitter ? submitter.value : '', from: 'card' });
      if (!show(slug, answer.card)) {
        window.location.assign(undo ? `/listen/${slug}?statement=${id}&undone=1#vote` : `/listen/${slug}?voted=${id}#vote`);
        return;
      }
    } catch (err) {
      for (const b of form.querySelectorAll('button')) b.disabled = false;
      fallback(form, submitter);
      return;
    }
    for (const b of form.querySelectorAll('button')) b.disabled = false;
  });
}
