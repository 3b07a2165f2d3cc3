/** Deep-freezes a fragment shared by many resources, so an in-place edit of one cannot leak into all. */
export function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}
