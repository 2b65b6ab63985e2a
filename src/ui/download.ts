/** Saves text or bytes as a file through a temporary object URL (no server involved). */
export function download(name: string, data: string | ArrayBuffer, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
