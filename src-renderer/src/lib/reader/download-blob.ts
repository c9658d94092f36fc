/** Browser mode: saves a Blob through the browser's download, under the (already sanitised) name. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the bytes once it started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
