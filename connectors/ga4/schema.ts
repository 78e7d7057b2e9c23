/**
 * The GA4 Data API names this suite accepts, with what the API says of each metric's type and
 * what an analyst must know about summing it. Reports are checked against this list when they
 * are declared, so a typo fails at configuration time instead of as an API 400 mid-run.
 * Custom dimensions (`customEvent:…`, `customUser:…`, `customItem:…`) are accepted by pattern.
 */

/** `additive`: may be summed over rows; `users`: distinct users; `ratio`: rates and averages. */
export type Additivity = 'additive' | 'users' | 'ratio';

export type MetricType =
  'TYPE_INTEGER' | 'TYPE_FLOAT' | 'TYPE_SECONDS' | 'TYPE_MILLISECONDS' | 'TYPE_CURRENCY';

export interface MetricInfo {
  readonly type: MetricType;
  readonly additivity: Additivity;
  readonly ja: string;
}

const m = (type: MetricType, additivity: Additivity, ja: string): MetricInfo => ({
  type,
  additivity,
  ja,
});

export const METRICS: Readonly<Record<string, MetricInfo>> = {
  activeUsers: m('TYPE_INTEGER', 'users', 'アクティブユーザー数'),
  active1DayUsers: m('TYPE_INTEGER', 'users', '1日アクティブユーザー数'),
  active7DayUsers: m('TYPE_INTEGER', 'users', '7日アクティブユーザー数'),
  active28DayUsers: m('TYPE_INTEGER', 'users', '28日アクティブユーザー数'),
  addToCarts: m('TYPE_INTEGER', 'additive', 'カート追加数'),
  averagePurchaseRevenue: m('TYPE_CURRENCY', 'ratio', '平均購入収益'),
  averageRevenuePerUser: m('TYPE_CURRENCY', 'ratio', 'ユーザーあたり平均収益'),
  averageSessionDuration: m('TYPE_SECONDS', 'ratio', '平均セッション時間（秒）'),
  bounceRate: m('TYPE_FLOAT', 'ratio', '直帰率'),
  checkouts: m('TYPE_INTEGER', 'additive', '購入手続き数'),
  crashAffectedUsers: m('TYPE_INTEGER', 'users', 'クラッシュの影響を受けたユーザー数'),
  dauPerMau: m('TYPE_FLOAT', 'ratio', 'DAU/MAU'),
  dauPerWau: m('TYPE_FLOAT', 'ratio', 'DAU/WAU'),
  ecommercePurchases: m('TYPE_INTEGER', 'additive', 'eコマース購入数'),
  engagedSessions: m('TYPE_INTEGER', 'additive', 'エンゲージのあったセッション数'),
  engagementRate: m('TYPE_FLOAT', 'ratio', 'エンゲージメント率'),
  eventCount: m('TYPE_INTEGER', 'additive', 'イベント数'),
  eventCountPerUser: m('TYPE_FLOAT', 'ratio', 'ユーザーあたりイベント数'),
  eventsPerSession: m('TYPE_FLOAT', 'ratio', 'セッションあたりイベント数'),
  eventValue: m('TYPE_FLOAT', 'additive', 'イベントの値'),
  firstTimePurchasers: m('TYPE_INTEGER', 'users', '初回購入者数'),
  grossPurchaseRevenue: m('TYPE_CURRENCY', 'additive', '総購入収益'),
  itemRevenue: m('TYPE_CURRENCY', 'additive', 'アイテムの収益'),
  itemsViewed: m('TYPE_INTEGER', 'additive', '閲覧されたアイテム数'),
  keyEvents: m('TYPE_FLOAT', 'additive', 'キーイベント数'),
  newUsers: m('TYPE_INTEGER', 'users', '新規ユーザー数'),
  purchaseRevenue: m('TYPE_CURRENCY', 'additive', '購入による収益'),
  screenPageViews: m('TYPE_INTEGER', 'additive', '表示回数'),
  screenPageViewsPerSession: m('TYPE_FLOAT', 'ratio', 'セッションあたりの表示回数'),
  screenPageViewsPerUser: m('TYPE_FLOAT', 'ratio', 'ユーザーあたりの表示回数'),
  scrolledUsers: m('TYPE_INTEGER', 'users', 'スクロールしたユーザー数'),
  sessionKeyEventRate: m('TYPE_FLOAT', 'ratio', 'セッションのキーイベント率'),
  sessions: m('TYPE_INTEGER', 'additive', 'セッション数'),
  sessionsPerUser: m('TYPE_FLOAT', 'ratio', 'ユーザーあたりのセッション数'),
  totalPurchasers: m('TYPE_INTEGER', 'users', '購入者数'),
  totalRevenue: m('TYPE_CURRENCY', 'additive', '合計収益'),
  totalUsers: m('TYPE_INTEGER', 'users', '総ユーザー数'),
  transactions: m('TYPE_INTEGER', 'additive', 'トランザクション数'),
  userEngagementDuration: m('TYPE_SECONDS', 'additive', 'ユーザーエンゲージメント（秒）'),
  userKeyEventRate: m('TYPE_FLOAT', 'ratio', 'ユーザーのキーイベント率'),
  wauPerMau: m('TYPE_FLOAT', 'ratio', 'WAU/MAU'),
};

export const DIMENSIONS: Readonly<Record<string, string>> = {
  browser: 'ブラウザ',
  campaignName: 'キャンペーン',
  city: '市区町村',
  continent: '大陸',
  country: '国',
  countryId: '国ID',
  date: '日付（プロパティのタイムゾーン）',
  dayOfWeek: '曜日',
  defaultChannelGroup: 'デフォルトチャネルグループ',
  deviceCategory: 'デバイスカテゴリ',
  eventName: 'イベント名',
  firstUserDefaultChannelGroup: 'ユーザーの最初のデフォルトチャネルグループ',
  firstUserSourceMedium: 'ユーザーの最初の参照元/メディア',
  fullPageUrl: 'ページURL（完全）',
  hostName: 'ホスト名',
  hour: '時',
  isKeyEvent: 'キーイベントか',
  landingPage: 'ランディングページ',
  landingPagePlusQueryString: 'ランディングページ＋クエリ文字列',
  language: '言語',
  languageCode: '言語コード',
  linkUrl: 'リンクURL',
  medium: 'メディア',
  newVsReturning: '新規/リピーター',
  operatingSystem: 'OS',
  pageLocation: 'ページの場所',
  pagePath: 'ページパス',
  pagePathPlusQueryString: 'ページパス＋クエリ文字列',
  pageReferrer: 'ページの参照URL',
  pageTitle: 'ページタイトル',
  platform: 'プラットフォーム',
  region: '地域',
  searchTerm: '検索キーワード',
  sessionCampaignName: 'セッションのキャンペーン',
  sessionDefaultChannelGroup: 'セッションのデフォルトチャネルグループ',
  sessionMedium: 'セッションのメディア',
  sessionSource: 'セッションの参照元',
  sessionSourceMedium: 'セッションの参照元/メディア',
  source: '参照元',
  streamId: 'ストリームID',
  streamName: 'ストリーム名',
  unifiedScreenName: 'ページタイトルとスクリーン名',
  userAgeBracket: '年齢',
  userGender: '性別',
};

const CUSTOM_DIMENSION = /^custom(Event|User|Item):[A-Za-z][A-Za-z0-9_]{0,39}$/;

export function isDimension(name: string): boolean {
  return Object.hasOwn(DIMENSIONS, name) || CUSTOM_DIMENSION.test(name);
}

/** `sessionDefaultChannelGroup` → `session_default_channel_group`; `customEvent:trail` → `custom_event_trail`. */
export function columnName(apiName: string): string {
  return apiName
    .replace(':', '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
