/**
 * Per-update cost of the board from a Chromium trace: every WebSocket message is dispatched in a
 * main-thread task of its own, where socket.io's handler runs, the board state changes and Svelte
 * flushes the DOM in the microtasks that follow (still inside the task). So each message's task is
 * that update's whole synchronous cost; rendering comes later, in the next animation frame.
 */

/** The few trace-event fields read here (Chrome's JSON trace format). */
interface TraceEvent {
	name: string;
	ph: string;
	ts: number;
	dur?: number;
	pid: number;
	tid: number;
	args?: { data?: { url?: string } };
}

export interface MessageTask {
	/** when each WebSocket message was received in it: trace clock, µs (the monotonic clock of CDP timestamps, which are in seconds) */
	receipts: number[];
	/** the whole task, ms */
	taskMs: number;
	/** JavaScript in it, ms: top-level function calls (the handler and the microtasks after it), less the layout and style they force */
	scriptMs: number;
	/** style and layout forced by that script, ms */
	forcedLayoutMs: number;
}

/** Categories that give tasks, function calls, forced layouts and WebSocket receipts, without the heavier disabled-by-default ones. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline'];

const TASK = 'ThreadControllerImpl::RunTask';
const LAYOUT = new Set(['Layout', 'UpdateLayoutTree']);

function eventsOf(trace: unknown): TraceEvent[] {
	const t = trace as { traceEvents?: unknown } | unknown[];
	const list = Array.isArray(t) ? t : (t as { traceEvents?: unknown }).traceEvents;
	if (!Array.isArray(list)) throw new Error('not a Chrome trace: no traceEvents');
	return list as TraceEvent[];
}

/** The page's main thread: the one running the page's scripts (served from `origin`). */
function mainThread(events: readonly TraceEvent[], origin: string): { pid: number; tid: number } {
	const call = events.find((e) => e.name === 'FunctionCall' && e.args?.data?.url?.startsWith(origin) === true);
	if (call === undefined) throw new Error(`no script from ${origin} ran while tracing`);
	return { pid: call.pid, tid: call.tid };
}

export function messageTasks(trace: unknown, origin: string): MessageTask[] {
	const events = eventsOf(trace);
	const { pid, tid } = mainThread(events, origin);
	const own = events
		.filter((e) => e.pid === pid && e.tid === tid && (e.ph === 'X' || e.ph === 'I' || e.ph === 'i'))
		.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
	const out: MessageTask[] = [];
	let task: TraceEvent | null = null;
	let inside: TraceEvent[] = [];
	const close = () => {
		if (task !== null) {
			const m = summarizeTask(task, inside);
			if (m !== null) out.push(m);
		}
		task = null;
		inside = [];
	};
	for (const e of own) {
		const end = (task?.ts ?? 0) + (task?.dur ?? 0);
		if (task !== null && e.ts >= end) close();
		if (e.name === TASK && e.ph === 'X' && task === null) task = e;
		else if (task !== null) inside.push(e);
	}
	close();
	return out;
}

/** A task that received WebSocket messages (one, unless the renderer fell behind), measured; null for any other task. */
function summarizeTask(task: TraceEvent, inside: readonly TraceEvent[]): MessageTask | null {
	const receipts = inside.filter((e) => e.name === 'WebSocketReceive').map((e) => e.ts);
	if (receipts.length === 0) return null;
	let scriptMs = 0;
	let forcedLayoutMs = 0;
	let callEnd = -Infinity;
	for (const e of inside) {
		const dur = (e.dur ?? 0) / 1000;
		if (e.name === 'FunctionCall') {
			// nested calls are inside their caller's duration already
			if (e.ts >= callEnd) {
				scriptMs += dur;
				callEnd = e.ts + (e.dur ?? 0);
			}
		} else if (LAYOUT.has(e.name) && e.ts < callEnd) {
			forcedLayoutMs += dur;
		}
	}
	return {
		receipts,
		taskMs: (task.dur ?? 0) / 1000,
		scriptMs: scriptMs - forcedLayoutMs,
		forcedLayoutMs
	};
}
