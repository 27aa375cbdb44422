// Reminder channels: the WeCom, DingTalk or generic webhooks that remind a
// unit's missing schools, each with a test message, and (for the admin)
// the hosts beyond the two robots that channels may point at.
import { h, append, clear, toast } from './dom.js';
import { t } from './i18n.js';
import { get, post, put, request, errorText } from './api.js';
import { session } from './session.js';
import { head, problem, enc, orgs, field, form, input, select } from './ui.js';

const FORMATS = ['wecom', 'dingtalk', 'generic'];

export default async function channelsPage(view) {
  const u = session().user;
  head(view, t('m_channels'), '#/');
  let hooks, tree;
  try {
    [hooks, tree] = await Promise.all([get('/webhooks').then((r) => r.data.webhooks || []), orgs()]);
  } catch (e) {
    return view.append(problem(e));
  }
  const reload = () => channelsPage(view);
  append(view,
    h('section', { class: 'card', id: 'channels' }, h('h2', null, t('m_channels'), ` (${hooks.length})`),
      hooks.length ? h('ul', { class: 'list rows' }, hooks.map((w) => channelRow(w, tree, reload))) : h('p', { class: 'empty' }, t('noChannels'))),
    newChannel(u, tree, reload),
    u.role === 'admin' ? await hostsCard() : null);
}

function channelRow(w, tree, reload) {
  const out = h('div', { class: 'test-out', 'aria-live': 'polite' });
  const test = h('button', { type: 'button', class: 'btn secondary', onclick: async () => {
    test.disabled = true;
    clear(out, h('p', { class: 'loading' }, t('sending')));
    try {
      const res = (await post(`/webhooks/${enc(w.id)}/test`, {})).data;
      clear(out, res.ok ? h('p', { class: 'test-ok' }, '✓ ', t('testSent')) : h('p', { class: 'err' }, t('testFailed', res.failure?.message || '')));
    } catch (e) {
      clear(out, problem(e));
    } finally {
      test.disabled = false;
    }
  } }, t('testMessage'));
  const del = h('button', { type: 'button', class: 'btn link', onclick: async () => {
    if (!confirm(t('confirmDeleteChannel', w.name))) return;
    try {
      await request('DELETE', `/webhooks/${enc(w.id)}`);
      toast(t('deleted'), 'ok');
      reload();
    } catch (e) {
      toast(errorText(e, t), 'error');
    }
  } }, t('delete'));
  return h('li', { class: 'row-item', 'data-channel': w.id },
    h('div', { class: 'row-main' }, h('strong', null, w.name),
      h('span', { class: 'meta' }, `${t('fmt_' + w.format)} · ${t('remindsFor', tree.get(w.org)?.name || '')}`),
      h('code', { class: 'url' }, w.url)),
    h('div', { class: 'row-acts' }, test, del), out);
}

// newChannel adds a channel for the caller's org or a unit below it.
function newChannel(u, tree, reload) {
  const units = [...tree.values()].filter((o) => o.kind !== 'school' && !o.closed);
  const f = {
    org: field(t('channelFor'), select(units.map((o) => [o.id, o.name]), u.org, { id: 'channel-org' })),
    name: field(t('channelName'), input({ id: 'channel-name', placeholder: t('channelNameHint') })),
    format: field(t('channelFormat'), select(FORMATS.map((x) => [x, t('fmt_' + x)]), 'wecom', { id: 'channel-format' })),
    url: field(t('channelURL'), input({ id: 'channel-url', type: 'url', inputmode: 'url', autocapitalize: 'off', placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' }), t('channelURLHint')),
    secret: field(t('channelSecret'), input({ id: 'channel-secret', autocapitalize: 'off' }), t('channelSecretHint')),
  };
  const secretShown = () => { f.secret.el.hidden = f.format.control.value !== 'dingtalk'; };
  f.format.control.addEventListener('change', () => {
    secretShown();
    f.url.control.placeholder = { wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…', dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=…', generic: 'https://…' }[f.format.control.value];
  });
  secretShown();
  const made = form({ id: 'channel-form', fields: f, submit: t('addChannel'), send: async () => {
    const w = (await post('/webhooks', { org: f.org.control.value, name: f.name.control.value.trim(), format: f.format.control.value,
      url: f.url.control.value.trim(), secret: f.format.control.value === 'dingtalk' ? f.secret.control.value.trim() : '' })).data;
    toast(t('channelAdded', w.name), 'ok');
    setTimeout(reload, 1200);
    return h('p', { class: 'note', id: 'channel-added' }, t('channelAdded', w.name));
  } });
  return h('section', { class: 'card', id: 'new-channel' }, h('h2', null, t('addChannel')), h('p', { class: 'help' }, t('channelHelp')), made.el);
}

// hostsCard lets the admin allow hosts beyond the WeCom and DingTalk robots.
async function hostsCard() {
  let hosts;
  try {
    hosts = (await get('/settings/webhook-hosts')).data.hosts || [];
  } catch (e) {
    return problem(e);
  }
  const f = { hosts: field(t('allowedHosts'), h('textarea', { id: 'hosts', rows: 3, value: hosts.map((x) => (x.http ? 'http://' : '') + x.host).join('\n') }), t('allowedHostsHint')) };
  const made = form({ id: 'hosts-form', fields: f, submit: t('save'), send: async () => {
    const list = f.hosts.control.value.split(/\s+/).filter(Boolean).map((x) => ({ host: x.replace(/^https?:\/\//, ''), http: x.startsWith('http://') }));
    await put('/settings/webhook-hosts', { hosts: list });
    toast(t('saved'), 'ok');
  } });
  return h('details', { class: 'card', id: 'hosts-card' }, h('summary', null, h('strong', null, t('allowedHosts'))), made.el);
}
