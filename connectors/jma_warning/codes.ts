/**
 * JMA's codes of weather warning and advisory kinds (気象警報・注意報の種別コード, the code table
 * of 防災情報XML, used unchanged by the bosai JSON). `00` is ours: JMA writes an area with nothing
 * in force as a status without a code, and the row still says "nothing in force at this report".
 * Other codes of the 2026 reform are named here only once a real answer or JMA's code table
 * shows them; until then they land with a NULL name and level.
 */

/** [code, 日本語, English] */
export const JMA_WARNING_CODES: readonly (readonly [string, string, string])[] = [
  ['00', '発表警報・注意報なし', 'No warning or advisory in force'],
  ['02', '暴風雪警報', 'Snowstorm warning'],
  ['03', '大雨警報', 'Heavy rain warning'],
  ['04', '洪水警報', 'Flood warning'],
  ['05', '暴風警報', 'Storm warning'],
  ['06', '大雪警報', 'Heavy snow warning'],
  ['07', '波浪警報', 'High wave warning'],
  ['08', '高潮警報', 'Storm surge warning'],
  ['10', '大雨注意報', 'Heavy rain advisory'],
  ['12', '大雪注意報', 'Heavy snow advisory'],
  ['13', '風雪注意報', 'Wind and snow advisory'],
  ['14', '雷注意報', 'Thunderstorm advisory'],
  ['15', '強風注意報', 'Gale advisory'],
  ['16', '波浪注意報', 'High wave advisory'],
  ['17', '融雪注意報', 'Snowmelt advisory'],
  ['18', '洪水注意報', 'Flood advisory'],
  ['19', '高潮注意報', 'Storm surge advisory'],
  ['20', '濃霧注意報', 'Dense fog advisory'],
  ['21', '乾燥注意報', 'Dry air advisory'],
  ['22', 'なだれ注意報', 'Avalanche advisory'],
  ['23', '低温注意報', 'Low temperature advisory'],
  ['24', '霜注意報', 'Frost advisory'],
  ['25', '着氷注意報', 'Ice accretion advisory'],
  ['26', '着雪注意報', 'Snow accretion advisory'],
  ['27', 'その他の注意報', 'Other advisory'],
  // A kind of the 2026 reform: the r8 lists (fixtures/real) carry it in the 土砂災害 report
  // (VPWW56), lifted with 「注意報を解除します。」.
  ['29', '土砂災害注意報', 'Landslide advisory'],
  ['32', '暴風雪特別警報', 'Snowstorm emergency warning'],
  ['33', '大雨特別警報', 'Heavy rain emergency warning'],
  ['35', '暴風特別警報', 'Storm emergency warning'],
  ['36', '大雪特別警報', 'Heavy snow emergency warning'],
  ['37', '波浪特別警報', 'High wave emergency warning'],
  ['38', '高潮特別警報', 'Storm surge emergency warning'],
];

const BY_CODE = new Map(JMA_WARNING_CODES.map(([c, ja, en]) => [c, { ja, en }]));

/** 特別警報 (3x), 警報 (0x), 注意報 (1x–2x), or none for `00` and unknown codes. */
export function warningLevel(code: string): 'emergency' | 'warning' | 'advisory' | null {
  if (!BY_CODE.has(code) || code === '00') return null;
  return code.startsWith('3') ? 'emergency' : code.startsWith('0') ? 'warning' : 'advisory';
}

/** The kind's names; null for a code JMA added after this list (kept, never dropped). */
export function warningName(code: string): { ja: string; en: string } | null {
  return BY_CODE.get(code) ?? null;
}
