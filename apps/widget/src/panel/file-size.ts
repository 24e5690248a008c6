/**
 * A file's size for the visitor: bytes under 1 KB (a 5-byte file is "5 B", not "1 KB"), whole KB
 * under 1 MB, MB with one decimal above.
 */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${Math.max(0, Math.round(bytes))} B`;
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
