/**
 * Threshold levels as a colour-blind viewer sees them: every level has a shape and a word as well
 * as a colour, so "alarm" reads the same in greyscale.
 */
import type { Level } from '../protocol';

export interface LevelBadge {
	icon: string;
	word: string;
}

export const LEVEL_BADGE: Readonly<Record<Level, LevelBadge>> = {
	ok: { icon: '●', word: 'OK' },
	warn: { icon: '◆', word: 'WARN' },
	alarm: { icon: '▲', word: 'ALARM' }
};

const RANK: Readonly<Record<Level, number>> = { ok: 0, warn: 1, alarm: 2 };

/** The worse of two levels (a queue row shows its worst cell). */
export function worstLevel(levels: Iterable<Level | null>): Level {
	let worst: Level = 'ok';
	for (const l of levels) if (l !== null && RANK[l] > RANK[worst]) worst = l;
	return worst;
}

/**
 * Keys that went into alarm between two readings: a tile flashes and the sound plays on the
 * crossing only, not for as long as the alarm lasts.
 */
export function newlyAlarmed(prev: ReadonlyMap<string, Level>, next: ReadonlyMap<string, Level>): string[] {
	const out: string[] = [];
	for (const [key, level] of next) if (level === 'alarm' && prev.get(key) !== 'alarm') out.push(key);
	return out;
}
