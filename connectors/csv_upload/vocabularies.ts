/** Code lists that contract files name in `{ oneOf: <list> }`, with the spellings sources use. */
export const ROUTES = {
  fujinomiya: ['富士宮', '富士宮口', '富士宮ルート', '富士宮口五合目'],
  gotemba: ['御殿場', '御殿場口', '御殿場ルート', '御殿場口新五合目'],
  subashiri: ['須走', '須走口', '須走ルート', '須走口五合目'],
  yoshida: ['吉田', '吉田口', '吉田ルート', '富士吉田'],
} as const;

export const VOCABULARIES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  routes: ROUTES,
};
