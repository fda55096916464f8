// Splits a request path into the object segments below /<cluster>. Segments are URL-decoded
// because scripts quote database names into the path (db_<quote(name)>).

/** Segments below the cluster, or undefined when the path is not under this cluster (HTTP 404). */
export function clusterPathSegments(pathname: string, clusterName: string): string[] | undefined {
  const raw = pathname.split('/').filter((s) => s !== '');
  try {
    const decoded = raw.map((s) => decodeURIComponent(s));
    if (decoded[0] !== clusterName) return undefined;
    return decoded.slice(1);
  } catch {
    return undefined;
  }
}
