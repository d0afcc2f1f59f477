// Forms of the console: each field with its label and a place for the API's problem about it, so that a refusal
// (application/problem+json, whose errors name a field by pointer, parameter or setting) shows next to what it names.
import { el, shown } from './layout.js';

/** A labelled field: the input, an optional hint, and an (empty) error line that the input is described by. */
export function field(id, label, input, hint) {
  input.id = id;
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  return el('div', { class: 'field' }, el('label', { for: id }, label), input,
    hint ? el('span', { id: `${id}-hint`, class: 'hint' }, hint) : null,
    el('span', { id: `${id}-error`, class: 'field-error', role: 'alert' }));
}

/** Clears what showProblem wrote into a form. */
export function clearProblem(form) {
  for (const e of form.querySelectorAll('.field-error, .form-error')) e.textContent = '';
  for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
}

/**
 * Shows an API error in a form: each of the problem's errors next to the field it names (fields maps a pointer,
 * parameter or setting, or the start of one, to a field's id), the rest (and the problem's detail) in the form's
 * .form-error line. The first field named gets the focus, so a keyboard user lands on what to fix.
 */
export function showProblem(form, error, fields) {
  clearProblem(form);
  const general = form.querySelector('.form-error');
  const problem = error.problem || {};
  const unplaced = [];
  let first = null;
  for (const e of problem.errors || []) {
    const name = e.pointer ?? e.parameter ?? e.field ?? '';
    const key = Object.keys(fields).filter((k) => name === k || name.startsWith(`${k}/`) || name.startsWith(`${k}.`))
      .sort((a, b) => b.length - a.length)[0];
    const line = key === undefined ? null : form.querySelector(`#${fields[key]}-error`);
    if (!line) {
      unplaced.push(`${e.field || e.parameter || e.pointer || ''}: ${e.detail}`);
      continue;
    }
    const text = e.field && e.field !== key ? `${e.field}: ${e.detail}` : e.detail;
    line.textContent = shown(line.textContent ? `${line.textContent}; ${text}` : text);
    const input = form.querySelector(`#${fields[key]}`);
    input.setAttribute('aria-invalid', 'true');
    if (!first) first = input;
  }
  if (general) general.textContent = shown([error.message, ...unplaced].join(' · '));
  if (first) first.focus();
}
