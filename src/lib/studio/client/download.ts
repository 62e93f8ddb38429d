/** A file the browser saves: exports are made in the page, nothing goes back to the server. */
export function download(name: string, text: string, type: string): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	// Some browsers read the blob after click() returns.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "tiny-sales-support-2026-11-23.csv": safe on every file system. */
export function fileName(stem: string, ext: string, date = new Date()): string {
	const safe =
		stem
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'study';
	return `${safe}-${date.toISOString().slice(0, 10)}.${ext}`;
}
