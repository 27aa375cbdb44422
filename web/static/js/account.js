// Everyone's own password change: the current password, the new one twice.
// The server ends the user's other sessions.
import { h, toast } from './dom.js';
import { t } from './i18n.js';
import { post } from './api.js';
import { head, field, form, input } from './ui.js';

export default function accountPage(view) {
  head(view, t('changePassword'), '#/');
  const f = {
    old: field(t('currentPassword'), input({ id: 'me-old', type: 'password', autocomplete: 'current-password' })),
    new: field(t('pwNew'), input({ id: 'me-new', type: 'password', autocomplete: 'new-password' })),
    again: field(t('pwAgain'), input({ id: 'me-again', type: 'password', autocomplete: 'new-password' })),
  };
  const made = form({ id: 'me-password', card: true, fields: f, submit: t('pwSave'), send: async () => {
    const [old, next, again] = [f.old.control.value, f.new.control.value, f.again.control.value];
    if (!old) return f.old.show(t('required'));
    if (next.length < 8) return f.new.show(t('pwShort'));
    if (next === old) return f.new.show(t('pwSame'));
    if (next !== again) return f.again.show(t('pwMismatch'));
    await post('/me/password', { old, new: next });
    for (const x of Object.values(f)) x.control.value = '';
    toast(t('pwChanged'), 'ok');
    return h('p', { class: 'note', id: 'me-password-done' }, t('pwChangedNote'));
  } });
  view.append(h('p', { class: 'help' }, t('pwHelp')), made.el);
}
