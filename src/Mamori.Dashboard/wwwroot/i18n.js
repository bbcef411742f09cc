// Every UI string, in one table: English and Japanese side by side so a missing translation is visible in review.
export const strings = {
  en: {
    skip: 'Skip to main content', 'nav.overview': 'Overview', 'nav.feed': 'Live feed', 'nav.account': 'Accounts',
    signOut: 'Sign out', langToggle: '日本語',
    'signin.title': 'Sign in to the Mamori dashboard',
    'signin.help': 'Paste an admin API key. It is kept in this tab only (session storage) and sent as X-Api-Key; closing the tab forgets it.',
    'signin.key': 'Admin API key', 'signin.submit': 'Sign in',
    'signin.rejected': 'The key was refused (not an admin key, revoked or mistyped).',
    'signin.failed': 'The server could not be reached.',
    'overview.title': 'Overview', 'overview.chart': 'Decisions per minute, last hour',
    'overview.chartSummary': 'Last hour: {allow} allowed, {challenge} challenged, {deny} denied.',
    'overview.campaigns': 'Open campaigns', 'overview.noCampaigns': 'No open campaigns.',
    'overview.failureRate': 'Failure rate (last 5 min)', 'overview.unknownRate': 'Unknown-account rate (last 5 min)',
    'overview.baseline': 'baseline {value} over the rest of the hour', 'overview.noData': 'no outcomes yet',
    'overview.latest': 'Latest decisions',
    allow: 'allow', challenge: 'challenge', step_up: 'step-up', deny: 'deny',
    'col.id': 'Campaign', 'col.kind': 'Kind', 'col.start': 'Started', 'col.last': 'Last attempt', 'col.attempts': 'Attempts',
    'col.accounts': 'Accounts targeted', 'col.asns': 'Top ASNs', 'col.subnets': 'Top /24s', 'col.takeovers': 'Likely takeovers',
    'col.time': 'Time', 'col.account': 'Account', 'col.ip': 'IP', 'col.outcome': 'Outcome', 'col.decision': 'Decision',
    'col.score': 'Score', 'col.reasons': 'Reasons', 'col.campaigns': 'Campaigns', 'col.source': 'Source',
    'col.device': 'Device', 'col.firstSeen': 'First seen', 'col.lastSeen': 'Last seen', 'col.trusted': 'Trusted',
    'col.action': 'Action', 'col.link': 'Link', 'col.linkKind': 'Kind', 'col.state': 'State',
    'feed.title': 'Live feed', 'feed.filters': 'Filters', 'feed.decision': 'Decision', 'feed.any': 'any',
    'feed.reason': 'Reason code', 'feed.account': 'Account', 'feed.ip': 'IP or CIDR', 'feed.apply': 'Apply',
    'feed.live': 'Live: connected', 'feed.reconnecting': 'Live: reconnecting…', 'feed.empty': 'No decisions yet.',
    'campaign.title': 'Campaign {id}', 'campaign.timeline': 'Timeline (decisions per minute in the feed)',
    'campaign.sourcesAsn': 'Sources by ASN', 'campaign.sourcesSubnet': 'Sources by /24', 'campaign.sourcesIp': 'Sources by address',
    'campaign.targets': 'Targeted accounts', 'campaign.takeovers': 'Accounts that succeeded during it (likely takeovers)',
    'campaign.none': 'None.', 'campaign.exportCsv': 'Export CSV', 'campaign.exportStix': 'Export STIX 2.1',
    'campaign.exported': 'Downloaded {file}.', 'campaign.open': 'open', 'campaign.closed': 'closed',
    'campaign.distinctIps': 'Distinct IPs',
    'account.title': 'Account', 'account.lookup': 'Account id', 'account.open': 'Open',
    'account.devices': 'Devices', 'account.recent': 'Recent logins', 'account.links': 'Funding sources and withdrawal destinations',
    'account.noLinks': 'Linked funding sources and withdrawal destinations could not be read (see /healthz).',
    'account.linksEmpty': 'No linked funding sources or withdrawal destinations.',
    'col.bank': 'Bank', 'col.bankAccount': 'Account number (masked)', 'col.created': 'Added',
    'link.funding': 'Funding source', 'link.withdrawal_destination': 'Withdrawal destination', 'link.active': 'active', 'link.frozen': 'frozen',
    'account.passwordChange': 'Password change required (since {since}): this account logged in with a password found in a breach corpus and has not changed it since.',
    'account.stepUpCancel': 'Cancel step-up request', 'account.stepUpCancelled': 'The step-up request for {account} was withdrawn.',
    'account.trust': 'Trust', 'account.untrust': 'Stop trusting', 'account.yes': 'yes', 'account.no': 'no',
    'account.trusted': 'Device {device} is now trusted.', 'account.untrusted': 'Device {device} is no longer trusted.',
    'account.stepUp': 'Require step-up at next login', 'account.stepUpDone': 'The next login of {account} will need a second factor.',
    'account.freeze': 'Freeze link', 'account.frozen': 'Link {link} frozen.',
    'account.unsupported': 'This server does not offer that action yet ({endpoint}).',
    'account.notFound': 'No record of this account.', 'account.audit': 'Every action is audited with your key id.',
    'error.generic': 'Request failed: {status} {title}',
  },
  ja: {
    skip: 'メインコンテンツへ移動', 'nav.overview': '概要', 'nav.feed': 'ライブフィード', 'nav.account': 'アカウント',
    signOut: 'サインアウト', langToggle: 'English',
    'signin.title': 'Mamori ダッシュボードにサインイン',
    'signin.help': '管理者 API キーを貼り付けてください。このタブ内（セッションストレージ）にのみ保持され、X-Api-Key として送信されます。タブを閉じると破棄されます。',
    'signin.key': '管理者 API キー', 'signin.submit': 'サインイン',
    'signin.rejected': 'キーが拒否されました（管理者キーでない、失効済み、または入力誤り）。',
    'signin.failed': 'サーバーに接続できません。',
    'overview.title': '概要', 'overview.chart': '1 分あたりの判定数（直近 1 時間）',
    'overview.chartSummary': '直近 1 時間: 許可 {allow} 件、チャレンジ {challenge} 件、拒否 {deny} 件。',
    'overview.campaigns': '進行中のキャンペーン', 'overview.noCampaigns': '進行中のキャンペーンはありません。',
    'overview.failureRate': '失敗率（直近 5 分）', 'overview.unknownRate': '存在しないアカウント率（直近 5 分）',
    'overview.baseline': '基準値 {value}（1 時間の残り）', 'overview.noData': '結果はまだありません',
    'overview.latest': '最新の判定',
    allow: '許可', challenge: 'チャレンジ', step_up: '追加認証', deny: '拒否',
    'col.id': 'キャンペーン', 'col.kind': '種類', 'col.start': '開始', 'col.last': '最終試行', 'col.attempts': '試行数',
    'col.accounts': '標的アカウント数', 'col.asns': '上位 ASN', 'col.subnets': '上位 /24', 'col.takeovers': '乗っ取りの疑い',
    'col.time': '時刻', 'col.account': 'アカウント', 'col.ip': 'IP', 'col.outcome': '結果', 'col.decision': '判定',
    'col.score': 'スコア', 'col.reasons': '理由', 'col.campaigns': 'キャンペーン', 'col.source': '送信元',
    'col.device': '端末', 'col.firstSeen': '初回', 'col.lastSeen': '最終', 'col.trusted': '信頼済み',
    'col.action': '操作', 'col.link': '連携先', 'col.linkKind': '種類', 'col.state': '状態',
    'feed.title': 'ライブフィード', 'feed.filters': '絞り込み', 'feed.decision': '判定', 'feed.any': 'すべて',
    'feed.reason': '理由コード', 'feed.account': 'アカウント', 'feed.ip': 'IP または CIDR', 'feed.apply': '適用',
    'feed.live': 'ライブ: 接続中', 'feed.reconnecting': 'ライブ: 再接続中…', 'feed.empty': '判定はまだありません。',
    'campaign.title': 'キャンペーン {id}', 'campaign.timeline': 'タイムライン（フィード内の 1 分あたりの判定数）',
    'campaign.sourcesAsn': 'ASN 別の送信元', 'campaign.sourcesSubnet': '/24 別の送信元', 'campaign.sourcesIp': 'アドレス別の送信元',
    'campaign.targets': '標的アカウント', 'campaign.takeovers': '期間中にログインに成功したアカウント（乗っ取りの疑い）',
    'campaign.none': 'なし。', 'campaign.exportCsv': 'CSV を出力', 'campaign.exportStix': 'STIX 2.1 を出力',
    'campaign.exported': '{file} をダウンロードしました。', 'campaign.open': '進行中', 'campaign.closed': '終了',
    'campaign.distinctIps': '送信元 IP 数',
    'account.title': 'アカウント', 'account.lookup': 'アカウント ID', 'account.open': '開く',
    'account.devices': '端末', 'account.recent': '最近のログイン', 'account.links': '連携口座と出金先',
    'account.noLinks': '連携口座・出金先を読み取れませんでした（/healthz を確認してください）。',
    'account.linksEmpty': '連携口座・出金先はありません。',
    'col.bank': '銀行', 'col.bankAccount': '口座番号（一部非表示）', 'col.created': '登録日時',
    'link.funding': '入金元の連携口座', 'link.withdrawal_destination': '出金先', 'link.active': '有効', 'link.frozen': '凍結済み',
    'account.passwordChange': 'パスワード変更が必要です（{since} から）: このアカウントは漏えいデータに含まれるパスワードでログインし、その後まだ変更していません。',
    'account.stepUpCancel': '追加認証の要求を取り消す', 'account.stepUpCancelled': '{account} への追加認証の要求を取り消しました。',
    'account.trust': '信頼する', 'account.untrust': '信頼を解除', 'account.yes': 'はい', 'account.no': 'いいえ',
    'account.trusted': '端末 {device} を信頼済みにしました。', 'account.untrusted': '端末 {device} の信頼を解除しました。',
    'account.stepUp': '次回ログイン時に追加認証を要求', 'account.stepUpDone': '{account} の次回ログインでは追加認証が必要です。',
    'account.freeze': '連携を凍結', 'account.frozen': '連携 {link} を凍結しました。',
    'account.unsupported': 'このサーバーはこの操作にまだ対応していません（{endpoint}）。',
    'account.notFound': 'このアカウントの記録はありません。', 'account.audit': 'すべての操作はあなたのキー ID とともに監査記録されます。',
    'error.generic': 'リクエストに失敗しました: {status} {title}',
  },
};

let current = (typeof localStorage !== 'undefined' && localStorage.getItem('mamori.lang')) || 'en';

/** The current language code. */
export function lang() { return current; }

/** Switches language and remembers the choice (the language only, never the key). */
export function setLang(code) {
  current = strings[code] ? code : 'en';
  localStorage.setItem('mamori.lang', current);
  document.documentElement.lang = current;
}

/** A string by key with {placeholders} filled; falls back to English, then to the key itself. */
export function t(key, values = {}) {
  const text = strings[current][key] ?? strings.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
