/** "HH:MM" of a time of day in ms, for log lines; hours past 24 run on (a day may end after midnight). */
export function clock(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
