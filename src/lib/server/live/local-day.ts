const DAY = 86_400_000;

/** One business day on the phone system's local clock: its journal file and its engine. */
export interface LocalDay {
	/** days since 1970-01-01 on the local calendar */
	index: number;
	/** yyyy-mm-dd, the local date the day starts on (names the journal file) */
	date: string;
	/** first ms of the day (UTC epoch ms) */
	startMs: number;
	/** first ms of the next day */
	endMs: number;
}

export interface DayClock {
	/** minutes added to UTC to get local time (a fixed offset: a daylight-saving change needs a new value) */
	tzOffsetMinutes: number;
	/** the business day starts this many minutes after local midnight (0: at midnight) */
	dayStartMinutes: number;
}

/** The local day that epoch ms `t` falls in. */
export function localDay(t: number, clock: DayClock): LocalDay {
	const shift = (clock.tzOffsetMinutes - clock.dayStartMinutes) * 60_000;
	const index = Math.floor((t + shift) / DAY);
	const startMs = index * DAY - shift;
	return { index, date: new Date(index * DAY).toISOString().slice(0, 10), startMs, endMs: startMs + DAY };
}

/** The local day whose date is `date` (yyyy-mm-dd). */
export function dayOfDate(date: string, clock: DayClock): LocalDay {
	const shift = (clock.tzOffsetMinutes - clock.dayStartMinutes) * 60_000;
	const index = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
	const startMs = index * DAY - shift;
	return { index, date, startMs, endMs: startMs + DAY };
}
