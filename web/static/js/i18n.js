// UI strings in Chinese (default) and English.

const S = {
  app: ['填报', 'Tianbao'],
  login: ['登录', 'Sign in'],
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  logout: ['退出', 'Sign out'],
  badLogin: ['用户名或密码错误', 'Wrong username or password'],
  locked: ['尝试次数过多，请 {0} 秒后再试', 'Too many attempts; try again in {0} s'],
  offline: ['当前离线：填报会保存在本机，联网后自动发送', 'Offline: your work is kept on this phone and sent when you are back online'],
  fromCache: ['离线数据（上次联网时保存）', 'Saved data from your last connection'],
  netError: ['网络不可用，请稍后再试', 'No connection; try again later'],
  tasks: ['我的填报任务', 'My reports'],
  noTasks: ['暂无填报任务', 'Nothing to report right now'],
  due: ['截止', 'Due'],
  late: ['逾期', 'Late'],
  offlineReady: ['可离线填写', 'Available offline'],
  st_not_started: ['未填报', 'Not started'],
  st_draft: ['草稿', 'Draft'],
  st_submitted: ['已提交', 'Submitted'],
  st_returned: ['被退回', 'Returned'],
  st_approved: ['已通过', 'Approved'],
  st_pending: ['待发送', 'Waiting to send'],
  state_open: ['进行中', 'Open'],
  state_scheduled: ['未开始', 'Scheduled'],
  state_closed: ['已截止', 'Closed'],
  state_reopened: ['已重新开放', 'Reopened'],
  returnedBy: ['退回意见：', 'Returned: '],
  back: ['返回', 'Back'],
  saveDraft: ['保存草稿', 'Save draft'],
  submit: ['提交', 'Submit'],
  resubmit: ['重新提交', 'Submit again'],
  savedLocal: ['已保存在本机 {0}', 'Saved on this phone {0}'],
  restored: ['已恢复本机上未提交的内容', 'Restored your unsent answers from this phone'],
  discardLocal: ['放弃本机修改', 'Discard local changes'],
  addRow: ['添加一行', 'Add a row'],
  removeRow: ['删除此行', 'Remove row'],
  copyRow: ['复制上一行', 'Copy the row above'],
  collapseRow: ['收起', 'Fold'],
  expandRow: ['展开', 'Open'],
  rowRemoved: ['已删除第 {0} 行 {1}', 'Row {0} {1} removed'],
  undo: ['撤销', 'Undo'],
  rowOk: ['✓ 达标', '✓ meets target'],
  rowBad: ['✗ 不达标', '✗ below target'],
  rowOpen: ['未填完', 'incomplete'],
  rowDone: ['已填完', 'complete'],
  explain: ['说明', 'Explanation'],
  sections: ['各部分', 'Sections'],
  anomalyLine: ['{0} 为 {1}，超出往期常见范围 {2}–{3}（往期：{4}）', '{0} is {1}, outside the usual range {2}–{3} (earlier: {4})'],
  roomsLine: ['{0}填了 {1} 行，学校登记 {2} 间教室', '{0} has {1} rows; the school registers {2} classrooms'],
  explainedAs: ['说明：', 'Explanation: '],
  notExplained: ['未说明', 'none given'],
  explainHint: ['请简要说明原因（200 字以内），将随数据提交给审核人', 'Say briefly why (up to 200 characters); the reviewer sees it with the value'],
  samePrev: ['与上期相同', 'Same as last period'],
  samePrevHint: ['填入上期的全部答案，核对后再提交', "Fill in all of last period's answers, to check before sending"],
  prevSame: ['与上期相同', 'same as last period'],
  prevChanged: ['已修改 · 上期 {0}', 'changed · last period {0}'],
  prevWas: ['上期 {0}', 'last period {0}'],
  carried: ['已沿用上期', 'carried from last period'],
  row: ['第 {0} 行', 'Row {0}'],
  yes: ['是', 'Yes'],
  no: ['否', 'No'],
  choose: ['请选择', 'Choose'],
  computed: ['自动计算', 'Calculated'],
  met: ['达标', 'Meets target'],
  notMet: ['未达标', 'Below target'],
  fixErrors: ['有 {0} 处需要修改', '{0} answers need fixing'],
  queued: ['已放入待发送队列，联网后自动提交', 'Queued: it will be sent when you are online'],
  sent: ['已提交', 'Submitted'],
  draftSent: ['草稿已保存', 'Draft saved'],
  readOnly: ['此填报不可修改', 'This report cannot be changed'],
  pendingN: ['{0} 条待发送', '{0} waiting to send'],
  sending: ['正在发送…', 'Sending…'],
  retryAt: ['将于 {0} 重试', 'Retrying at {0}'],
  retryNow: ['立即重试', 'Retry now'],
  needsAction: ['需要处理', 'Needs attention'],
  needsActionN: ['{0} 条需要处理', '{0} need attention'],
  open: ['打开', 'Open'],
  discard: ['丢弃', 'Discard'],
  confirmDiscard: ['确定丢弃这条未发送的填报？', 'Discard this unsent report?'],
  confirmLogout: ['还有 {0} 条填报未发送，退出会丢失这些内容。确定退出？', '{0} reports have not been sent yet and will be lost. Sign out anyway?'],
  reloginToSend: ['登录已过期，请重新登录以发送待发送的填报', 'Your sign-in expired: sign in again to send your waiting reports'],
  update: ['新版本已就绪，点此更新', 'A new version is ready: tap to update'],
  drives: ['填报任务', 'Drives'],
  period: ['周期', 'Period'],
  expected: ['应报', 'Expected'],
  submittedN: ['已报', 'Submitted'],
  onTime: ['按时', 'On time'],
  missing: ['未报', 'Missing'],
  returned: ['退回', 'Returned'],
  approved: ['通过', 'Approved'],
  anomalies: ['异常值（已说明）', 'Unusual values (explained)'],
  anomaliesN: ['{0}（{1} 个未说明）', '{0} ({1} unexplained)'],
  quality: ['数据质量分', 'Data quality score'],
  drafts: ['草稿', 'Drafts'],
  total: ['合计', 'Total'],
  district: ['区县', 'District'],
  missingSchools: ['未报学校', 'Schools yet to report'],
  noneMissing: ['全部已报', 'Every school has reported'],
  submissions: ['已收填报', 'Reports received'],
  export: ['导出 Excel', 'Export to Excel'],
  exporting: ['正在导出 {0}%', 'Exporting {0}%'],
  exportDone: ['导出完成', 'Export ready'],
  exportFailed: ['导出失败', 'The export failed'],
  compliance: ['达标情况', 'Compliance'],
  c_compliant: ['达标', 'Compliant'],
  c_noncompliant: ['未达标', 'Not compliant'],
  c_not_applicable: ['不适用', 'Not applicable'],
  history: ['修改记录', 'History'],
  values: ['填报内容', 'Answers'],
  review: ['审核', 'Review'],
  comment: ['意见', 'Comment'],
  approve: ['通过', 'Approve'],
  returnIt: ['退回', 'Return'],
  needComment: ['退回时请填写原因', 'Say why when returning'],
  reviewed: ['已审核', 'Reviewed'],
  a_create: ['首次填报', 'First report'],
  a_revise: ['修改', 'Revised'],
  a_approve: ['通过', 'Approved'],
  a_return: ['退回', 'Returned'],
  version: ['版本', 'Version'],
  empty: ['（未填）', '(empty)'],
  school: ['学校', 'School'],
  error: ['出错了', 'Something went wrong'],
  reload: ['重新加载', 'Reload'],
  lateBadge: ['逾期提交', 'Late'],
  required: ['必填', 'Required'],
  setupTitle: ['首次设置', 'First run'],
  setupIntro: ['系统中还没有教育局。请填写本局信息，建立第一个管理员账号。设置令牌见服务器启动日志（setup token）；也可以在服务器上运行 tianbao init。', 'There is no bureau yet: enter yours and its first admin. The setup token is in the server\'s start-up log (setup token); tianbao init on the server does the same.'],
  setupToken: ['设置令牌', 'Setup token'],
  bureauCode: ['教育局行政区划代码', 'Bureau\'s division code'],
  bureauName: ['教育局名称', 'Bureau\'s name'],
  bureauNameHint: ['如：阳新县教育局', 'e.g. 阳新县教育局'],
  bureauLevel: ['级别', 'Level'],
  lv_province: ['省级', 'Province'],
  lv_city: ['市级', 'City'],
  lv_county: ['县（区）级', 'County or district'],
  adminUser: ['管理员用户名', 'Admin\'s username'],
  setupSubmit: ['完成设置', 'Set up'],
  setupDone: ['设置完成', 'Done'],
  oncePassword: ['管理员 {0} 的初始密码：', 'The one-time password of {0}:'],
  onceNote: ['只显示这一次，请立即记下。首次登录后须修改。', 'Shown this once: write it down now. It must be changed at the first sign-in.'],
  toLogin: ['已记下，去登录', 'Written down: sign in'],
  pwTitle: ['修改初始密码', 'Change your password'],
  pwIntro: ['首次登录须先设置自己的密码，之后才能填报。', 'Choose your own password before you go on.'],
  pwOld: ['初始密码', 'One-time password'],
  pwNew: ['新密码（至少 8 位）', 'New password (at least 8 characters)'],
  pwAgain: ['再次输入新密码', 'New password again'],
  pwShort: ['新密码至少 8 位', 'The new password needs at least 8 characters'],
  pwSame: ['新密码不能与初始密码相同', 'The new password must differ from the old one'],
  pwMismatch: ['两次输入的新密码不一致', 'The two new passwords differ'],
  pwSave: ['保存新密码', 'Save the new password'],
  pwChanged: ['密码已修改', 'Password changed'],
  a_submit: ['提交', 'Submitted'],
  a_lock: ['单位签收锁定', 'Locked by a sign-off'],
  a_unlock: ['解除签收锁定', 'Unlocked'],
  receipt: ['提交回执', 'Receipt'],
  receiptLine: ['已于 {0} 提交 · 第 {1} 版', 'Submitted {0} · version {1}'],
  draftLine: ['草稿已保存于 {0}', 'Draft saved {0}'],
  approvedBy: ['审核意见：', 'Reviewer\'s comment: '],
  verdicts: ['各部分达标情况', 'Compliance by section'],
  refused: ['服务器不再接受这条填报：{0}。它不会再发送，请丢弃。', 'The server will not take this report: {0}. It will not be sent again: discard it.'],
  toFix: ['服务器发现需要修改的内容，请打开修改后重新提交', 'The server found answers to fix: open the form, fix them and submit again'],
  changePassword: ['修改密码', 'Change password'],
  menu: ['菜单', 'Menu'],
  home: ['首页', 'Home'],
  m_trend: ['趋势', 'Trends'],
  m_orgs: ['单位和学校', 'Units and schools'],
  m_users: ['账号', 'Accounts'],
  m_plans: ['计划和指标', 'Plans and indicators'],
  m_schedules: ['填报周期', 'Schedules'],
  m_channels: ['提醒通道', 'Reminder channels'],
  m_audit: ['操作日志', 'Audit log'],
};

// addStrings adds the words of a part of the client loaded on demand.
export function addStrings(more) {
  Object.assign(S, more);
}

let current = localStorage.getItem('tianbao.lang') === 'en' ? 'en' : 'zh';

export const lang = () => current;

export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('tianbao.lang', current);
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

// t returns the UI string for key with {0}, {1}… filled in.
export function t(key, ...args) {
  const pair = S[key];
  const s = pair ? pair[current === 'en' ? 1 : 0] : key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[i] ?? ''));
}

// tx picks a {zh, en} text in the current language.
export function tx(text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return (current === 'en' && text.en) || text.zh || '';
}

const TZ = 'Asia/Shanghai';

// when formats an instant as a local date and time in the bureau's time zone.
export function when(iso, opts = {}) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return '';
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, ...opts,
  }).format(d);
}

// dueText shows a deadline that falls at midnight as the end of the day before.
export const dueText = iso => when(new Date(new Date(iso).getTime() - 60000).toISOString());

setLang(current);
