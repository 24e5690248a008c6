/** Where a location message's "open in map" link points: a template with {lat} and {lng}. */
export const DEFAULT_MAP_URL = 'https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}';

/** The map link for a location, from the configured template; only http(s) templates are used. */
export function mapLink(template: string | undefined, location: { latitude: number; longitude: number }): string {
  const pattern = template && /^https?:\/\//i.test(template) ? template : DEFAULT_MAP_URL;
  return pattern.replaceAll('{lat}', String(location.latitude)).replaceAll('{lng}', String(location.longitude));
}
