/** What the server-side tick probe and the benchmark say to each other over the child's IPC channel. */

/** One hub tick on the server, in wall-clock ms (performance.timeOrigin + performance.now()). */
export interface TickRecord {
	/** the tick began: the source then applies every event since the last tick */
	startMs: number;
	/** every room's message built and handed to socket.io */
	endMs: number;
	/** user + system CPU the server process used meanwhile, ms: below endMs - startMs when the machine kept it waiting */
	cpuMs: number;
}

/** the parent asks for the ticks recorded since it last asked */
export interface ProbeRequest {
	type: 'ticks';
}

export interface ProbeReply {
	type: 'ticks';
	ticks: TickRecord[];
}
