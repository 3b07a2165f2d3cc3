/**
 * The region a zone lies in: GCP `us-central1-a` → `us-central1`, AWS `us-east-1a` →
 * `us-east-1`. Regions, `global` and other locations are returned unchanged.
 */
export function regionOfZone(location: string): string {
  return /^(.+\d)-?[a-z]$/.exec(location)?.[1] ?? location;
}
